import { decimal } from '@finmesh/contracts';
import { openAmount, paymentStatusOf, settle, type InvoiceBalance } from './settlement';

const invoice = (id: string, gross: string, paid = '0.0000', currency = 'EUR'): InvoiceBalance => ({
  invoiceId: id,
  supplierInvoiceNumber: `N-${id}`,
  grossAmount: gross,
  amountPaid: paid,
  currency,
});

describe('settle', () => {
  it('marks a fully paid invoice PAID and a partly paid one PARTIALLY_PAID, exactly', () => {
    const invoices = new Map([
      ['a', invoice('a', '1210.0000')],
      ['b', invoice('b', '0.3000', '0.1000')],
    ]);
    const result = settle(invoices, [
      { invoiceId: 'a', amount: '1210.0000', currency: 'EUR', path: 'relatedInvoices[0].AmountPaid' },
      { invoiceId: 'b', amount: '0.1000', currency: 'EUR', path: 'relatedInvoices[1].AmountPaid' },
    ]);
    expect(result).toEqual({
      ok: true,
      settlements: [
        { invoiceId: 'a', amountPaid: '1210.0000', status: 'PAID' },
        { invoiceId: 'b', amountPaid: '0.2000', status: 'PARTIALLY_PAID' },
      ],
    });
  });

  it('adds up an invoice that appears twice in one payment', () => {
    const result = settle(new Map([['a', invoice('a', '100.0000')]]), [
      { invoiceId: 'a', amount: '60.0000', currency: 'EUR', path: 'p0' },
      { invoiceId: 'a', amount: '40.0000', currency: 'EUR', path: 'p1' },
    ]);
    expect(result).toEqual({ ok: true, settlements: [{ invoiceId: 'a', amountPaid: '100.0000', status: 'PAID' }] });
  });

  it('refuses an overpayment with the figures, and a currency mismatch', () => {
    const result = settle(
      new Map([
        ['a', invoice('a', '100.0000', '90.0000')],
        ['b', invoice('b', '100.0000', '0.0000', 'USD')],
      ]),
      [
        { invoiceId: 'a', amount: '10.0001', currency: 'EUR', path: 'relatedInvoices[0].AmountPaid' },
        { invoiceId: 'b', amount: '1.0000', currency: 'EUR', path: 'relatedInvoices[1].AmountPaid' },
      ],
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        { path: 'relatedInvoices[0].AmountPaid', reason: 'overpays invoice N-a (a): gross 100.0000 EUR, already paid 90.0000, open 10.0000, this payment 10.0001' },
        { path: 'relatedInvoices[1].AmountPaid', reason: 'pays EUR but invoice N-b (b) is in USD' },
      ],
    });
  });

  it('derives status and open amount', () => {
    expect(paymentStatusOf(decimal('0.0000'), decimal('0.0100'))).toBe('OPEN');
    expect(paymentStatusOf(decimal('0.0001'), decimal('0.0100'))).toBe('PARTIALLY_PAID');
    expect(paymentStatusOf(decimal('0.0100'), decimal('0.0100'))).toBe('PAID');
    expect(openAmount('0.3000', '0.1000')).toBe('0.2000');
  });
});
