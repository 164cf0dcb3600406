import { multiplyDecimals } from '@finmesh/contracts';
import { mintDevToken } from '@finmesh/service-kit';
import { ITEMS, LEGAL_ENTITIES, SUPPLIERS, type DemoItem, type DemoLegalEntity, type DemoSupplier } from './demo-master-data';
import {

  capturedInvoice,
  coupaPurchaseOrder,
  coupaReceipt,
  fusionSupplier,
  PLATFORM_AMOUNT_SCALE,
  type DemoInvoiceLine,
  type DemoPurchaseOrder,
} from './platform-payloads';
import { erpAdmin, PlatformClient, type ApiAnswer, type StackEndpoints } from './stack-endpoints';

/**
 * The source-to-pay flow across the four connected platforms, driven through finmesh's APIs only:
 * the ERP publishes suppliers, procurement issues POs and receipts, the AP platform captures
 * invoices, finmesh validates, matches, posts to the ERP, and the ERP's payment run pays.
 * A mix of clean and exception cases; each case says what finmesh must make of it.
 */
export interface CaseOutcome {
  readonly name: string;
  readonly expectation: string;
  readonly invoiceId: string | null;
  readonly invoiceNumber: string | null;
  readonly status: string;
  readonly exceptionReasons: readonly string[];
  readonly erpPostings: number;
  readonly erpDocumentId: string | null;
  readonly grossAmount: string | null;
  readonly currency: string;
  readonly paymentStatus: string | null;
  readonly ok: boolean;
}

export interface ScenarioReport {
  readonly runId: string;
  readonly cases: readonly CaseOutcome[];
  /** finmesh's id of each demo supplier, by supplier number. */
  readonly supplierIds: Readonly<Record<string, string>>;
  /** Every PO the run issued (finmesh id and number), for the convergence report. */
  readonly purchaseOrders: readonly { readonly purchaseOrderId: string; readonly poNumber: string }[];
  readonly parkedReceipt: { readonly status: number; readonly reason: string };
  readonly payments: readonly { readonly paymentId: string; readonly status: string; readonly invoices: readonly string[] }[];
  readonly durationMs: number;
}

interface ScenarioCase {
  readonly name: string;
  readonly expectation: string;
  readonly po: DemoPurchaseOrder;
  /** Received quantity per PO line before the invoice arrives. */
  readonly receivedBefore: ReadonlyMap<number, string>;
  readonly receivedAfter?: ReadonlyMap<number, string>;
  readonly invoiceLines: readonly DemoInvoiceLine[];
  readonly erpFault?: Record<string, unknown>;
  readonly holdSupplier?: boolean;
  /** Status the invoice must reach (the flow waits for it). */
  readonly expectedStatus: string;
  readonly expectedReason?: string;
  readonly resolve?: boolean;
  readonly expectedPostings: number;
}

