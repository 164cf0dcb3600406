import { nameBasedId, nameBasedIds, type MappingContext } from '../mapping/mapping-context';
import { LEGAL_ENTITIES, contractProblems } from '../test-support/contract';
import { problemsOf } from '../test-support/mapping-problems';
import { mapFusionSupplier } from './fusion-supplier';
import sample from './fixtures/fusion-supplier.json';

const ctx: MappingContext = {
  ids: nameBasedIds,
  legalEntities: (hint) => (hint.kind === 'business-unit' && hint.value === 'DE Business Unit' ? LEGAL_ENTITIES.DE01 : undefined),
};
const asOf = '2025-03-01';
type Supplier = Record<string, unknown> & { sites: Record<string, unknown>[]; bankAccounts: Record<string, unknown>[] };
const copy = (): Supplier => JSON.parse(JSON.stringify(sample));

describe('mapFusionSupplier', () => {
  it('maps the supplier master record and reports site-level holds as blocks', () => {
    const { payload, legalEntity, occurredAt, blocks } = mapFusionSupplier(sample, ctx, { asOf });
    expect(payload).toEqual({
      supplierId: nameBasedId('supplier', '1013'),
      revision: Date.parse('2025-02-27T14:05:33.417Z'),
      externalIds: { ERP: '300000047414503' },
      legalName: 'Schraubenwerk Müller GmbH',
      tradingName: 'Müller Schrauben',
      status: 'ACTIVE',
      registeredAddress: { line1: 'Schraubenweg 1', line2: null, city: 'Stuttgart', region: 'BW', postalCode: '70173', country: 'DE' },
      remitToAddress: { line1: 'Postfach 10 20 30', line2: null, city: 'Stuttgart', region: null, postalCode: '70020', country: 'DE' },
      taxIds: [
        { scheme: 'VAT', value: 'DE129273398', country: 'DE' },
        { scheme: 'TIN', value: '99015/12345', country: 'DE' },
      ],
      bankAccounts: [
        {
          accountId: '300000047414540',
          holderName: 'Schraubenwerk Müller GmbH',
          iban: 'DE89370400440532013000',
          accountNumber: null,
          bic: 'COBADEFFXXX',
          routingNumber: null,
          bankCountry: 'DE',
          currency: 'EUR',
          maskedReference: '****3000',
        },
      ],
      paymentTerms: { code: '2/10 Net 30', netDays: 30, discountPercent: '2.0000', discountDays: 10 },
      defaultCurrency: 'EUR',
      contactEmail: 'ar@schraubenwerk-mueller.example',
      // Every site, as the ERP names it, for posting to the right pay site (SupplierUpserted v2).
      sites: [
        { siteId: '300000047414520', site: 'STUTTGART', procurementBusinessUnit: 'DE Business Unit', pay: true, purchasing: true, active: true },
        { siteId: '300000047414521', site: 'MUENCHEN', procurementBusinessUnit: 'DE Business Unit', pay: false, purchasing: true, active: true },
      ],
    });
    expect(blocks).toEqual([
      { scope: 'PURCHASING', supplierSiteId: '300000047414521', reasonCode: 'SITE_PURCHASING_HOLD', reason: 'Quality audit pending', blockedBy: 'QUALITY.MANAGER' },
    ]);
    expect(legalEntity).toEqual(LEGAL_ENTITIES.DE01);
    expect(mapFusionSupplier(sample, ctx, { asOf }).paySite).toEqual({ supplierSiteId: '300000047414520', supplierSite: 'STUTTGART', procurementBU: 'DE Business Unit' });
    expect(occurredAt.toISOString()).toBe('2025-02-27T14:05:33.417Z');
    expect(contractProblems('SupplierUpserted', payload)).toEqual([]);
  });

  it('is BLOCKED with a supplier-level hold and when every pay site is on payment hold', () => {
    const held = copy();
    held['HoldAllPaymentsFlag'] = true;
    held['PaymentHoldReason'] = 'Bank data unverified';
    const mapped = mapFusionSupplier(held, ctx, { asOf });
    expect(mapped.payload.status).toBe('BLOCKED');
    expect(mapped.blocks[0]).toEqual({ scope: 'PAYMENT', supplierSiteId: null, reasonCode: 'SUPPLIER_PAYMENT_HOLD', reason: 'Bank data unverified', blockedBy: 'ERP' });

    const siteHeld = copy();
    siteHeld.sites[0]!['HoldAllPaymentsFlag'] = true;
    expect(mapFusionSupplier(siteHeld, ctx, { asOf }).payload.status).toBe('BLOCKED');
  });

  it('is INACTIVE from its InactiveDate on, whatever its holds', () => {
    const s = copy();
    s['InactiveDate'] = '2025-03-01';
    s['HoldFlag'] = true;
    expect(mapFusionSupplier(s, ctx, { asOf }).payload.status).toBe('INACTIVE');
    expect(mapFusionSupplier(s, ctx, { asOf: '2025-02-28' }).payload.status).toBe('BLOCKED');
  });

  it('reports every bad field at once', () => {
    const s = copy();
    s['LastUpdateDate'] = 'yesterday';
    s.sites[0]!['PaymentTerms'] = 'End of month + 15';
    s.sites[0]!['InvoiceCurrencyCode'] = 'eur';
    s.bankAccounts[0]!['IBAN'] = null;
    s.bankAccounts[0]!['CountryCode'] = 'Germany';
    expect(problemsOf(() => mapFusionSupplier(s, ctx, { asOf }))).toEqual([
      { path: 'LastUpdateDate', reason: 'must be an ISO 8601 timestamp with offset, got "yesterday"' },
      { path: 'sites[0].PaymentTerms', reason: 'unknown payment terms "End of month + 15"; expected e.g. "Net 30" or "2/10 Net 30"' },
      { path: 'sites[0].InvoiceCurrencyCode', reason: 'must be an ISO 4217 currency code (3 upper-case letters), got "eur"' },
      { path: 'bankAccounts[0].AccountNumber', reason: 'is required when IBAN is not set' },
      { path: 'bankAccounts[0].CountryCode', reason: 'must be an ISO 3166-1 alpha-2 country code, got "Germany"' },
    ]);
  });

  it('refuses a made-up currency or country, an IBAN with wrong check digits and a malformed BIC, quoting no bank data', () => {
    const s = copy();
    s.sites[0]!['InvoiceCurrencyCode'] = 'ZZZ';
    s.bankAccounts[0]!['IBAN'] = '-1';
    s.bankAccounts[0]!['SWIFTCode'] = 'COBAQQFF';
    s.bankAccounts[0]!['CountryCode'] = 'QQ';
    const problems = problemsOf(() => mapFusionSupplier(s, ctx, { asOf }));
    expect(problems).toEqual([
      { path: 'sites[0].InvoiceCurrencyCode', reason: 'must be an ISO 4217 currency code; "ZZZ" is not one' },
      { path: 'bankAccounts[0].IBAN', reason: 'is not an IBAN (country code, 2 check digits, 11 to 30 letters or digits)' },
      { path: 'bankAccounts[0].SWIFTCode', reason: 'is not a BIC (ISO 9362: 4 letters, an ISO country, 2 location characters, optional 3-character branch)' },
      { path: 'bankAccounts[0].CountryCode', reason: 'must be an ISO 3166-1 alpha-2 country code; "QQ" is not one' },
    ]);
    expect(JSON.stringify(problems)).not.toContain('COBAQQFF');
  });
});
