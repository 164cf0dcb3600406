import { decimal, type InvoiceReceived, type LineItem } from '@finmesh/contracts';
import { loadMatchToleranceRules } from '../matching/match-tolerance-rules';
import type { PurchaseOrderToMatch } from '../matching/three-way-match';
import { seenInvoiceOf, validateInvoice, type InvoiceValidationInput, type SupplierState } from './invoice-validation';
import { loadTaxCodeRules } from './tax-code-rules';

const toleranceRules = loadMatchToleranceRules();
const taxCodeRules = loadTaxCodeRules();

function line(lineNumber: number, poLineNumber: number | null, quantity: string, unitPrice: string, taxCode = 'NL-VAT-21'): LineItem {
  return {
    lineNumber,
    itemCode: null,
    description: `line ${lineNumber}`,
    quantity,
    unitOfMeasure: 'EA',
    unitPrice: { amount: unitPrice, currency: 'EUR' },
    amount: { amount: decimal(quantity).mul(decimal(unitPrice)).toFixed(4), currency: 'EUR' },
    taxCode,
    costCenter: null,
    glAccount: null,
    poLineNumber,
  };
}

/** A Dutch invoice (legal entity NL01) with 21 % VAT computed over its lines. */
function invoice(lines: LineItem[], over: Partial<InvoiceReceived> = {}): InvoiceReceived {
  const currency = over.currency ?? 'EUR';
  const net = lines.reduce((acc, l) => acc.add(decimal(l.amount.amount)), decimal('0'));
  const tax = net.percentOf(decimal('21')).round(2);
  return {
    envelope: {
      eventId: '6f1c1e9e-3f7a-4a57-9d0e-0d6f1c1e9e3f',
      eventType: 'finmesh.invoice.InvoiceReceived',
      eventVersion: 1,
      occurredAt: new Date('2025-03-14T09:30:00Z'),
      sourcePlatform: 'AP_AUTOMATION',
      correlationId: 'corr-1',
      causationId: null,
      legalEntity: { code: 'NL01', country: 'NL', name: 'finmesh Nederland B.V.' },
    },
    invoiceId: 'inv-2',
    supplierId: 'SUP-ACME',
    supplierInvoiceNumber: 'INV-00123',
    documentType: 'INVOICE',
    invoiceDate: '2025-03-14',
    dueDate: null,
    purchaseOrderId: 'PO-4500012345',
    currency,
    paymentTerms: null,
    lines,
    taxLines: [
      { taxCode: 'NL-VAT-21', rate: '21.0000', taxableAmount: { amount: net.toFixed(4), currency }, amount: { amount: tax.toFixed(4), currency } },
    ],
    totals: {
      net: { amount: net.toFixed(4), currency },
      tax: { amount: tax.toFixed(4), currency },
      gross: { amount: net.add(tax).toFixed(4), currency },
    },
    documentUri: null,
    ...over,
  };
}

const PO: PurchaseOrderToMatch = {
  purchaseOrderId: 'PO-4500012345',
  supplierId: 'SUP-ACME',
  currency: 'EUR',
  lines: [
    { lineNumber: 1, quantity: '100.0000', unitPrice: '12.500000', matchType: 'TWO_WAY', invoicedQuantity: '0.0000' },
    { lineNumber: 2, quantity: '10.0000', unitPrice: '400.000000', matchType: 'THREE_WAY', invoicedQuantity: '0.0000' },
  ],
};
const ACTIVE: SupplierState = { supplierId: 'SUP-ACME', status: 'ACTIVE', blockScopes: [] };
const CLEAN_LINES = [line(1, 1, '100.0000', '12.500000'), line(2, 2, '10.0000', '400.000000')];

function validation(over: Partial<InvoiceValidationInput> = {}): InvoiceValidationInput {
  return {
    invoice: invoice(CLEAN_LINES),
    supplier: ACTIVE,
    earlierInvoicesOfSupplier: [],
    purchaseOrder: PO,
    receivedQuantities: new Map([[2, '10.0000']]),
    toleranceRules,
    taxCodeRules,
    ...over,
  };
}

