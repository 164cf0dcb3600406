import { classifyFusionInvoiceFailure } from '@finmesh/adapters';
import { startErpSimulator, type ErpSimulator, type PurchaseOrder, type ReceiptRequest } from './server';
import { simClient } from './testing/sim-client';

// POs (draftPurchaseOrders + submit, purchaseOrders), receipts (receivingReceiptRequests), and
// the refusal of a PO-matched invoice line for a PO the ERP does not hold.

const draft = (orderNumber: string, extra: Record<string, unknown> = {}) => ({
  OrderNumber: orderNumber,
  ProcurementBU: 'DE Business Unit',
  Supplier: 'Schraubenwerk Müller GmbH',
  SupplierSite: 'STUTTGART',
  Buyer: 'Kerry Jones',
  CurrencyCode: 'EUR',
  lines: [
    { LineNumber: 1, ItemDescription: 'Sechskantschraube M8x40', Quantity: 1000, UOM: 'EA', Price: '0.125', schedules: [{ ScheduleNumber: 1, Quantity: 1000, distributions: [{ DistributionNumber: 1, POChargeAccount: 'DE01-CC100-4410' }] }] },
    { LineNumber: 2, ItemDescription: 'Montageberatung', Quantity: '12.5', UOM: 'HUR', Price: '90' },
  ],
  ...extra,
});

// A PO-matched invoice as finmesh's adapter builds it (strings for amounts; PO line and schedule).
const matchedInvoice = (number: string, po: string, line = 1, schedule: number | undefined = 1) => ({
  InvoiceNumber: number,
  InvoiceCurrency: 'EUR',
  InvoiceAmount: '148.7500',
  InvoiceDate: '2025-03-18',
  BusinessUnit: 'DE Business Unit',
  Supplier: 'Schraubenwerk Müller GmbH',
  SupplierNumber: '1013',
  SupplierSite: 'STUTTGART',
  PurchaseOrderNumber: po,
  invoiceLines: [
    { LineNumber: 1, LineType: 'Item', LineAmount: '125.0000', Quantity: '1000.0000', UnitPrice: '0.125000', UOM: 'EA', TaxClassification: 'V19', PurchaseOrderNumber: po, PurchaseOrderLineNumber: line, ...(schedule !== undefined ? { PurchaseOrderScheduleLineNumber: schedule } : {}) },
    { LineNumber: 2, LineType: 'Freight', LineAmount: '23.75', DistributionCombination: 'DE01-CC100-6100' },
  ],
});

