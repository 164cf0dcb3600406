import { confirmationDelayDays, paymentConfirmed, paymentReleased, paymentVoided, startOfDayUtc, type RecordedPayment } from './payment-events';

const recorded: RecordedPayment = {
  paymentId: 'p-1',
  paymentRunId: 'FUSION-PAYMENT-100001',
  supplierId: 's-1',
  amount: '120.0000',
  currency: 'EUR',
  method: 'SEPA_CREDIT_TRANSFER',
  valueDate: '2025-04-01',
  payeeBankAccountRef: '****3000',
  legalEntity: { code: 'DE01', country: 'DE', name: null },
  correlationId: 'corr-1',
  allocations: [{ invoiceId: 'i-1', supplierInvoiceNumber: 'INV-1', amount: { amount: '120.0000', currency: 'EUR' }, discountTaken: null }],
};

describe('payment events', () => {
  it('builds PaymentReleased as an ERP fact in the invoice flow', () => {
    const e = paymentReleased(recorded);
    expect(e).toMatchObject({ paymentId: 'p-1', amount: { amount: '120.0000', currency: 'EUR' }, allocations: recorded.allocations });
    expect(e.envelope).toMatchObject({
      eventType: 'finmesh.payment.PaymentReleased',
      sourcePlatform: 'ERP',
      correlationId: 'corr-1',
      causationId: null,
      occurredAt: new Date('2025-04-01T00:00:00.000Z'),
    });
  });

  it('builds PaymentConfirmed with the clearing date and bank reference', () => {
    const e = paymentConfirmed(recorded, { bankReference: 'B-1', clearedDate: '2025-04-03' });
    expect(e).toMatchObject({ paymentId: 'p-1', bankReference: 'B-1', confirmedAt: new Date('2025-04-03T00:00:00.000Z'), allocations: recorded.allocations });
  });

  it('builds PaymentVoided with the void date and the allocations it reverses', () => {
    const e = paymentVoided(recorded, { voidDate: '2025-04-05', reason: null });
    expect(e).toMatchObject({ paymentId: 'p-1', supplierId: 's-1', voidDate: '2025-04-05', amount: { amount: '120.0000', currency: 'EUR' }, allocations: recorded.allocations, reason: null });
    expect(e.envelope).toMatchObject({ eventType: 'finmesh.payment.PaymentVoided', sourcePlatform: 'ERP', occurredAt: new Date('2025-04-05T00:00:00.000Z') });
  });

  it('counts whole days between value date and clearing, across DST and month ends', () => {
    expect(confirmationDelayDays('2025-03-28', '2025-04-02')).toBe(5);
    expect(confirmationDelayDays('2025-04-01', '2025-04-01')).toBe(0);
    expect(startOfDayUtc('2025-12-31').toISOString()).toBe('2025-12-31T00:00:00.000Z');
  });
});
