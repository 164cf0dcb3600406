import { nameBasedId, type IdResolver, type MappingContext } from '../mapping/mapping-context';
import { LEGAL_ENTITIES, contractProblems } from '../test-support/contract';
import { problemsOf } from '../test-support/mapping-problems';
import { mapFusionPaymentConfirmed, mapFusionPaymentReleased } from './fusion-payment';
import sample from './fixtures/fusion-payment.json';

// ERP invoice ids map to the finmesh ids recorded when the invoices were posted (InvoicePosted).
const posted = new Map([
  ['300100187053845', 'inv-0815'],
  ['300100187060001', 'inv-0902'],
]);
const ids: IdResolver = (key) => (key.kind === 'invoice' ? posted.get(key.key) : nameBasedId(key.kind, key.key));
const ctx: MappingContext = {
  ids,
  legalEntities: (hint) => (hint.kind === 'legal-entity-name' && hint.value === 'finmesh Demo GmbH' ? LEGAL_ENTITIES.DE01 : undefined),
};
type Payment = Record<string, unknown> & { relatedInvoices: Record<string, unknown>[] };
const copy = (): Payment => JSON.parse(JSON.stringify(sample));

describe('mapFusionPaymentReleased', () => {
  it('maps a payment over several invoices with partial amounts and discounts', () => {
    const { payload, legalEntity, occurredAt } = mapFusionPaymentReleased(sample, ctx);
    expect(payload).toEqual({
      paymentId: nameBasedId('payment', '1207'),
      paymentRunId: 'PPR-2025-03-28-01',
      supplierId: nameBasedId('supplier', '1013'),
      amount: { amount: '1657.5000', currency: 'EUR' },
      method: 'SEPA_CREDIT_TRANSFER',
      valueDate: '2025-03-31',
      payeeBankAccountRef: '****3000',
      allocations: [
        { invoiceId: 'inv-0815', supplierInvoiceNumber: 'RE-2025-0815', amount: { amount: '1457.7500', currency: 'EUR' }, discountTaken: { amount: '29.7500', currency: 'EUR' } },
        { invoiceId: 'inv-0902', supplierInvoiceNumber: 'RE-2025-0902', amount: { amount: '199.7500', currency: 'EUR' }, discountTaken: null },
      ],
    });
    expect(legalEntity).toEqual(LEGAL_ENTITIES.DE01);
    expect(occurredAt.toISOString()).toBe('2025-03-28T16:02:44.120Z');
    expect(contractProblems('PaymentReleased', payload)).toEqual([]);
  });

  it('sums several installments of one invoice into one allocation', () => {
    const p = copy();
    p.relatedInvoices[1] = { InvoiceId: 300100187053845, InvoiceNumber: 'RE-2025-0815', InstallmentNumber: 2, AmountPaid: '199.75' };
    const { payload } = mapFusionPaymentReleased(p, ctx);
    expect(payload.allocations).toEqual([
      { invoiceId: 'inv-0815', supplierInvoiceNumber: 'RE-2025-0815', amount: { amount: '1657.5000', currency: 'EUR' }, discountTaken: { amount: '29.7500', currency: 'EUR' } },
    ]);
  });

  it('reports unknown invoices, bad amounts and a payment amount that does not add up', () => {
    const p = copy();
    p['PaymentAmount'] = 1700;
    p['PaymentCurrency'] = 'Euro';
    p.relatedInvoices[0]!['InvoiceId'] = 999;
    p.relatedInvoices[1]!['AmountPaid'] = '199.75501';
    expect(problemsOf(() => mapFusionPaymentReleased(p, ctx))).toEqual([
      { path: 'PaymentCurrency', reason: 'must be an ISO 4217 currency code (3 upper-case letters), got "Euro"' },
      { path: 'relatedInvoices[0].InvoiceId', reason: 'no finmesh invoice is known for "999"' },
      { path: 'relatedInvoices[1].AmountPaid', reason: 'has 5 fraction digits, at most 4 allowed (no silent rounding), got "199.75501"' },
    ]);
    const q = copy();
    q['PaymentAmount'] = 1700;
    expect(problemsOf(() => mapFusionPaymentReleased(q, ctx))).toEqual([
      { path: 'PaymentAmount', reason: 'is 1700.0000 but the sum of relatedInvoices[].AmountPaid is 1657.5000' },
    ]);
  });
});

describe('mapFusionPaymentConfirmed', () => {
  it('maps a cleared payment', () => {
    const p = copy();
    p['ClearingDate'] = '2025-03-31';
    p['ReconciledFlag'] = true;
    p['PaymentStatus'] = 'Reconciled';
    const { payload } = mapFusionPaymentConfirmed(p, ctx, { bankReference: 'E2E-20250331-000417' });
    expect(payload).toMatchObject({
      paymentId: nameBasedId('payment', '1207'),
      confirmedAt: new Date('2025-03-31T00:00:00.000Z'),
      bankReference: 'E2E-20250331-000417',
      amount: { amount: '1657.5000', currency: 'EUR' },
    });
    expect(payload.allocations).toHaveLength(2);
    expect(contractProblems('PaymentConfirmed', payload)).toEqual([]);
    expect(mapFusionPaymentConfirmed(p, ctx).payload.bankReference).toBe('218');
  });

  it('refuses a payment that has not cleared', () => {
    expect(problemsOf(() => mapFusionPaymentConfirmed(sample, ctx))).toEqual([{ path: 'ClearingDate', reason: 'is required: the payment has not cleared (PaymentStatus "Negotiable")' }]);
  });
});
