import { captureVersionText, isNewerCapture } from './ap-invoice-intake';

const at = (iso: string) => new Date(iso);

describe('capture versions of a Coupa invoice', () => {
  it('orders by lock-version-key when both carry one and they differ', () => {
    expect(isNewerCapture({ updatedAt: at('2025-03-01T10:00:00Z'), lockVersion: 5 }, { updatedAt: at('2025-03-01T11:00:00Z'), lockVersion: 4 })).toBe(true);
    expect(isNewerCapture({ updatedAt: at('2025-03-01T12:00:00Z'), lockVersion: 3 }, { updatedAt: at('2025-03-01T11:00:00Z'), lockVersion: 4 })).toBe(false);
  });

  it('falls back to updated-at without lock versions or when they are equal', () => {
    expect(isNewerCapture({ updatedAt: at('2025-03-01T11:00:01Z'), lockVersion: null }, { updatedAt: at('2025-03-01T11:00:00Z'), lockVersion: 4 })).toBe(true);
    expect(isNewerCapture({ updatedAt: at('2025-03-01T11:00:00Z'), lockVersion: 4 }, { updatedAt: at('2025-03-01T11:00:00Z'), lockVersion: 4 })).toBe(false);
    expect(isNewerCapture({ updatedAt: at('2025-03-01T10:59:59Z'), lockVersion: null }, { updatedAt: at('2025-03-01T11:00:00Z'), lockVersion: null })).toBe(false);
  });

  it('never overtakes an unknown held version', () => {
    expect(isNewerCapture({ updatedAt: at('2030-01-01T00:00:00Z'), lockVersion: 99 }, null)).toBe(false);
  });

  it('names a version by updated-at and lock version', () => {
    expect(captureVersionText({ updatedAt: at('2025-03-01T11:00:00Z'), lockVersion: 4 })).toBe('2025-03-01T11:00:00.000Z#4');
    expect(captureVersionText({ updatedAt: at('2025-03-01T11:00:00Z'), lockVersion: null })).toBe('2025-03-01T11:00:00.000Z#-');
  });
});
