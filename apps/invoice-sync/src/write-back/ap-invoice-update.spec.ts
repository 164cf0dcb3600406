import { newEnvelope, type InvoiceCancelled, type InvoiceErpValidationReported, type InvoicePostingFailed, type PaymentConfirmed } from '@finmesh/contracts';
import { cancelledUpdate, erpValidationUpdate, paymentNotes, paymentUpdates, postingFailedUpdate } from './ap-invoice-update';

const LE = { code: 'NL02', country: 'NL', name: 'NL' };
const envelope = (event: Parameters<typeof newEnvelope>[0]) => newEnvelope(event, { sourcePlatform: 'FINMESH', legalEntity: LE, occurredAt: new Date('2026-12-01T10:00:00Z') });

describe('what an invoice event means for the AP invoice', () => {
  it('a posting failure carries its class, code, attempts and message, as status and comment', () => {
    const e: InvoicePostingFailed = { envelope: envelope('InvoicePostingFailed'), invoiceId: 'i-1', failureClass: 'BUSINESS', erpCode: 'AP-810', erpMessage: 'The supplier site is inactive.', attempts: 1, remediationStatus: 'OPEN' };
    const u = postingFailedUpdate(e);
    expect(u).toMatchObject({ invoiceId: 'i-1', status: 'posting-failed' });
    expect(u.reason).toBe('Posting to the ERP failed (BUSINESS, AP-810) after 1 attempt(s): The supplier site is inactive.');
    expect(u.comment).toBe(u.reason);
  });

  it('ERP validation with holds is an ERP hold naming them; a clean validation is posted; not validated without holds is nothing', () => {
    const base: InvoiceErpValidationReported = { envelope: envelope('InvoiceErpValidationReported'), invoiceId: 'i-1', erpDocumentId: '300', validationStatus: 'NOT_VALIDATED', holds: [], reportedAt: new Date() };
    expect(erpValidationUpdate({ ...base, holds: [{ holdName: 'QTY REC', holdReason: 'Quantity billed exceeds quantity received' }] })).toMatchObject({
      status: 'erp-hold',
      reason: 'Held by ERP validation (NOT_VALIDATED): QTY REC (Quantity billed exceeds quantity received)',
    });
    expect(erpValidationUpdate({ ...base, validationStatus: 'VALIDATED' })).toMatchObject({ status: 'posted' });
    expect(erpValidationUpdate(base)).toBeUndefined();
  });

  it('a cancellation from the ERP or finmesh voids in AP; one that came from AP only sets the status', () => {
    const e: InvoiceCancelled = { envelope: envelope('InvoiceCancelled'), invoiceId: 'i-1', origin: 'ERP', cancelledAt: new Date(), erpDocumentId: '300', reason: 'duplicate' };
    expect(cancelledUpdate(e)).toMatchObject({ status: 'cancelled', void: true, comment: 'Cancelled (origin ERP): duplicate' });
    const fromAp = cancelledUpdate({ ...e, origin: 'AP_PLATFORM' });
    expect(fromAp.void).toBeUndefined();
    expect(fromAp.comment).toBeUndefined();
  });

  it('a payment of two invoices is one update per invoice, each settling its amount plus discount', () => {
    const e: PaymentConfirmed = {
      envelope: envelope('PaymentConfirmed'),
      paymentId: 'p-1',
      supplierId: 's-1',
      confirmedAt: new Date('2026-12-01T09:30:00Z'),
      bankReference: 'E2E-77',
      amount: { amount: '300.0000', currency: 'EUR' },
      allocations: [
        { invoiceId: 'i-1', supplierInvoiceNumber: null, amount: { amount: '100.0000', currency: 'EUR' }, discountTaken: { amount: '2.0000', currency: 'EUR' } },
        { invoiceId: 'i-2', supplierInvoiceNumber: null, amount: { amount: '200.0000', currency: 'EUR' }, discountTaken: null },
      ],
    };
    const updates = paymentUpdates(e);
    expect(updates.map((u) => [u.invoiceId, u.payment?.amountPaid, u.payment?.settles, u.payment?.paymentDate])).toEqual([
      ['i-1', '100.0000', '102.0000', '2026-12-01'],
      ['i-2', '200.0000', '200.0000', '2026-12-01'],
    ]);
    expect(updates[0]?.payment).toMatchObject({ notes: paymentNotes('p-1'), voided: false });
  });
});
