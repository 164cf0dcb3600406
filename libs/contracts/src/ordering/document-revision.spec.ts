import { eventVersion, supersedes } from './document-revision';

describe('document revision rule', () => {
  const at = (iso: string, id: string) => eventVersion(new Date(iso), id);
  const early = { revision: 3, version: at('2026-12-01T10:00:00.000Z', 'b-event') };
  const late = { revision: 3, version: at('2026-12-01T10:01:00.000Z', 'a-event') };

  it('takes the higher revision, whatever the event versions', () => {
    expect(supersedes({ revision: 4, version: at('2020-01-01T00:00:00.000Z', 'x') }, late)).toBe(true);
    expect(supersedes({ revision: 2, version: at('2030-01-01T00:00:00.000Z', 'x') }, early)).toBe(false);
    expect(supersedes({ revision: 10n, version: '' }, { revision: '9', version: 'z' })).toBe(true);
  });

  it('resolves the same revision by the later event, in either order of arrival, and ignores a redelivery', () => {
    expect(supersedes(late, early)).toBe(true);
    expect(supersedes(early, late)).toBe(false);
    expect(supersedes(early, early)).toBe(false);
    // Same instant: the event id decides, the same way everywhere.
    const x = { revision: 1, version: at('2026-12-01T10:00:00.000Z', 'aaa') };
    const y = { revision: 1, version: at('2026-12-01T10:00:00.000Z', 'bbb') };
    expect([supersedes(y, x), supersedes(x, y)]).toEqual([true, false]);
  });

  it('lets any version replace one held from before versions were kept, and anything replace nothing', () => {
    expect(supersedes(early, { revision: 3, version: null })).toBe(true);
    expect(supersedes(early, undefined)).toBe(true);
  });
});
