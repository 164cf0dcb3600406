import { decimal } from '@finmesh/contracts';
import type { MatchTolerances } from './match-tolerance-rules';
import {
  allowedVariance,
  matchInvoice,
  receivedQuantitiesByPoLine,
  type InvoiceLineToMatch,
  type MatchInput,
  type PurchaseOrderLineToMatch,
} from './three-way-match';

const TOLERANCES: MatchTolerances = {
  quantity: { percent: '0', acceptUnderDelivery: true },
  unitPrice: { percent: '2', absolute: '5.00', combine: 'STRICTER', acceptLowerPrice: true },
  total: { percent: '1', absolute: '50.00', combine: 'STRICTER' },
};

function poLine(over: Partial<PurchaseOrderLineToMatch> & { lineNumber: number }): PurchaseOrderLineToMatch {
  return { quantity: '100.0000', unitPrice: '12.500000', matchType: 'TWO_WAY', invoicedQuantity: '0.0000', ...over };
}

function invLine(lineNumber: number, poLineNumber: number | null, quantity: string, unitPrice: string): InvoiceLineToMatch {
  return { lineNumber, poLineNumber, quantity, unitPrice, amount: decimal(quantity).mul(decimal(unitPrice)).toFixed(4) };
}

/** An invoice of the given lines whose net total is the sum of the line amounts (as the AP platform checks). */
function input(
  lines: InvoiceLineToMatch[],
  poLines: PurchaseOrderLineToMatch[],
  over: { currency?: string; tolerances?: MatchTolerances; received?: Map<number, string>; netTotal?: string } = {},
): MatchInput {
  const net = lines.reduce((acc, l) => acc.add(decimal(l.amount)), decimal('0'));
  return {
    invoice: {
      supplierId: 'SUP-ACME',
      purchaseOrderId: 'PO-4500012345',
      currency: over.currency ?? 'EUR',
      netTotal: over.netTotal ?? net.toFixed(4),
      lines,
    },
    purchaseOrder: { purchaseOrderId: 'PO-4500012345', supplierId: 'SUP-ACME', currency: 'EUR', lines: poLines },
    receivedQuantities: over.received ?? new Map(),
    tolerances: over.tolerances ?? TOLERANCES,
  };
}

describe('allowedVariance', () => {
  it.each([
    // expected, percent, absolute, combine, allowed
    ['400.000000', '2', '5.00', 'STRICTER', '5.00'], // 2 % = 8.00, capped at 5.00
    ['400.000000', '2', '5.00', 'LOOSER', '8.00'],
    ['1.000000', '2', '5.00', 'STRICTER', '0.02'],
    ['1.000000', '2', null, 'STRICTER', '0.02'],
    ['1.000000', null, null, 'LOOSER', '0.00'], // nothing set: exact match
  ] as const)('%s with %s %% / %s abs %s -> %s', (expected, percent, absolute, combine, allowed) => {
    expect(allowedVariance(decimal(expected), { percent, absolute, combine }).toFixed(2)).toBe(allowed);
  });
});

