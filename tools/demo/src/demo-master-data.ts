/**
 * The demo company: three legal entities in three countries and two currencies, suppliers with
 * realistic terms, and the catalog items they sell. Figures are decimal strings, never floats.
 */
export interface DemoLegalEntity {
  readonly code: 'DE01' | 'NL01' | 'US01';
  readonly country: 'DE' | 'NL' | 'US';
  readonly currency: 'EUR' | 'USD';
  readonly businessUnit: string;
  readonly standardTaxCode: string;
  readonly standardTaxRate: string;
}

export const LEGAL_ENTITIES: Readonly<Record<DemoLegalEntity['code'], DemoLegalEntity>> = {
  DE01: { code: 'DE01', country: 'DE', currency: 'EUR', businessUnit: 'DE Business Unit', standardTaxCode: 'DE-VAT-19', standardTaxRate: '19' },
  NL01: { code: 'NL01', country: 'NL', currency: 'EUR', businessUnit: 'NL Business Unit', standardTaxCode: 'NL-VAT-21', standardTaxRate: '21' },
  US01: { code: 'US01', country: 'US', currency: 'USD', businessUnit: 'US Business Unit', standardTaxCode: 'US-EXEMPT', standardTaxRate: '0' },
};

export interface DemoSupplier {
  readonly number: string;
  readonly name: string;
  readonly legalEntity: DemoLegalEntity['code'];
  readonly city: string;
  readonly taxRegistration: string;
  /**
   * The supplier's bank account: an IBAN where the country uses them (valid check digits), else
   * an account number and ABA routing number (the US has no IBANs).
   */
  readonly bank: { readonly iban: string } | { readonly accountNumber: string; readonly routingNumber: string };
  readonly terms: string;
}

export const SUPPLIERS: readonly DemoSupplier[] = [
  { number: '2101', name: 'Schraubenwerk Müller GmbH', legalEntity: 'DE01', city: 'Stuttgart', taxRegistration: 'DE129273398', bank: { iban: 'DE89370400440532013000' }, terms: '2/10 Net 30' },
  { number: '2102', name: 'Rheinland Verpackung AG', legalEntity: 'DE01', city: 'Köln', taxRegistration: 'DE811569869', bank: { iban: 'DE02120300000000202051' }, terms: 'Net 45' },
  { number: '2201', name: 'Van Dijk Logistiek B.V.', legalEntity: 'NL01', city: 'Rotterdam', taxRegistration: 'NL859048315B01', bank: { iban: 'NL91ABNA0417164300' }, terms: 'Net 30' },
  { number: '2202', name: 'Groene Energie Nederland B.V.', legalEntity: 'NL01', city: 'Utrecht', taxRegistration: 'NL003449867B01', bank: { iban: 'NL20INGB0001234567' }, terms: 'Net 14' },
  { number: '2301', name: 'Lakeside Industrial Supply Inc.', legalEntity: 'US01', city: 'Chicago', taxRegistration: '36-4123456', bank: { accountNumber: '000123456789', routingNumber: '021000021' }, terms: 'Net 30' },
  { number: '2302', name: 'Pacific Coast Coatings LLC', legalEntity: 'US01', city: 'Portland', taxRegistration: '93-1234567', bank: { accountNumber: '000987654321', routingNumber: '121000248' }, terms: '1/10 Net 30' },
];

export interface DemoItem {
  readonly code: string;
  readonly description: string;
  readonly uom: string;
  readonly unitPrice: string;
  readonly glAccount: string;
  readonly costCenter: string;
  /** Goods need a receipt (3-way match); services are matched against the PO only (2-way). */
  readonly receiptRequired: boolean;
}

export const ITEMS: readonly DemoItem[] = [
  { code: 'HB-M8-40', description: 'Hex bolt M8x40, zinc plated', uom: 'EA', unitPrice: '0.125', glAccount: '4410', costCenter: 'CC100', receiptRequired: true },
  { code: 'PAL-EUR-1', description: 'Euro pallet 1200x800', uom: 'EA', unitPrice: '14.50', glAccount: '4420', costCenter: 'CC110', receiptRequired: true },
  { code: 'CTN-60', description: 'Corrugated carton 60x40x40', uom: 'EA', unitPrice: '1.85', glAccount: '4420', costCenter: 'CC110', receiptRequired: true },
  { code: 'PAINT-EPX-20', description: 'Epoxy primer, 20 l drum', uom: 'EA', unitPrice: '189.00', glAccount: '4430', costCenter: 'CC120', receiptRequired: true },
  { code: 'SVC-INSTALL', description: 'Installation and commissioning', uom: 'HUR', unitPrice: '95.00', glAccount: '6300', costCenter: 'CC200', receiptRequired: false },
  { code: 'SVC-FREIGHT', description: 'Road freight, full truck load', uom: 'EA', unitPrice: '780.00', glAccount: '6310', costCenter: 'CC210', receiptRequired: false },
];