describe('validateInvoice', () => {
  it('matches a clean invoice against the PO and receipts', () => {
    const decision = validateInvoice(validation());
    expect(decision).toMatchObject({ status: 'MATCHED', reasons: [], duplicates: [] });
    expect(decision.matchResult).toMatchObject({ outcome: 'MATCHED', matchType: 'THREE_WAY', purchaseOrderId: 'PO-4500012345' });
    expect(decision.tolerances.appliedLevels).toEqual(['defaults', 'region EMEA', 'legal entity NL01']);
  });

  it.each([
    // name, input overrides, status, reason codes
    ['goods not received yet', { receivedQuantities: new Map() }, 'WAITING_FOR_RECEIPT', ['NO_RECEIPT']],
    ['partially received (6 of 10)', { receivedQuantities: new Map([[2, '6.0000']]) }, 'WAITING_FOR_RECEIPT', ['QTY_VARIANCE']],
    [
      'not received and a price variance',
      { invoice: invoice([line(1, 1, '100.0000', '13.000000'), line(2, 2, '10.0000', '400.000000')]), receivedQuantities: new Map() },
      'EXCEPTION',
      // the total is 50.00 over: exactly at the 50.00 cap, so no header-level variance
      ['PRICE_VARIANCE', 'NO_RECEIPT'],
    ],
    // NL01: 1 % capped at 2.50 per unit; 12.60 on 12.50 is 0.8 %: within
    ['NL01 price within its tolerance', { invoice: invoice([line(1, 1, '100.0000', '12.600000'), line(2, 2, '10.0000', '400.000000')]) }, 'MATCHED', []],
    ['blocked supplier', { supplier: { ...ACTIVE, status: 'BLOCKED' as const } }, 'ON_HOLD', ['SUPPLIER_BLOCKED']],
    ['posting block, even with other problems', { supplier: { ...ACTIVE, blockScopes: ['POSTING' as const] }, receivedQuantities: new Map() }, 'ON_HOLD', ['SUPPLIER_BLOCKED', 'NO_RECEIPT']],
    ['purchasing block only', { supplier: { ...ACTIVE, blockScopes: ['PURCHASING' as const] } }, 'MATCHED', []],
    ['unknown supplier', { supplier: null }, 'ON_HOLD', ['SUPPLIER_BLOCKED']],
    ['inactive supplier', { supplier: { ...ACTIVE, status: 'INACTIVE' as const } }, 'EXCEPTION', ['SUPPLIER_BLOCKED']],
    ['German tax code on a Dutch entity', { invoice: invoice([line(1, 1, '100.0000', '12.500000', 'DE-VAT-19'), line(2, 2, '10.0000', '400.000000')]) }, 'EXCEPTION', ['TAX_CODE_INVALID']],
    ['invoice in USD against a EUR PO', { invoice: invoice(CLEAN_LINES, { currency: 'USD' }) }, 'EXCEPTION', ['CURRENCY_MISMATCH']],
    ['no PO quoted', { invoice: invoice(CLEAN_LINES, { purchaseOrderId: null }) }, 'EXCEPTION', ['PO_NOT_FOUND']],
    ['PO unknown', { purchaseOrder: null }, 'EXCEPTION', ['PO_NOT_FOUND']],
    ['PO of another supplier', { purchaseOrder: { ...PO, supplierId: 'SUP-OTHER' } }, 'EXCEPTION', ['PO_NOT_FOUND']],
  ] as const)('%s -> %s', (_name, over, status, codes) => {
    const decision = validateInvoice(validation(over as Partial<InvoiceValidationInput>));
    expect(decision.status).toBe(status);
    expect(decision.reasons.map((r) => r.code)).toEqual(codes);
  });

  it('is re-run when the receipt arrives and then matches', () => {
    const waiting = validateInvoice(validation({ receivedQuantities: new Map() }));
    expect(waiting.status).toBe('WAITING_FOR_RECEIPT');
    const afterReceipt = validateInvoice(validation({ receivedQuantities: new Map([[2, '10.0000']]) }));
    expect(afterReceipt.status).toBe('MATCHED');
  });

  it('flags a duplicate by normalised number and does not match it', () => {
    const first = seenInvoiceOf({ ...invoice(CLEAN_LINES), invoiceId: 'inv-1', supplierInvoiceNumber: 'inv 123', invoiceDate: '2025-02-01' });
    const decision = validateInvoice(validation({ earlierInvoicesOfSupplier: [first] }));
    expect(decision.status).toBe('EXCEPTION');
    expect(decision.reasons).toEqual([
      {
        code: 'DUPLICATE_INVOICE',
        lineNumber: null,
        expected: null,
        actual: null,
        variance: null,
        tolerance: null,
        message: 'Possible duplicate of invoice inv-1: the same invoice number (inv 123).',
      },
    ]);
    expect(decision.matchResult).toBeNull();
  });

  it('is not its own duplicate when validated again', () => {
    const itself = seenInvoiceOf(invoice(CLEAN_LINES));
    expect(validateInvoice(validation({ earlierInvoicesOfSupplier: [itself] })).status).toBe('MATCHED');
  });

  it('does not call a credit note a duplicate of the invoice it corrects', () => {
    const original = seenInvoiceOf({ ...invoice(CLEAN_LINES), invoiceId: 'inv-1' });
    const credit = invoice([line(1, 1, '-10.0000', '12.500000')], { invoiceId: 'cn-1', documentType: 'CREDIT_NOTE' });
    const po = { ...PO, lines: PO.lines.map((l) => ({ ...l, invoicedQuantity: l.quantity })) };
    const decision = validateInvoice(validation({ invoice: credit, purchaseOrder: po, earlierInvoicesOfSupplier: [original] }));
    expect(decision.status).toBe('MATCHED');
  });
});
