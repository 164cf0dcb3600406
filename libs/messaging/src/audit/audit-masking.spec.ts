import { AUDIT_MASK, isSensitiveAuditKey, maskAuditSummary } from './audit-masking';

describe('maskAuditSummary', () => {
  it('masks bank details and tax ids at any depth, in any spelling', () => {
    const masked = maskAuditSummary({
      status: 'ACTIVE',
      bankAccounts: [{ iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' }],
      supplier: { tax_id: 'DE123', 'vat-number': 'DE999', name: 'Acme' },
      payee: { IBAN: 'FR7630006000011234567890189', accountNumber: '123', sortCode: '12-34-56' },
    });
    expect(masked).toEqual({
      status: 'ACTIVE',
      bankAccounts: AUDIT_MASK,
      supplier: { tax_id: AUDIT_MASK, 'vat-number': AUDIT_MASK, name: 'Acme' },
      payee: { IBAN: AUDIT_MASK, accountNumber: AUDIT_MASK, sortCode: AUDIT_MASK },
    });
    expect(JSON.stringify(masked)).not.toMatch(/DE89|COBADE|FR76|DE123|DE999/);
  });

  it('returns what JSON would store: dates as ISO strings, undefined dropped, bigint as text', () => {
    expect(maskAuditSummary({ at: new Date('2026-01-02T03:04:05.678Z'), gone: undefined, n: 10n, inf: Infinity, arr: [undefined, 1] })).toEqual({
      at: '2026-01-02T03:04:05.678Z',
      n: '10',
      inf: null,
      arr: [null, 1],
    });
  });

  it('keeps null summaries null and cuts cycles', () => {
    expect(maskAuditSummary(null)).toBeNull();
    const a: Record<string, unknown> = { status: 'X' };
    a['self'] = a;
    expect(maskAuditSummary(a)).toEqual({ status: 'X', self: '[Circular]' });
  });

  it('does not treat ordinary keys as sensitive', () => {
    for (const k of ['status', 'supplierId', 'amount', 'currency', 'title', 'continent']) expect(isSensitiveAuditKey(k)).toBe(false);
  });
});
