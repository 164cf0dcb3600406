import { unpaidInvoiceTotals } from './reporting-summary';

describe('unpaid invoice totals of the demo summary', () => {
  it('sums exactly per currency and keeps the sign of a net credit', () => {
    const liabilities = [
      { category: 'UNPAID_INVOICE', currency: 'EUR', amount: '0.1000' },
      { category: 'UNPAID_INVOICE', currency: 'EUR', amount: '0.2000' },
      { category: 'UNPAID_INVOICE', currency: 'USD', amount: '-0.5000' },
      { category: 'OPEN_PO', currency: 'USD', amount: '100.0000' },
    ];
    // The demo's own copy printed -0.5 as "0.5000".
    expect(unpaidInvoiceTotals(liabilities)).toEqual(['0.3000 EUR', '-0.5000 USD']);
  });
});