const supplier = (n: string): DemoSupplier => SUPPLIERS.find((s) => s.number === n)!;
const item = (code: string): DemoItem => ITEMS.find((i) => i.code === code)!;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function runSourceToPayScenario(endpoints: StackEndpoints, log: (line: string) => void = () => undefined): Promise<ScenarioReport> {
  const started = Date.now();
  const runId = `${Date.now().toString(36).slice(-5)}`.toUpperCase();
  // Coupa invoice ids (integers), unique per run.
  const invoiceIdBase = parseInt(runId, 36) * 100;
  // Quantities vary per run, so a second run is not a duplicate of the first (same supplier, amount and date).
  const s = (Date.now() % 89) + 3;
  const erp = new PlatformClient(endpoints.jwtSecret, 'fusion-erp', ['erp-platform']);
  const coupa = new PlatformClient(endpoints.jwtSecret, 'coupa-procurement', ['procurement-platform']);
  const ap = new PlatformClient(endpoints.jwtSecret, 'ap-capture', ['ap-platform']);
  const approver = new PlatformClient(endpoints.jwtSecret, 'finance-approver-anna', ['finance-approver']);
  const ops = new PlatformClient(endpoints.jwtSecret, 'ops-console', ['ops', 'reporting-reader']);
  let poSeq = 0;
  const po = (supplierNumber: string, le: DemoLegalEntity['code'], lines: [string, string][]): DemoPurchaseOrder => {
    poSeq += 1;
    return {
      number: `PO-${runId}-${String(poSeq).padStart(2, '0')}`,
      coupaId: (Date.now() % 100_000) * 100 + poSeq,
      supplier: supplier(supplierNumber),
      legalEntity: LEGAL_ENTITIES[le],
      lines: lines.map(([code, quantity]) => ({ item: item(code), quantity })),
    };
  };
  const full = (p: DemoPurchaseOrder): Map<number, string> => new Map(p.lines.filter((l) => l.item.receiptRequired).map((l, i) => [i + 1, l.quantity]));
  const asInvoiced = (p: DemoPurchaseOrder): DemoInvoiceLine[] => p.lines.map((l, i) => ({ poLineNumber: i + 1, quantity: l.quantity, unitPrice: l.item.unitPrice }));

  const poA = po('2101', 'DE01', [['HB-M8-40', `${10000 + s}`], ['PAL-EUR-1', '40']]);
  const poB = po('2201', 'NL01', [['SVC-FREIGHT', '3'], ['SVC-INSTALL', `${16 + s}`]]);
  // The priced line's quantity is fixed so the total variance stays inside the total tolerance;
  // the service line varies per run.
  const poC = po('2301', 'US01', [['PAINT-EPX-20', '20'], ['SVC-INSTALL', `${4 + s}`]]);
  const poD = po('2102', 'DE01', [['CTN-60', `${5000 + s}`]]);
  const poE = po('2201', 'NL01', [['PAL-EUR-1', `${100 + s}`]]);
  const poF = po('2302', 'US01', [['PAINT-EPX-20', `${10 + s}`]]);
  const poG = po('2202', 'NL01', [['SVC-INSTALL', `${8 + s}`]]);
  const poI = po('2102', 'DE01', [['PAL-EUR-1', `${20 + s}`]]);
  const poJ = po('2101', 'DE01', [['HB-M8-40', `${2000 + s}`]]);
  const cases: ScenarioCase[] = [
    { name: 'clean 3-way match', expectation: 'matched, auto-approved, posted once', po: poA, receivedBefore: full(poA), invoiceLines: asInvoiced(poA), expectedStatus: 'POSTED', expectedPostings: 1 },
    { name: 'services, 2-way match', expectation: 'matched against the PO alone, posted', po: poB, receivedBefore: new Map(), invoiceLines: asInvoiced(poB), expectedStatus: 'POSTED', expectedPostings: 1 },
    {
      name: 'price variance within tolerance',
      expectation: 'unit price +0.53 % (US01 tolerance 2 %): matched, posted',
      po: poC,
      receivedBefore: full(poC),
      invoiceLines: [
        { poLineNumber: 1, quantity: '20', unitPrice: '190.00' },
        { poLineNumber: 2, quantity: poC.lines[1]!.quantity, unitPrice: poC.lines[1]!.item.unitPrice },
      ],
      expectedStatus: 'POSTED',
      expectedPostings: 1,
    },
    {
      name: 'price variance beyond tolerance',
      expectation: 'PRICE_VARIANCE exception, override-approved by finance, posted',
      po: poD,
      receivedBefore: full(poD),
      invoiceLines: [{ poLineNumber: 1, quantity: poD.lines[0]!.quantity, unitPrice: '2.10' }],
      expectedStatus: 'EXCEPTION',
      expectedReason: 'PRICE_VARIANCE',
      resolve: true,
      expectedPostings: 1,
    },
    {
      name: 'quantity variance',
      expectation: 'invoiced 10 more than received: QTY_VARIANCE exception for the AP clerk',
      po: poE,
      receivedBefore: full(poE),
      invoiceLines: [{ poLineNumber: 1, quantity: `${110 + s}`, unitPrice: '14.50' }],
      expectedStatus: 'EXCEPTION',
      expectedReason: 'QTY_VARIANCE',
      expectedPostings: 0,
    },
    {
      name: 'invoice before goods receipt',
      expectation: 'waits for the receipt, matched automatically when it arrives, posted',
      po: poF,
      receivedBefore: new Map(),
      receivedAfter: full(poF),
      invoiceLines: asInvoiced(poF),
      expectedStatus: 'WAITING_FOR_RECEIPT',
      expectedPostings: 1,
    },
    {
      name: 'supplier blocked in the ERP',
      expectation: 'invoice ON_HOLD while the supplier is blocked, released and posted on unblock',
      po: poG,
      receivedBefore: new Map(),
      invoiceLines: asInvoiced(poG),
      holdSupplier: true,
      expectedStatus: 'ON_HOLD',
      expectedPostings: 1,
    },
    {
      name: 'ERP business rejection',
      expectation: 'ERP refuses (closed period): POSTING_FAILED with the ERP reason',
      po: poI,
      receivedBefore: full(poI),
      invoiceLines: asInvoiced(poI),
      erpFault: { kind: 'business-rejection', code: 'AP_CLOSED_PERIOD', message: 'The accounting date is in a closed period.', times: 5 },
      expectedStatus: 'POSTING_FAILED',
      expectedPostings: 0,
    },
    {
      name: 'ERP outage',
      expectation: 'ERP answers 503 twice; retried with backoff and posted exactly once',
      po: poJ,
      receivedBefore: full(poJ),
      invoiceLines: asInvoiced(poJ),
      erpFault: { kind: 'http-5xx', status: 503, times: 2 },
      expectedStatus: 'POSTED',
      expectedPostings: 1,
    },
  ];

  const supplierIds: Record<string, string> = {};
  log(`run ${runId}: ${SUPPLIERS.length} suppliers, ${cases.length} purchase orders in 3 legal entities (EUR, USD)`);
  for (const sup of SUPPLIERS) {
    // Procurement and AP know the suppliers they order from and invoice: supplier-sync writes
    // their master data and holds back there (it would create them; a real tenant has them).
    for (const platform of [endpoints.procurementSimulator, endpoints.apSimulator]) {
      if (platform && !(await platformHasSupplier(platform, sup.number))) await erpAdmin(platform, '/__admin/suppliers', { name: sup.name, number: sup.number });
    }
    const answer = await erp.post(`${endpoints.supplierSync}/v1/erp/suppliers`, fusionSupplier(sup, LEGAL_ENTITIES[sup.legalEntity]));
    expectOk(answer, `supplier ${sup.number}`);
    supplierIds[sup.number] = String(answer.body['supplierId']);
  }
  const purchaseOrders: { purchaseOrderId: string; poNumber: string }[] = [];
  for (const c of cases) {
    const answer = await coupa.post(`${endpoints.poSync}/v1/procurement/purchase-orders`, coupaPurchaseOrder(c.po));
    expectOk(answer, `PO ${c.po.number}`);
    purchaseOrders.push({ purchaseOrderId: String(answer.body['purchaseOrderId']), poNumber: c.po.number });
  }
  let receiptSeq = Date.now() % 100_000;
  for (const c of cases) {
    if (c.receivedBefore.size > 0) expectOk(await coupa.post(`${endpoints.poSync}/v1/procurement/receipts`, coupaReceipt(c.po, c.receivedBefore, ++receiptSeq)), `receipt for ${c.po.number}`);
  }
  const unknownPo: DemoPurchaseOrder = { ...poA, number: `PO-${runId}-UNKNOWN`, coupaId: poA.coupaId + 77 };
  const parked = await coupa.post(`${endpoints.poSync}/v1/procurement/receipts`, coupaReceipt(unknownPo, new Map([[1, '5']]), ++receiptSeq));
  log(`receipt for an unknown PO: HTTP ${parked.status} ${String(parked.body['reason'] ?? '')}`);

  // Give the replicas in invoice-sync a moment to see suppliers, POs and receipts (events, not calls).
  await sleep(1500);

  const invoiceIds = new Map<string, { id: string; number: string }>();
  for (const [k, c] of cases.entries()) {
    const sup = c.po.supplier;
    if (c.holdSupplier) {
      expectOk(await erp.post(`${endpoints.supplierSync}/v1/erp/suppliers`, fusionSupplier(sup, c.po.legalEntity, { hold: 'Bank details under verification' })), `hold ${sup.number}`);
      await sleep(1000);
    }
    const number = `INV-${runId}-${String.fromCharCode(65 + k)}`;
    if (c.erpFault) expectOk(await erpAdmin(endpoints.erpSimulator, '/__admin/faults', { ...c.erpFault, invoiceNumber: number }), 'arm ERP fault');
    const captured = capturedInvoice(c.po, { coupaId: invoiceIdBase + k, invoiceNumber: number, invoiceDate: today(), lines: c.invoiceLines });
    // The AP platform holds the invoice it captured; finmesh reports its fate back there.
    if (endpoints.apSimulator) expectOk(await erpAdmin(endpoints.apSimulator, '/__admin/invoices', captured), `AP capture ${number}`);
    const answer = await ap.post(`${endpoints.invoiceSync}/v1/ap/invoices`, captured);
    expectOk(answer, `invoice ${number}`);
    invoiceIds.set(c.name, { id: String(answer.body['invoiceId']), number });
  }
  // The duplicate: the clean invoice captured a second time, its number typed differently.
  const dupNumber = `inv ${runId} a`;
  const dupCaptured = capturedInvoice(poA, { coupaId: invoiceIdBase + 99, invoiceNumber: dupNumber, invoiceDate: today(), lines: asInvoiced(poA) });
  if (endpoints.apSimulator) expectOk(await erpAdmin(endpoints.apSimulator, '/__admin/invoices', dupCaptured), 'AP capture of the duplicate');
  const dup = await ap.post(`${endpoints.invoiceSync}/v1/ap/invoices`, dupCaptured);
  expectOk(dup, 'duplicate invoice');

  const statusOf = async (id: string): Promise<Record<string, unknown>> => (await ops.get(`${endpoints.invoiceSync}/v1/invoices/${id}`)).body;
  const waitFor = async (id: string, statuses: readonly string[], timeoutMs = 60_000): Promise<Record<string, unknown>> => {
    const deadline = Date.now() + timeoutMs;
    let view = await statusOf(id);
    while (!statuses.includes(String(view['status'])) && Date.now() < deadline) {
      await sleep(250);
      view = await statusOf(id);
    }
    return view;
  };

  for (const c of cases) {
    const { id } = invoiceIds.get(c.name)!;
    const view = await waitFor(id, [c.expectedStatus]);
    log(`${c.name}: ${String(view['status'])}`);
    if (c.receivedAfter) {
      expectOk(await coupa.post(`${endpoints.poSync}/v1/procurement/receipts`, coupaReceipt(c.po, c.receivedAfter, ++receiptSeq)), 'late receipt');
      log(`  goods received for ${c.po.number}: ${String((await waitFor(id, ['POSTED']))['status'])}`);
    }
    if (c.holdSupplier) {
      expectOk(await erp.post(`${endpoints.supplierSync}/v1/erp/suppliers`, fusionSupplier(c.po.supplier, c.po.legalEntity)), 'release hold');
      log(`  supplier ${c.po.supplier.number} released in the ERP: ${String((await waitFor(id, ['POSTED']))['status'])}`);
    }
    if (c.resolve) {
      expectOk(
        await approver.post(`${endpoints.invoiceSync}/v1/invoices/${id}/resolution`, { action: 'override-approve', reason: 'Price increase agreed with supplier, see contract amendment 7' }),
        'resolution',
      );
      log(`  override-approved by finance: ${String((await waitFor(id, ['POSTED']))['status'])}`);
    }
  }
  const dupView = await waitFor(String(dup.body['invoiceId']), ['EXCEPTION']);

  // The ERP's payment run: one payment for two invoices of one supplier, a partial payment, a full one.
  const posted = async (name: string): Promise<{ number: string; erpId: string | null; gross: string; view: Record<string, unknown> }> => {
    const ids = invoiceIds.get(name)!;
    const view = await statusOf(ids.id);
    const posting = view['posting'] as { erpDocumentId: string | null } | undefined;
    return { number: ids.number, erpId: posting?.erpDocumentId ?? null, gross: String(view['grossAmount']), view };
  };
  const a = await posted('clean 3-way match');
  const j = await posted('ERP outage');
  const b = await posted('services, 2-way match');
  const c3 = await posted('price variance within tolerance');
  const half = multiplyDecimals(b.gross, '0.5', PLATFORM_AMOUNT_SCALE);
  const run = await erpAdmin(endpoints.erpSimulator, '/__admin/payment-runs', {
    payments: [
      { supplierNumber: '2101', currency: 'EUR', method: 'SEPA_CREDIT_TRANSFER', paymentDate: today(), invoices: [a, j].map((x) => ({ invoiceNumber: x.number, erpInvoiceId: x.erpId ? Number(x.erpId) : undefined, amountPaid: x.gross })) },
      { supplierNumber: '2201', currency: 'EUR', method: 'SEPA_CREDIT_TRANSFER', paymentDate: today(), invoices: [{ invoiceNumber: b.number, erpInvoiceId: b.erpId ? Number(b.erpId) : undefined, amountPaid: half }] },
      { supplierNumber: '2301', currency: 'USD', method: 'ACH', paymentDate: today(), invoices: [{ invoiceNumber: c3.number, erpInvoiceId: c3.erpId ? Number(c3.erpId) : undefined, amountPaid: c3.gross }] },
    ],
    deliverTo: { url: `${endpoints.paymentSync}/v1/erp/payments`, bearerToken: await erpBearer(endpoints) },
  });
  expectOk(run, 'ERP payment run');
  const payments = ((run.body['payments'] as Record<string, unknown>[] | undefined) ?? []).map((p) => ({
    paymentId: String(p['CheckId']),
    status: String(p['PaymentStatus']),
    invoices: ((p['relatedInvoices'] as { InvoiceNumber: string }[] | undefined) ?? []).map((r) => r.InvoiceNumber),
  }));
  const usPayment = payments.find((p) => p.invoices.includes(c3.number));
  if (usPayment) {
    await erpAdmin(endpoints.erpSimulator, `/__admin/payments/${usPayment.paymentId}/confirm`, {
      clearingDate: today(),
      deliverTo: { url: `${endpoints.paymentSync}/v1/erp/payments`, bearerToken: await erpBearer(endpoints) },
    });
  }
  const paidStatus: Record<string, readonly string[]> = {
    'clean 3-way match': ['PAID'],
    'ERP outage': ['PAID'],
    'services, 2-way match': ['PARTIALLY_PAID'],
    'price variance within tolerance': ['PAID'],
  };
  for (const [name, statuses] of Object.entries(paidStatus)) await waitFor(invoiceIds.get(name)!.id, statuses, 30_000);

  // Every posting the ERP booked, whatever the client heard back: a double posting would show here.
  const booked = ((await erpAdmin(endpoints.erpSimulator, '/__admin/postings', undefined, 'GET')).body['items'] ?? []) as { InvoiceNumber: string }[];
  const postingsOf = (number: string): number => booked.filter((p) => p.InvoiceNumber === number).length;

  const outcomes: CaseOutcome[] = [];
  for (const c of cases) {
    const ids = invoiceIds.get(c.name)!;
    const view = await statusOf(ids.id);
    const status = String(view['status']);
    const reasons = exceptionReasons(view);
    const erpPostings = postingsOf(ids.number);
    const expectedFinal = paidStatus[c.name] ?? (c.expectedStatus === 'WAITING_FOR_RECEIPT' || c.expectedStatus === 'ON_HOLD' || c.resolve ? ['POSTED'] : [c.expectedStatus]);
    outcomes.push({
      name: c.name,
      expectation: c.expectation,
      invoiceId: ids.id,
      invoiceNumber: ids.number,
      status,
      exceptionReasons: reasons,
      erpPostings,
      erpDocumentId: (view['posting'] as { erpDocumentId: string | null } | undefined)?.erpDocumentId ?? null,
      grossAmount: view['grossAmount'] === undefined ? null : String(view['grossAmount']),
      currency: c.po.legalEntity.currency,
      paymentStatus: paidStatus[c.name] ? status : null,
      ok: expectedFinal.includes(status) && erpPostings === c.expectedPostings && (!c.expectedReason || reasons.includes(c.expectedReason)),
    });
  }
  const dupReasons = exceptionReasons(dupView);
  outcomes.push({
    name: 'duplicate invoice',
    expectation: 'same supplier and invoice number typed differently: DUPLICATE_INVOICE, never posted twice',
    invoiceId: String(dup.body['invoiceId']),
    invoiceNumber: dupNumber,
    status: String(dupView['status']),
    exceptionReasons: dupReasons,
    erpPostings: postingsOf(dupNumber),
    erpDocumentId: null,
    grossAmount: dupView['grossAmount'] === undefined ? null : String(dupView['grossAmount']),
    currency: 'EUR',
    paymentStatus: null,
    ok: String(dupView['status']) === 'EXCEPTION' && dupReasons.includes('DUPLICATE_INVOICE') && postingsOf(dupNumber) === 0 && postingsOf(a.number) === 1,
  });

  return { runId, cases: outcomes, supplierIds, purchaseOrders, parkedReceipt: { status: parked.status, reason: String(parked.body['reason'] ?? '') }, payments, durationMs: Date.now() - started };
}

function exceptionReasons(view: Record<string, unknown>): string[] {
  const exceptions = (view['exceptions'] as { reasons?: { code?: string; reason?: string }[] }[] | undefined) ?? [];
  return [...new Set(exceptions.flatMap((e) => (e.reasons ?? []).map((r) => String(r.code ?? r.reason))))];
}

/** Whether a Coupa-style simulator already holds a supplier with this number (a second demo run). */
async function platformHasSupplier(base: string, number: string): Promise<boolean> {
  const answer = await erpAdmin(base, '/__admin/suppliers', undefined, 'GET');
  const items = (answer.body['items'] as { number?: unknown }[] | undefined) ?? [];
  return items.some((s) => s.number === number);
}

async function erpBearer(endpoints: StackEndpoints): Promise<string> {
  return mintDevToken({ clientId: 'fusion-erp-payments', roles: ['erp-platform'], secret: endpoints.jwtSecret, expiresIn: '2h' });
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function expectOk(answer: ApiAnswer, what: string): void {
  if (answer.status >= 300) throw new Error(`${what}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 600)}`);
}
