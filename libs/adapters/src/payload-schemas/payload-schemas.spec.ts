import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod/v4';
import { COUPA_INVOICE_SCHEMA, COUPA_PURCHASE_ORDER_SCHEMA, COUPA_RECEIPT_SCHEMA } from './coupa-payload-schemas';
import { FUSION_PAYMENT_SCHEMA, FUSION_SUPPLIER_SCHEMA } from './fusion-payload-schemas';
import { readFusionPayment } from '../erp/fusion-payment';
import { mapFusionSupplier } from '../erp/fusion-supplier';
import { nameBasedIds } from '../mapping/mapping-context';
import { LEGAL_ENTITIES } from '../test-support/contract';
import { problemsOf } from '../test-support/mapping-problems';
import { CONTRACT_MAX_LENGTH, bic, countryCode, currencyCode, decimal, iban, isoDate, isoTimestamp, nonNegativeDecimal, platformId } from './payload-fields';

const SRC = join(__dirname, '..');
const fixture = (path: string): unknown => JSON.parse(readFileSync(join(SRC, path), 'utf8'));
const clone = <T>(v: T): T => structuredClone(v);
const issuePaths = (schema: z.ZodType, value: unknown): string[] => {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => i.path.map(String).join('.'));
};

describe('the contract bounds the request schemas take', () => {
  /** Every maxLength of schemas/business-rules.json, by the field name it bounds. */
  const contractMax = new Map<string, Set<number>>();
  const rules = (JSON.parse(readFileSync(join(__dirname, '../../../../schemas/business-rules.json'), 'utf8')) as { records: Record<string, Record<string, { maxLength?: number }>> }).records;
  for (const fields of Object.values(rules)) {
    for (const [path, rule] of Object.entries(fields)) {
      if (rule.maxLength === undefined) continue;
      const name = path.split(/[.[\]]+/).filter(Boolean).pop()!;
      contractMax.set(name, (contractMax.get(name) ?? new Set()).add(rule.maxLength));
    }
  }

  // Which contract fields each bound stands for (payload-fields.ts says the same in prose).
  const boundFields: Record<keyof typeof CONTRACT_MAX_LENGTH, readonly string[]> = {
    id: ['supplierId', 'invoiceId', 'poNumber', 'supplierInvoiceNumber', 'paymentId', 'receiptNumber'],
    name: ['legalName', 'tradingName', 'holderName', 'line1', 'line2'],
    text: ['description', 'reason', 'comment', 'documentUri'],
    code: ['taxCode', 'reasonCode'],
    unitOfMeasure: ['unitOfMeasure'],
    city: ['city'],
    region: ['region'],
    postalCode: ['postalCode'],
    contactEmail: ['contactEmail'],
    accountNumber: ['accountNumber', 'routingNumber'],
  };

  it.each(Object.entries(boundFields))('%s is the maxLength the contract gives its fields', (bound, fields) => {
    for (const field of fields) expect({ field, maxLength: [...(contractMax.get(field) ?? [])] }).toEqual({ field, maxLength: [CONTRACT_MAX_LENGTH[bound as keyof typeof CONTRACT_MAX_LENGTH]] });
  });
});

describe('field validators', () => {
  it('checks an IBAN by its check digits and a BIC by its shape, blanks as platforms print them', () => {
    expect(iban.safeParse('DE89 3704 0044 0532 0130 00').success).toBe(true);
    expect(iban.safeParse('DE88 3704 0044 0532 0130 00').success).toBe(false);
    expect(iban.safeParse('-1').success).toBe(false);
    expect(bic.safeParse('COBADEFFXXX').success).toBe(true);
    expect(bic.safeParse('COBADEF').success).toBe(false);
  });

  it('takes ISO 4217 currencies and ISO 3166 countries only', () => {
    expect(currencyCode.safeParse('EUR').success).toBe(true);
    expect(currencyCode.safeParse('ZZZ').success).toBe(false);
    expect(countryCode.safeParse('NL').success).toBe(true);
    expect(countryCode.safeParse('XX').success).toBe(false);
  });

  it('takes decimals as text or numbers, refuses negative rates, and requires an offset on timestamps', () => {
    expect(decimal.safeParse('-12.50').success).toBe(true);
    expect(decimal.safeParse(12.5).success).toBe(true);
    expect(decimal.safeParse('12,50').success).toBe(false);
    expect(nonNegativeDecimal.safeParse('21').success).toBe(true);
    expect(nonNegativeDecimal.safeParse('-21').success).toBe(false);
    expect(nonNegativeDecimal.safeParse(-0.5).success).toBe(false);
    expect(isoDate.safeParse('2025-03-18').success).toBe(true);
    expect(isoDate.safeParse('18/03/2025').success).toBe(false);
    expect(isoTimestamp.safeParse('2025-03-18T10:00:00Z').success).toBe(true);
    expect(isoTimestamp.safeParse('2025-03-18T10:00:00').success).toBe(false);
  });

  it('bounds ids to the contract length and refuses blank ones', () => {
    expect(platformId.safeParse(4711).success).toBe(true);
    expect(platformId.safeParse('X'.repeat(CONTRACT_MAX_LENGTH.id)).success).toBe(true);
    expect(platformId.safeParse('X'.repeat(CONTRACT_MAX_LENGTH.id + 1)).success).toBe(false);
    expect(platformId.safeParse('  ').success).toBe(false);
  });
});

