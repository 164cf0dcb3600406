import { decideRevision, type StoredOrderState } from './revision-decision';

const stored: StoredOrderState = { status: 'OPEN', revision: 1, contentHash: 'h1', supplierId: 's1', currency: 'EUR' };
const incoming = { poNumber: 'PO-1', revision: 2, contentHash: 'h2', supplierId: 's1', currency: 'EUR' };

describe('decideRevision', () => {
  it('issues unknown orders and changes known ones on a new revision', () => {
    expect(decideRevision(undefined, incoming)).toEqual({ kind: 'issue' });
    expect(decideRevision(stored, incoming)).toEqual({ kind: 'change' });
  });

  it('ignores a re-send of the recorded revision, even for a closed order', () => {
    expect(decideRevision(stored, { ...incoming, revision: 1, contentHash: 'h1' })).toEqual({ kind: 'unchanged' });
    expect(decideRevision({ ...stored, status: 'CLOSED' }, { ...incoming, revision: 1, contentHash: 'h1' })).toEqual({ kind: 'unchanged' });
  });

  it('refuses changes to closed orders, stale or conflicting revisions, and supplier or currency changes', () => {
    expect(decideRevision({ ...stored, status: 'CLOSED' }, incoming)).toMatchObject({ kind: 'refuse', reason: expect.stringMatching(/CLOSED/) });
    expect(decideRevision({ ...stored, revision: 3 }, incoming)).toMatchObject({ kind: 'refuse', reason: expect.stringMatching(/older/) });
    expect(decideRevision(stored, { ...incoming, revision: 1 })).toMatchObject({ kind: 'refuse', reason: expect.stringMatching(/different content/) });
    expect(decideRevision(stored, { ...incoming, supplierId: 's2' })).toMatchObject({ kind: 'refuse', reason: expect.stringMatching(/supplier/) });
    expect(decideRevision(stored, { ...incoming, currency: 'USD' })).toMatchObject({ kind: 'refuse', reason: expect.stringMatching(/currency/) });
  });
});