describe('ERP simulator purchasing (real HTTP)', () => {
  let sim: ErpSimulator;
  let c: ReturnType<typeof simClient>;
  beforeAll(async () => {
    sim = await startErpSimulator();
    c = simClient(sim);
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    await c.admin('POST', '/reset');
  });

  const openOrder = async (orderNumber: string) => {
    const created = await c.api<PurchaseOrder>('POST', '/draftPurchaseOrders', draft(orderNumber));
    expect(created.status).toBe(201);
    expect((await c.api('POST', `/draftPurchaseOrders/${created.body.POHeaderId}/action/submit`, {})).status).toBe(200);
    return created.body;
  };

  it('creates a draft PO with lines, schedules and distributions, submits it, and serves it as an open PO', async () => {
    const created = await c.api<PurchaseOrder>('POST', '/draftPurchaseOrders', draft('PO-4711'));
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toContain(`/draftPurchaseOrders/${created.body.POHeaderId}`);
    expect(created.body).toMatchObject({
      POHeaderId: expect.any(Number),
      OrderNumber: 'PO-4711',
      Status: 'Incomplete',
      CurrencyCode: 'EUR',
      LastUpdateDate: expect.any(String),
      lines: [
        { LineNumber: 1, Quantity: '1000.00', Price: '0.125', schedules: [{ ScheduleNumber: 1, Quantity: '1000.00', QuantityReceived: '0.00', distributions: [{ DistributionNumber: 1, POChargeAccount: 'DE01-CC100-4410' }] }] },
        { LineNumber: 2, Quantity: '12.50', schedules: [{ ScheduleNumber: 1, Quantity: '12.50' }] },
      ],
    });
    const id = created.body.POHeaderId;
    expect((await c.api<{ items: unknown[] }>('GET', '/draftPurchaseOrders')).body.items).toHaveLength(1);
    expect((await c.api<{ items: unknown[] }>('GET', '/purchaseOrders')).body.items).toHaveLength(0);

    const submitted = await c.api('POST', `/draftPurchaseOrders/${id}/action/submit`, {});
    expect(submitted.body).toEqual({ result: 'The purchase order PO-4711 was submitted. Status: Open.' });
    expect((await c.api('POST', `/draftPurchaseOrders/${id}/action/submit`, {})).status).toBe(400);
    expect((await c.api('GET', `/draftPurchaseOrders/${id}`)).status).toBe(404);

    const listed = await c.api<{ items: Array<Record<string, unknown>>; count: number }>('GET', "/purchaseOrders?q=OrderNumber='PO-4711'");
    expect(listed.body.items).toEqual([expect.objectContaining({ POHeaderId: id, OrderNumber: 'PO-4711', Status: 'Open' })]);
    expect(listed.body.items[0]).not.toHaveProperty('lines');
    expect((await c.api<PurchaseOrder>('GET', `/purchaseOrders/${id}?expand=lines`)).body.lines).toHaveLength(2);
    expect((await c.api<{ items: unknown[] }>('GET', `/purchaseOrders/${id}/child/lines`)).body.items).toHaveLength(2);
    await openOrder('PO-4712');
    const paged = await c.api<{ items: Array<{ OrderNumber: string }>; hasMore: boolean }>('GET', '/purchaseOrders?orderBy=OrderNumber:desc&limit=1');
    expect(paged.body).toMatchObject({ items: [{ OrderNumber: 'PO-4712' }], hasMore: true });
  });

  it('validates draft POs, every problem at once, and refuses a duplicate order number', async () => {
    const res = await c.api<{ 'o:errorDetails': Array<{ 'o:errorPath': string }> }>('POST', '/draftPurchaseOrders', { OrderNumber: 'PO-X', lines: [{ LineNumber: 0, Quantity: -1, Price: 'x' }] });
    expect(res.status).toBe(400);
    expect(res.body['o:errorDetails'].map((d) => d['o:errorPath'])).toEqual(['ProcurementBU', 'Supplier', 'CurrencyCode', 'lines[0].LineNumber', 'lines[0].Quantity', 'lines[0].Price']);
    await c.api('POST', '/draftPurchaseOrders', draft('PO-DUP'));
    expect((await c.api('POST', '/draftPurchaseOrders', draft('PO-DUP'))).body).toMatchObject({ 'o:errorDetails': [{ 'o:errorCode': 'PO_NUMBER_EXISTS' }] });
  });

  it('receives against an open PO schedule and refuses a receipt for a PO it does not hold', async () => {
    const order = await openOrder('PO-4720');
    const receipt = await c.api<ReceiptRequest>('POST', '/receivingReceiptRequests', {
      ReceiptSourceCode: 'VENDOR',
      OrganizationCode: 'DE1',
      VendorName: 'Schraubenwerk Müller GmbH',
      BusinessUnit: 'DE Business Unit',
      lines: [{ ReceiptSourceCode: 'VENDOR', SourceDocumentCode: 'PO', TransactionType: 'RECEIVE', AutoTransactCode: 'DELIVER', DocumentNumber: 'PO-4720', DocumentLineNumber: 1, DocumentScheduleNumber: 1, Quantity: 400, UnitOfMeasure: 'EA' }],
    });
    expect(receipt.status).toBe(201);
    expect(receipt.body).toMatchObject({ HeaderInterfaceId: expect.any(Number), ReceiptNumber: expect.any(String), ProcessingStatusCode: 'SUCCESS', lines: [{ DocumentNumber: 'PO-4720', Quantity: '400.00', ProcessingStatusCode: 'SUCCESS' }] });
    const schedule = (await c.api<PurchaseOrder>('GET', `/purchaseOrders/${order.POHeaderId}?expand=lines`)).body.lines[0]!.schedules[0]!;
    expect(schedule.QuantityReceived).toBe('400.00');
    expect((await c.api<{ items: unknown[] }>('GET', '/receivingReceiptRequests')).body.items).toHaveLength(1);
    expect((await c.api<{ items: unknown[] }>('GET', `/receivingReceiptRequests/${receipt.body.HeaderInterfaceId}/child/lines`)).body.items).toHaveLength(1);
    expect((await c.api('GET', `/receivingReceiptRequests/${receipt.body.HeaderInterfaceId}`)).body).not.toHaveProperty('lines');

    const unknown = await c.api('POST', '/receivingReceiptRequests', { lines: [{ DocumentNumber: 'PO-NOPE', DocumentLineNumber: 1, Quantity: 1 }] });
    expect(unknown).toMatchObject({ status: 400, body: { 'o:errorDetails': [{ detail: "Receipt line 1: purchase order PO-NOPE doesn't exist.", 'o:errorCode': 'RCV_INVALID_PO_REFERENCE' }] } });
  });

  it('refuses a PO-matched invoice line for a PO, line or schedule it does not hold, naming the line; posts once the PO exists', async () => {
    const refused = await c.api<{ 'o:errorDetails': Array<Record<string, string>> }>('POST', '/invoices', matchedInvoice('INV-PO-1', 'PO-4730'));
    expect(refused.status).toBe(400);
    expect(refused.body['o:errorDetails']).toEqual([{ detail: "Invoice line 1: purchase order PO-4730 doesn't exist.", 'o:errorCode': 'INVALID_PO_REFERENCE', 'o:errorPath': 'invoiceLines[0].PurchaseOrderNumber' }]);
    // finmesh classifies it as a business rejection of its own kind.
    expect(classifyFusionInvoiceFailure({ kind: 'response', status: 400, body: refused.body })).toMatchObject({ failureClass: 'BUSINESS', reasonCode: 'PURCHASE_ORDER_INVALID' });
    expect((await c.admin<{ count: number }>('GET', '/postings')).body.count).toBe(0);

    // A draft that was never submitted does not count.
    const created = await c.api<PurchaseOrder>('POST', '/draftPurchaseOrders', draft('PO-4730'));
    expect((await c.api<{ 'o:errorDetails': Array<{ detail: string }> }>('POST', '/invoices', matchedInvoice('INV-PO-1', 'PO-4730'))).body['o:errorDetails'][0]?.detail).toContain("isn't open");
    await c.api('POST', `/draftPurchaseOrders/${created.body.POHeaderId}/action/submit`, {});
    expect((await c.api<{ 'o:errorDetails': Array<{ detail: string }> }>('POST', '/invoices', matchedInvoice('INV-PO-1', 'PO-4730', 3))).body['o:errorDetails'][0]?.detail).toBe("Invoice line 1: purchase order PO-4730 line 3 doesn't exist.");
    expect((await c.api<{ 'o:errorDetails': Array<{ detail: string }> }>('POST', '/invoices', matchedInvoice('INV-PO-1', 'PO-4730', 1, 2))).body['o:errorDetails'][0]?.detail).toBe("Invoice line 1: purchase order PO-4730 line 1 schedule 2 doesn't exist.");

    const posted = await c.api('POST', '/invoices', matchedInvoice('INV-PO-1', 'PO-4730'));
    expect(posted.status).toBe(201);
    // Without a schedule number the line's only schedule is meant.
    expect((await c.api('POST', '/invoices', matchedInvoice('INV-PO-2', 'PO-4730', 1, undefined))).status).toBe(201);
    expect((await c.admin<{ count: number }>('GET', '/postings')).body.count).toBe(2);
  });

  it("accepts any PO reference with purchaseOrderCheck 'off'", async () => {
    const lax = await startErpSimulator({ purchaseOrderCheck: 'off' });
    try {
      const lc = simClient(lax);
      expect((await lc.api('POST', '/invoices', matchedInvoice('INV-PO-3', 'PO-NEVER-SENT'))).status).toBe(201);
      expect((await lc.api('POST', '/receivingReceiptRequests', { lines: [{ DocumentNumber: 'PO-NEVER-SENT', DocumentLineNumber: 1, Quantity: 1 }] })).status).toBe(201);
      expect((await lc.admin('GET', '/health')).body).toMatchObject({ purchaseOrderCheck: 'off' });
    } finally {
      await lax.close();
    }
  });
});
