import { maskSensitiveFields, maskText } from './sensitive-fields';

describe('maskSensitiveFields', () => {
  it('keeps the last four characters of long values behind a fixed-width mask and hides short ones entirely', () => {
    expect(maskText('DE89370400440532013000')).toBe('****3000');
    expect(maskText('COBADEFF')).toBe('****');
    expect(maskText('')).toBe('****');
  });

  it('masks bank details and tax ids at any depth and leaves everything else alone', () => {
    const supplier = {
      supplierId: 'S-1',
      name: 'ACME',
      bankAccounts: [
        { accountId: 'BA-1', holderName: 'ACME GmbH', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', accountNumber: null, routing_number: '021000021', maskedReference: '****3000' },
      ],
      taxIds: [{ scheme: 'VAT', value: 'DE123456789', country: 'DE' }],
      envelope: { eventId: 'e-1', occurredAt: new Date('2025-01-01T00:00:00Z') },
      nested: { vatNumber: 'GB123456789' },
    };
    expect(maskSensitiveFields(supplier)).toEqual({
      supplierId: 'S-1',
      name: 'ACME',
      bankAccounts: [
        { accountId: 'BA-1', holderName: 'ACME GmbH', iban: '****3000', bic: '****FXXX', accountNumber: null, routing_number: '****0021', maskedReference: '****3000' },
      ],
      taxIds: [{ scheme: 'VAT', value: '****6789', country: 'DE' }],
      envelope: { eventId: 'e-1', occurredAt: new Date('2025-01-01T00:00:00Z') },
      nested: { vatNumber: '****6789' },
    });
    // The input is not modified.
    expect(supplier.bankAccounts[0]!.iban).toBe('DE89370400440532013000');
  });
});