describe('matchInvoice', () => {
  it('matches a clean two-way line and reports it in the InvoiceMatched shape', () => {
    const result = matchInvoice(input([invLine(1, 1, '100.0000', '12.500000')], [poLine({ lineNumber: 1 })]));
    expect(result).toEqual({
      outcome: 'MATCHED',
      purchaseOrderId: 'PO-4500012345',
      matchType: 'TWO_WAY',
      lines: [
        {
          invoiceLineNumber: 1,
          poLineNumber: 1,
          matchType: 'TWO_WAY',
          invoicedQuantity: '100.0000',
          orderedQuantity: '100.0000',
          receivedQuantity: null,
          priceVariance: { amount: '0.0000', currency: 'EUR' },
          withinTolerance: true,
        },
      ],
      exceptions: [],
      receiptPendingLineNumbers: [],
    });
  });

  describe('unit price', () => {
    it.each([
      // name, PO price, invoice price, tolerances, expected reason (or null), tolerance figure
      ['+1.5 %: within 2 % but 6.00 beyond the 5.00 cap', '400.000000', '406.000000', TOLERANCES, 'PRICE_VARIANCE', '5.000000'],
      ['+1.5 % with LOOSER limits: 8.00 allowed', '400.000000', '406.000000', { ...TOLERANCES, unitPrice: { ...TOLERANCES.unitPrice, combine: 'LOOSER' } }, null, null],
      ['+1.25 % and 5.00: exactly at the cap', '400.000000', '405.000000', TOLERANCES, null, null],
      ['cheap item +10 %: 0.10 is within 5.00 but beyond 2 %', '1.000000', '1.100000', TOLERANCES, 'PRICE_VARIANCE', '0.020000'],
      ['lower price accepted', '400.000000', '380.000000', TOLERANCES, null, null],
      ['lower price refused when configured', '400.000000', '380.000000', { ...TOLERANCES, unitPrice: { ...TOLERANCES.unitPrice, acceptLowerPrice: false } }, 'PRICE_VARIANCE', '5.000000'],
      // 2 % of 0.012345 is 0.0002469 exactly: 0.000246 over passes, 0.000255 over does not
      ['sub-cent unit price just within 2 %', '0.012345', '0.012591', TOLERANCES, null, null],
      ['sub-cent unit price beyond 2 %', '0.012345', '0.012600', TOLERANCES, 'PRICE_VARIANCE', '0.000247'],
    ] as const)('%s', (_name, poPrice, invoicePrice, tolerances, reason, tolerance) => {
      const result = matchInvoice(
        input([invLine(1, 1, '25.0000', invoicePrice)], [poLine({ lineNumber: 1, unitPrice: poPrice })], {
          tolerances,
          netTotal: decimal('25').mul(decimal(poPrice)).toFixed(4), // keep the total check out of this table
        }),
      );
      expect(result.exceptions.map((e) => e.code)).toEqual(reason === null ? [] : [reason]);
      expect(result.exceptions[0]?.tolerance ?? null).toBe(tolerance);
      expect(result.lines[0]?.withinTolerance).toBe(reason === null);
    });

    it('reports the figures of a price variance and the line price variance amount', () => {
      const result = matchInvoice(
        input([invLine(3, 1, '25.0000', '406.000000')], [poLine({ lineNumber: 1, unitPrice: '400.000000' })], {
          netTotal: '10000.0000',
        }),
      );
      expect(result.exceptions).toEqual([
        {
          code: 'PRICE_VARIANCE',
          lineNumber: 3,
          expected: '400.000000',
          actual: '406.000000',
          variance: '6.000000',
          tolerance: '5.000000',
          message:
            'Line 3: unit price 406.000000 EUR differs from the PO price 400.000000 by +6.000000 (+1.50 %); allowed 5.000000 per unit (2 % and 5.00 absolute, stricter).',
        },
      ]);
      expect(result.lines[0]?.priceVariance).toEqual({ amount: '150.0000', currency: 'EUR' });
    });
  });

  describe('quantity', () => {
    it('catches over-invoicing across two invoices (2-way: against the ordered quantity)', () => {
      // First invoice billed 60 of 100; this one bills 50 more.
      const result = matchInvoice(
        input([invLine(1, 10, '50.0000', '12.500000')], [poLine({ lineNumber: 10, invoicedQuantity: '60.0000' })]),
      );
      expect(result.outcome).toBe('EXCEPTION');
      expect(result.exceptions).toMatchObject([
        { code: 'QTY_VARIANCE', lineNumber: 1, expected: '100.0000', actual: '110.0000', variance: '10.0000', tolerance: '0.0000' },
      ]);
      expect(result.receiptPendingLineNumbers).toEqual([]);
    });

    it('accepts the same over-invoicing within a 10 % quantity tolerance', () => {
      const tolerances = { ...TOLERANCES, quantity: { percent: '10', acceptUnderDelivery: true } };
      const result = matchInvoice(
        input([invLine(1, 10, '50.0000', '12.500000')], [poLine({ lineNumber: 10, invoicedQuantity: '60.0000' })], { tolerances }),
      );
      expect(result.outcome).toBe('MATCHED');
    });

    it('adds up two lines of the same invoice billing one PO line', () => {
      const result = matchInvoice(
        input([invLine(1, 1, '60.0000', '12.500000'), invLine(2, 1, '50.0000', '12.500000')], [poLine({ lineNumber: 1 })]),
      );
      expect(result.exceptions.map((e) => [e.code, e.lineNumber, e.actual])).toEqual([['QTY_VARIANCE', 2, '110.0000']]);
      expect(result.lines.map((l) => l.withinTolerance)).toEqual([true, false]);
    });

    it('refuses partial invoicing when under-delivery is not accepted', () => {
      const tolerances = { ...TOLERANCES, quantity: { percent: '2', acceptUnderDelivery: false } };
      const lines = [invLine(1, 1, '90.0000', '12.500000')];
      expect(matchInvoice(input(lines, [poLine({ lineNumber: 1 })], { tolerances })).exceptions).toMatchObject([
        { code: 'QTY_VARIANCE', expected: '100.0000', actual: '90.0000', variance: '-10.0000', tolerance: '2.0000' },
      ]);
      const within = [invLine(1, 1, '98.0000', '12.500000')];
      expect(matchInvoice(input(within, [poLine({ lineNumber: 1 })], { tolerances })).outcome).toBe('MATCHED');
    });

    it('matches a credit note within what was invoiced, and refuses crediting more', () => {
      const credit = [invLine(1, 1, '-10.0000', '12.500000')];
      expect(matchInvoice(input(credit, [poLine({ lineNumber: 1, invoicedQuantity: '100.0000' })])).outcome).toBe('MATCHED');
      expect(matchInvoice(input(credit, [poLine({ lineNumber: 1, invoicedQuantity: '5.0000' })])).exceptions).toMatchObject([
        { code: 'QTY_VARIANCE', actual: '-5.0000' },
      ]);
    });
  });

  describe('three-way', () => {
    const threeWay = poLine({ lineNumber: 1, matchType: 'THREE_WAY' });
    // Two partial receipts: 40 then 20 of the 100 ordered.
    const received = receivedQuantitiesByPoLine([
      { poLineNumber: 1, quantityReceived: '40.0000' },
      { poLineNumber: 1, quantityReceived: '20.0000' },
    ]);

    it.each([
      // invoiced quantity, exception codes, receipt pending lines
      ['60.0000', [], []],
      ['45.0000', [], []],
      ['80.0000', ['QTY_VARIANCE'], [1]], // within the order: the next receipt will fix it
      ['120.0000', ['QTY_VARIANCE'], []], // beyond the order: no receipt will
    ] as const)('invoicing %s after receipts of 40 + 20 -> %j', (quantity, codes, pending) => {
      const result = matchInvoice(input([invLine(1, 1, quantity, '12.500000')], [threeWay], { received }));
      expect(result.exceptions.map((e) => e.code)).toEqual(codes);
      expect(result.receiptPendingLineNumbers).toEqual(pending);
      expect(result.lines[0]).toMatchObject({ matchType: 'THREE_WAY', receivedQuantity: '60.0000', orderedQuantity: '100.0000' });
    });

    it('reports the received quantity as expected figure of the quantity variance', () => {
      const result = matchInvoice(input([invLine(1, 1, '80.0000', '12.500000')], [threeWay], { received }));
      expect(result.exceptions[0]).toMatchObject({ expected: '60.0000', actual: '80.0000', variance: '20.0000' });
    });

    it('raises NO_RECEIPT when nothing was received (returns netted out count as nothing)', () => {
      const returned = receivedQuantitiesByPoLine([
        { poLineNumber: 1, quantityReceived: '10.0000' },
        { poLineNumber: 1, quantityReceived: '-10.0000' },
      ]);
      for (const r of [new Map<number, string>(), returned]) {
        const result = matchInvoice(input([invLine(1, 1, '10.0000', '12.500000')], [threeWay], { received: r }));
        expect(result.exceptions).toMatchObject([{ code: 'NO_RECEIPT', lineNumber: 1, expected: '0.0000', actual: '10.0000' }]);
        expect(result.receiptPendingLineNumbers).toEqual([1]);
      }
    });

    it('does not call a line receipt-pending when it also has a price problem', () => {
      const result = matchInvoice(input([invLine(1, 1, '10.0000', '14.000000')], [threeWay], { netTotal: '125.0000' }));
      expect(result.exceptions.map((e) => e.code)).toEqual(['PRICE_VARIANCE', 'NO_RECEIPT']);
      expect(result.receiptPendingLineNumbers).toEqual([]);
    });

    it('matches mixed 2-way and 3-way lines and reports the strictest mode', () => {
      const result = matchInvoice(
        input([invLine(1, 1, '60.0000', '12.500000'), invLine(2, 2, '5.0000', '80.000000')], [threeWay, poLine({ lineNumber: 2, unitPrice: '80.000000', quantity: '5.0000' })], { received }),
      );
      expect(result.outcome).toBe('MATCHED');
      expect(result.matchType).toBe('THREE_WAY');
      expect(result.lines.map((l) => [l.matchType, l.receivedQuantity])).toEqual([['THREE_WAY', '60.0000'], ['TWO_WAY', null]]);
    });
  });

  describe('header checks', () => {
    it('raises CURRENCY_MISMATCH and does not compare prices across currencies', () => {
      const result = matchInvoice(input([invLine(1, 1, '100.0000', '13.700000')], [poLine({ lineNumber: 1 })], { currency: 'USD' }));
      expect(result.exceptions.map((e) => e.code)).toEqual(['CURRENCY_MISMATCH']);
      expect(result.exceptions[0]?.message).toContain('USD differs from the currency EUR');
      expect(result.lines[0]).toMatchObject({ withinTolerance: false, priceVariance: { amount: '0.0000', currency: 'USD' } });
    });

    it('raises PO_NOT_FOUND for an unknown PO and for a PO of another supplier, without matching lines', () => {
      const unknown = { ...input([invLine(1, 1, '1.0000', '12.500000')], [poLine({ lineNumber: 1 })]), purchaseOrder: null };
      const foreign = input([invLine(1, 1, '1.0000', '12.500000')], [poLine({ lineNumber: 1 })]);
      const foreignPo = { ...foreign, purchaseOrder: { ...foreign.purchaseOrder!, supplierId: 'SUP-OTHER' } };
      for (const [i, text] of [[unknown, 'is not known'], [foreignPo, 'belongs to another supplier (SUP-OTHER)']] as const) {
        const result = matchInvoice(i);
        expect(result).toMatchObject({ outcome: 'EXCEPTION', purchaseOrderId: null, lines: [] });
        expect(result.exceptions).toMatchObject([{ code: 'PO_NOT_FOUND', lineNumber: null }]);
        expect(result.exceptions[0]?.message).toContain(text);
      }
    });

    it('raises PO_NOT_FOUND for a line quoting a PO line that does not exist', () => {
      const result = matchInvoice(input([invLine(1, 1, '1.0000', '12.500000'), invLine(2, 7, '1.0000', '3.000000')], [poLine({ lineNumber: 1 })], { netTotal: '12.5000' }));
      expect(result.exceptions).toMatchObject([{ code: 'PO_NOT_FOUND', lineNumber: 2 }]);
      expect(result.lines.map((l) => l.invoiceLineNumber)).toEqual([1]);
    });

    it.each([
      // freight without a PO line on a 1,250.00 invoice: 1 % = 12.50 applies (stricter than 50.00)
      ['10.00 freight', '10.000000', []],
      ['80.00 freight', '80.000000', [{ code: 'PRICE_VARIANCE', lineNumber: null, expected: '1250.0000', actual: '1330.0000', variance: '80.0000', tolerance: '12.5000' }]],
    ])('checks the net total against the PO value: %s', (_name, freight, exceptions) => {
      const result = matchInvoice(input([invLine(1, 1, '100.0000', '12.500000'), invLine(2, null, '1.0000', freight)], [poLine({ lineNumber: 1 })]));
      expect(result.exceptions).toMatchObject(exceptions);
      expect(result.lines).toHaveLength(1);
    });
  });
});
