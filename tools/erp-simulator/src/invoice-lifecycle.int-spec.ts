import { readFusionInvoiceHold, readFusionInvoiceStatus } from '@finmesh/adapters';
import { startErpSimulator, type ErpSimulator, type InvoiceHold } from './server';
import { invoiceBody, simClient, sleep } from './testing/sim-client';

// After creation: validation, holds, release, cancellation — read back the way a poller would.

type Invoice = Record<string, unknown> & { InvoiceId: number; ValidationStatus: string; LastUpdateDate: string };

describe('ERP simulator invoice life cycle (real HTTP)', () => {
  let sim: ErpSimulator;
  let c: ReturnType<typeof simClient>;
  const read = async (id: number) => (await c.api<Invoice>('GET', `/invoices/${id}`)).body;
  const create = async (number: string, client = c) => (await client.api<Invoice>('POST', '/invoices', invoiceBody(number))).body;

  beforeAll(async () => {
    sim = await startErpSimulator();
    c = simClient(sim);
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    await c.admin('POST', '/reset');
  });

  it('creates invoices Not validated and validates them by the next read (validationDelayMs 0)', async () => {
    const created = await create('INV-L1');
    expect(created.ValidationStatus).toBe('Not validated');
    const now = await read(created.InvoiceId);
    expect(now.ValidationStatus).toBe('Validated');
    expect(readFusionInvoiceStatus(now)).toMatchObject({ erpDocumentId: String(created.InvoiceId), validation: 'VALIDATED' });
  });

  it('validates after validationDelayMs, or only on the validateInvoice action when the delay is null', async () => {
    const delayed = await startErpSimulator({ validationDelayMs: 150 });
    const manual = await startErpSimulator({ validationDelayMs: null });
    try {
      const dc = simClient(delayed);
      const id = (await create('INV-L2', dc)).InvoiceId;
      expect((await dc.api<Invoice>('GET', `/invoices/${id}`)).body.ValidationStatus).toBe('Not validated');
      await sleep(200);
      expect((await dc.api<Invoice>('GET', `/invoices/${id}`)).body.ValidationStatus).toBe('Validated');

      const mc = simClient(manual);
      const mid = (await create('INV-L3', mc)).InvoiceId;
      await sleep(20);
      expect((await mc.api<Invoice>('GET', `/invoices/${mid}`)).body.ValidationStatus).toBe('Not validated');
      const action = await mc.api('POST', '/invoices/action/validateInvoice', { InvoiceNumber: 'INV-L3', BusinessUnit: 'FINMESH DE BU' });
      expect(action.status).toBe(200);
      expect(action.headers.get('content-type')).toBe('application/vnd.oracle.adf.actionresult+json');
      expect(action.body).toEqual({ result: expect.stringContaining('Validated') });
      expect((await mc.api<Invoice>('GET', `/invoices/${mid}`)).body.ValidationStatus).toBe('Validated');
      expect((await mc.api('POST', '/invoices/action/validateInvoice', { InvoiceNumber: 'NOPE' })).status).toBe(400);
    } finally {
      await delayed.close();
      await manual.close();
    }
  });

  it('puts an armed hold on the invoice at validation: Needs revalidation, with an invoiceHolds row', async () => {
    const armed = await c.admin('POST', '/holds', { invoiceNumber: 'INV-L4', holdName: 'Qty Rec', holdReason: 'Quantity billed exceeds quantity received.', lineNumber: 1 });
    expect(armed).toMatchObject({ status: 201, body: { status: 'ARMED' } });
    const created = await create('INV-L4');
    const held = await read(created.InvoiceId);
    expect(held.ValidationStatus).toBe('Needs revalidation');
    const holds = (await c.api<{ items: InvoiceHold[] }>('GET', `/invoiceHolds?q=InvoiceId=${created.InvoiceId}`)).body.items;
    expect(holds).toEqual([
      expect.objectContaining({ HoldId: expect.any(Number), InvoiceId: created.InvoiceId, InvoiceNumber: 'INV-L4', HoldName: 'Qty Rec', LineHeld: 1, ReleaseName: null, HoldReason: 'Quantity billed exceeds quantity received.' }),
    ]);
    expect(readFusionInvoiceHold(holds[0])).toMatchObject({ holdName: 'Qty Rec', released: false, lineHeld: 1 });
  });

  it('holds a validated invoice (bumping LastUpdateDate) and validates it again when the last hold is released', async () => {
    const validated = await read((await create('INV-L5')).InvoiceId);
    await sleep(5);
    const placed = await c.admin<{ status: string; hold: InvoiceHold }>('POST', '/holds', { invoiceNumber: 'INV-L5', holdName: 'Amt Ord' });
    expect(placed.body.status).toBe('PLACED');
    await c.admin('POST', '/holds', { invoiceNumber: 'INV-L5', holdName: 'Price' });
    const held = await read(validated.InvoiceId);
    expect(held.ValidationStatus).toBe('Needs revalidation');
    expect(held.LastUpdateDate > validated.LastUpdateDate).toBe(true);
    // A poller sees the change through the LastUpdateDate window.
    expect((await c.api<{ items: Invoice[] }>('GET', `/invoices?q=LastUpdateDate > '${validated.LastUpdateDate}'`)).body.items.map((i) => i.InvoiceId)).toEqual([validated.InvoiceId]);

    // The documented release: PATCH invoiceHolds/{HoldId} with a ReleaseName.
    const released = await c.api<InvoiceHold>('PATCH', `/invoiceHolds/${placed.body.hold.HoldId}`, { ReleaseName: 'Amount approved', ReleaseReason: 'Approved by the AP supervisor.' });
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ ReleaseName: 'Amount approved', ReleaseReason: 'Approved by the AP supervisor.', ReleaseDate: expect.any(String) });
    expect((await read(validated.InvoiceId)).ValidationStatus).toBe('Needs revalidation');
    const other = (await c.api<{ items: InvoiceHold[] }>('GET', "/invoiceHolds?q=HoldName='Price'")).body.items[0]!;
    const adminRelease = await c.admin<{ invoice: { ValidationStatus: string } }>('POST', `/holds/${other.HoldId}/release`, { releaseName: 'Variance corrected' });
    expect(adminRelease.body.invoice.ValidationStatus).toBe('Validated');
    const after = await read(validated.InvoiceId);
    expect(after.ValidationStatus).toBe('Validated');
    expect(after.LastUpdateDate >= held.LastUpdateDate).toBe(true);
    expect((await c.api('PATCH', `/invoiceHolds/${other.HoldId}`, { ReleaseName: 'again' })).status).toBe(400);
    expect((await c.api('PATCH', `/invoiceHolds/${other.HoldId}`, { HoldName: 'x' })).status).toBe(400);
  });

  it('cancels through cancelInvoice: Canceled, CanceledDate/By, amounts zero; a second cancel changes nothing', async () => {
    const created = await create('INV-L6');
    await read(created.InvoiceId);
    const res = await c.api('POST', '/invoices/action/cancelInvoice', { InvoiceNumber: 'INV-L6', BusinessUnit: 'FINMESH DE BU', Supplier: 'SUP-1001' });
    expect(res).toMatchObject({ status: 200, body: { result: 'The current action Cancel Invoice has completed successfully.' } });
    const canceled = (await c.api<Invoice>('GET', `/invoices/${created.InvoiceId}?expand=invoiceLines`)).body;
    expect(canceled).toMatchObject({ ValidationStatus: 'Canceled', InvoiceAmount: '0.00', CanceledBy: 'finmesh', CanceledDate: new Date().toISOString().slice(0, 10) });
    expect((canceled['invoiceLines'] as Array<{ LineAmount: string }>).map((l) => l.LineAmount)).toEqual(['0.00', '0.00']);
    expect(readFusionInvoiceStatus(canceled).validation).toBe('CANCELED');
    expect((await c.api<{ items: Invoice[] }>('GET', '/invoices?q=ValidationStatus=Canceled')).body.items).toHaveLength(1);

    const again = await c.api('POST', '/invoices/action/cancelInvoice', { InvoiceNumber: 'INV-L6' });
    expect(again).toMatchObject({ status: 200, body: { result: expect.stringContaining('was already canceled') } });
    expect((await read(created.InvoiceId)).LastUpdateDate).toBe(canceled.LastUpdateDate);
  });

  it('refuses to cancel an invoice with payments, an unknown one, or an ambiguous number', async () => {
    const created = await create('INV-L7');
    const run = (await c.admin<{ payments: Array<{ CheckId: number }> }>('POST', '/payment-runs', {
      payments: [{ supplierNumber: 'SUP-1001', currency: 'EUR', method: 'EFT', paymentDate: '2025-04-01', invoices: [{ invoiceNumber: 'INV-L7', erpInvoiceId: created.InvoiceId, amountPaid: '1210.00' }] }],
    })).body;
    expect((await c.api('POST', '/invoices/action/cancelInvoice', { InvoiceNumber: 'INV-L7' })).body).toMatchObject({ 'o:errorDetails': [{ 'o:errorCode': 'AP_INVOICE_HAS_PAYMENTS' }] });
    await c.api('PATCH', `/payablesPayments/${run.payments[0]!.CheckId}`, { VoidDate: '2025-04-02' });
    expect((await c.api('POST', '/invoices/action/cancelInvoice', { InvoiceNumber: 'INV-L7' })).status).toBe(200);

    expect((await c.api('POST', '/invoices/action/cancelInvoice', { InvoiceNumber: 'INV-NONE' })).status).toBe(400);
    expect((await c.api('POST', '/invoices/action/cancelInvoice', {})).status).toBe(400);
    await create('INV-L8');
    await create('INV-L8');
    expect((await c.api('POST', '/invoices/action/cancelInvoice', { InvoiceNumber: 'INV-L8' })).body).toMatchObject({ 'o:errorDetails': [{ 'o:errorCode': 'AP_INVOICE_AMBIGUOUS' }] });
  });
});
