import { BasicAuthorizer, PlatformHttpClient, Secret } from '@finmesh/connectors';
import { type ErpSimulator, startErpSimulator } from '@finmesh/erp-simulator';
import { erpConvergence } from './erp-view';

/** finmesh's view against the ERP simulator's, read through its authenticated REST API. */
describe('erpConvergence against the ERP simulator', () => {
  let erp: ErpSimulator;
  let client: PlatformHttpClient;
  const basic = `Basic ${Buffer.from('finmesh:finmesh-dev').toString('base64')}`;

  beforeAll(async () => {
    erp = await startErpSimulator({ port: 0, purchaseOrderCheck: 'off' });
    client = new PlatformHttpClient({
      platform: 'fusion',
      baseUrl: `${erp.url}/fscmRestApi/resources/11.13.18.05`,
      authorizer: new BasicAuthorizer({ kind: 'basic', username: 'finmesh', password: new Secret('finmesh-dev') }),
    });
    for (const [number, amount] of [['CONV-1', '1210.00'], ['CONV-2', '99.50']] as const) {
      const res = await fetch(`${erp.url}/fscmRestApi/resources/11.13.18.05/invoices`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: basic },
        body: JSON.stringify({
          InvoiceNumber: number, InvoiceCurrency: 'EUR', InvoiceAmount: amount, InvoiceDate: '2025-03-14', BusinessUnit: 'FINMESH DE BU', SupplierNumber: 'SUP-1001', SupplierSite: 'BERLIN',
          invoiceLines: [{ LineNumber: 1, LineAmount: amount, Description: 'Goods', invoiceDistributions: [{ DistributionLineNumber: 1, DistributionAmount: amount, DistributionCombination: '01-000-7640-0000-000' }] }],
        }),
      });
      expect(res.status).toBe(201);
    }
  });

  afterAll(async () => {
    await erp?.close();
  });

  it('converges when the ERP holds what finmesh posted, and names each difference otherwise', async () => {
    const agreed = await erpConvergence(client, {
      invoices: new Map([
        ['CONV-1', { amount: '1210.00', validationStatus: 'Validated' }],
        ['CONV-2', { amount: '99.50', validationStatus: 'Validated' }],
      ]),
    });
    expect(agreed).toEqual({ converged: true, differences: [] });

    const disagreed = await erpConvergence(client, {
      invoices: new Map([
        ['CONV-1', { amount: '1200.00', validationStatus: 'Validated' }],
        ['CONV-3', { amount: '10.00', validationStatus: 'Validated' }],
      ]),
    });
    expect(disagreed).toEqual({
      converged: false,
      differences: [
        { platform: 'erp', entity: 'invoice', key: 'CONV-1', kind: 'mismatch', field: 'amount', expected: '1200.00', actual: '1210.00' },
        { platform: 'erp', entity: 'invoice', key: 'CONV-3', kind: 'missing' },
      ],
    });
  });

  it('compares POs and the quantity received per PO line with what finmesh recorded', async () => {
    const api = async (path: string, body: unknown) => {
      const res = await fetch(`${erp.url}/fscmRestApi/resources/11.13.18.05${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basic }, body: JSON.stringify(body) });
      expect(res.status).toBeLessThan(300);
      return (await res.json()) as Record<string, unknown>;
    };
    const draft = await api('/draftPurchaseOrders', {
      OrderNumber: 'CONV-PO-1', ProcurementBU: 'DE Business Unit', Supplier: 'Schraubenwerk Müller GmbH', SupplierSite: 'STUTTGART', Buyer: 'Kerry Jones', CurrencyCode: 'EUR',
      lines: [{ LineNumber: 1, ItemDescription: 'Hex bolt M8x40', Quantity: 1000, UOM: 'EA', Price: '0.125', schedules: [{ ScheduleNumber: 1, Quantity: 1000, distributions: [{ DistributionNumber: 1, POChargeAccount: 'DE01-CC100-4410' }] }] }],
    });
    await api(`/draftPurchaseOrders/${String(draft['POHeaderId'])}/action/submit`, {});
    for (const quantity of [400, 250]) {
      await api('/receivingReceiptRequests', {
        ReceiptSourceCode: 'VENDOR', OrganizationCode: 'DE1', VendorName: 'Schraubenwerk Müller GmbH', BusinessUnit: 'DE Business Unit',
        lines: [{ ReceiptSourceCode: 'VENDOR', SourceDocumentCode: 'PO', TransactionType: 'RECEIVE', AutoTransactCode: 'DELIVER', DocumentNumber: 'CONV-PO-1', DocumentLineNumber: 1, DocumentScheduleNumber: 1, Quantity: quantity, UnitOfMeasure: 'EA' }],
      });
    }

    expect(await erpConvergence(client, { purchaseOrders: new Map([['CONV-PO-1', { status: 'Open' }]]), receipts: new Map([['CONV-PO-1#1', { received: '650' }]]) })).toEqual({ converged: true, differences: [] });
    // finmesh recorded a third receipt the ERP never got.
    expect(await erpConvergence(client, { receipts: new Map([['CONV-PO-1#1', { received: '700.0000' }]]) })).toEqual({
      converged: false,
      differences: [{ platform: 'erp', entity: 'receipt', key: 'CONV-PO-1#1', kind: 'mismatch', field: 'received', expected: '700.0000', actual: '650.0000' }],
    });
  });
});
