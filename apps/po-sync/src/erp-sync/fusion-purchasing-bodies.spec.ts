import type { GoodsReceiptRecorded, PurchaseOrderIssued } from '@finmesh/contracts';
import { draftPurchaseOrderBody, receiptReference, receiptRequestBody } from './fusion-purchasing-bodies';

const DE01 = { code: 'DE01', country: 'DE', name: 'Vision DE' };
const line = (lineNumber: number, quantity: string, price: string, glAccount: string | null) => ({
  lineNumber, itemCode: null, description: `Line ${lineNumber}`, quantity, unitOfMeasure: 'EA', unitPrice: { amount: price, currency: 'EUR' },
  amount: { amount: '0.0000', currency: 'EUR' }, taxCode: null, costCenter: { code: 'CC100', name: null }, glAccount, matchType: 'THREE_WAY' as const,
  needByDate: lineNumber === 1 ? '2025-04-01' : null,
});
const po = {
  purchaseOrderId: 'po-1', poNumber: 'PO-1', revision: 1, supplierId: 's-1', buyer: 'a.schmidt', orderDate: '2025-03-03', currency: 'EUR',
  paymentTerms: null, shipTo: null, lines: [line(1, '1000.0000', '0.125000', '4410'), line(2, '12.5000', '90.000000', null)],
  totals: { net: { amount: '0', currency: 'EUR' }, tax: { amount: '0', currency: 'EUR' }, gross: { amount: '0', currency: 'EUR' } },
} as unknown as Omit<PurchaseOrderIssued, 'envelope'>;

describe('Fusion purchasing bodies', () => {
  it('builds a draft PO keyed by the procurement PO number, one schedule and distribution per line, amounts as decimal strings', () => {
    const body = draftPurchaseOrderBody(po, { legalEntity: DE01, supplierNumber: '1013', supplierName: 'Schraubenwerk', supplierSite: null });
    expect(body).toEqual({
      OrderNumber: 'PO-1', ProcurementBU: 'Vision DE', Supplier: 'Schraubenwerk', SupplierNumber: '1013', Buyer: 'a.schmidt', CurrencyCode: 'EUR',
      Description: 'finmesh purchase order po-1',
      lines: [
        { LineNumber: 1, LineType: 'Goods', ItemDescription: 'Line 1', Quantity: '1000', UOM: 'EA', Price: '0.125',
          schedules: [{ ScheduleNumber: 1, Quantity: '1000', NeedByDate: '2025-04-01', distributions: [{ DistributionNumber: 1, Quantity: '1000', POChargeAccount: 'DE01-CC100-4410' }] }] },
        { LineNumber: 2, LineType: 'Goods', ItemDescription: 'Line 2', Quantity: '12.5', UOM: 'EA', Price: '90',
          schedules: [{ ScheduleNumber: 1, Quantity: '12.5', distributions: [{ DistributionNumber: 1, Quantity: '12.5' }] }] },
      ],
    });
    expect(draftPurchaseOrderBody(po, { legalEntity: { ...DE01, name: null }, supplierNumber: '1013', supplierName: null, supplierSite: 'MAIN' })).toMatchObject({ ProcurementBU: 'DE01', SupplierSite: 'MAIN' });
  });

  it('sends the positive lines of a receipt against schedule 1 and leaves returns and voids out, naming them', () => {
    const receipt = {
      purchaseOrderId: 'po-1', receiptId: 'r-1', receiptNumber: '60001', supplierId: 's-1', receivedAt: new Date(0), receivedBy: null,
      lines: [{ poLineNumber: 1, quantityReceived: '600.0000', unitOfMeasure: 'EA' }, { poLineNumber: 2, quantityReceived: '-2.5000', unitOfMeasure: 'EA' }],
    } as Omit<GoodsReceiptRecorded, 'envelope'>;
    const { body, leftOut } = receiptRequestBody(receipt, { poNumber: 'PO-1', legalEntity: DE01, supplierNumber: '1013', supplierName: null });
    expect(body).toEqual({
      ReceiptSourceCode: 'VENDOR', BusinessUnit: 'Vision DE', VendorNumber: '1013', ShipmentNumber: receiptReference('r-1'),
      lines: [{ ReceiptSourceCode: 'VENDOR', SourceDocumentCode: 'PO', TransactionType: 'RECEIVE', AutoTransactCode: 'DELIVER', DocumentNumber: 'PO-1',
        DocumentLineNumber: 1, DocumentScheduleNumber: 1, Quantity: '600', UnitOfMeasure: 'EA' }],
    });
    expect(leftOut).toEqual([{ poLineNumber: 2, quantity: '-2.5000' }]);
    const onlyVoid = receiptRequestBody({ ...receipt, lines: [receipt.lines[1]!] }, { poNumber: 'PO-1', legalEntity: DE01, supplierNumber: '1013', supplierName: null });
    expect(onlyVoid.body).toBeUndefined();
  });

  it('derives a stable 30-character receipt reference from the receipt id alone', () => {
    expect(receiptReference('r-1')).toBe(receiptReference('r-1'));
    expect(receiptReference('r-1')).not.toBe(receiptReference('r-2'));
    expect(receiptReference('r-1')).toMatch(/^FM[0-9A-F]{28}$/);
  });
});