describe('request schemas against the vendors-shaped fixtures', () => {
  it.each([
    ['Coupa purchase order', COUPA_PURCHASE_ORDER_SCHEMA, 'procurement/fixtures/coupa-purchase-order.json'],
    ['Coupa receiving transactions', COUPA_RECEIPT_SCHEMA, 'procurement/fixtures/coupa-receiving-transactions.json'],
    ['Coupa invoice', COUPA_INVOICE_SCHEMA, 'ap-automation/fixtures/captured-invoice.json'],
    ['Fusion supplier', FUSION_SUPPLIER_SCHEMA, 'erp/fixtures/fusion-supplier.json'],
    ['Fusion payment', FUSION_PAYMENT_SCHEMA, 'erp/fixtures/fusion-payment.json'],
    ['Fusion voided payment', FUSION_PAYMENT_SCHEMA, 'erp/fixtures/fusion-payment-voided.json'],
  ] as const)('accepts the %s fixture', (_name, schema, path) => {
    expect(issuePaths(schema, fixture(path))).toEqual([]);
  });

  it('names every bad field of a Coupa invoice at once', () => {
    const invoice = clone(fixture('ap-automation/fixtures/captured-invoice.json')) as Record<string, unknown>;
    invoice['invoice-number'] = 'N'.repeat(41);
    invoice['currency'] = { code: 'ZZZ' };
    invoice['tax-rate'] = '-21';
    delete (invoice['invoice-lines'] as Record<string, unknown>[])[0]!['line-num'];
    expect(issuePaths(COUPA_INVOICE_SCHEMA, invoice).sort()).toEqual(['currency.code', 'invoice-lines.0.line-num', 'invoice-number', 'tax-rate']);
  });

  it('refuses a supplier bank account with an IBAN whose check digits fail, and a payment without related invoices', () => {
    const supplier = clone(fixture('erp/fixtures/fusion-supplier.json')) as { bankAccounts: Record<string, unknown>[] };
    supplier.bankAccounts[0]!['IBAN'] = 'DE00370400440532013000';
    expect(issuePaths(FUSION_SUPPLIER_SCHEMA, supplier)).toEqual(['bankAccounts.0.IBAN']);
    const payment = clone(fixture('erp/fixtures/fusion-payment.json')) as Record<string, unknown>;
    payment['relatedInvoices'] = [];
    expect(issuePaths(FUSION_PAYMENT_SCHEMA, payment)).toEqual(['relatedInvoices']);
  });
});

describe('the mappers hold every payload to its payload schema (a polled record as a pushed one)', () => {
  it('reports a schema problem the mapper itself would not, in one list with the mapper\'s own', () => {
    const supplier = clone(fixture('erp/fixtures/fusion-supplier.json')) as { bankAccounts: Record<string, unknown>[]; Supplier: unknown };
    supplier.bankAccounts[0]!['IBAN'] = 'DE00370400440532013000';
    supplier.Supplier = 'S'.repeat(CONTRACT_MAX_LENGTH.name + 1);
    const ctx = { ids: nameBasedIds, legalEntities: () => LEGAL_ENTITIES.DE01 };
    const problems = problemsOf(() => mapFusionSupplier(supplier, ctx));
    expect(problems.filter((p) => p.path === 'bankAccounts[0].IBAN')).toHaveLength(1);
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'Supplier', reason: `must be at most ${CONTRACT_MAX_LENGTH.name} characters long` },
        // Both check the IBAN: the mapper's reason is kept, once.
        { path: 'bankAccounts[0].IBAN', reason: 'is not an IBAN (its check digits do not match)' },
      ]),
    );
  });

  it('keeps the mapper\'s reason where both name the same field', () => {
    const payment = clone(fixture('erp/fixtures/fusion-payment.json')) as Record<string, unknown>;
    payment['PaymentDate'] = '01.04.2025';
    const problems = problemsOf(() => readFusionPayment(payment));
    expect(problems.filter((p) => p.path === 'PaymentDate')).toEqual([{ path: 'PaymentDate', reason: expect.stringContaining('must be an ISO date') }]);
  });
});
