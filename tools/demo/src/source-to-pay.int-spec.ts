import type { INestApplication } from '@nestjs/common';
import type { ServiceDefinition } from '@finmesh/service-kit';
import { createTestSchema, dropTestSchema, provisionTestNamespace, startServiceUnderTest } from '@finmesh/testing';
import { invoiceSyncService } from '@finmesh/invoice-sync';
import { PaymentSyncService } from '@finmesh/payment-sync';
import { poSyncService } from '@finmesh/po-sync';
import { SupplierSyncService } from '@finmesh/supplier-sync';
import { type ApSimulator, startApSimulator } from '@finmesh/ap-simulator';
import { type ErpSimulator, startErpSimulator } from '@finmesh/erp-simulator';
import { type ProcurementSimulator, startProcurementSimulator } from '@finmesh/procurement-simulator';
import { LOCAL_PLATFORM_CREDENTIALS } from '@finmesh/stack';
import { platformsConvergence } from './platforms-convergence';
import { runSourceToPayScenario, type ScenarioReport } from './source-to-pay-scenario';
import type { StackEndpoints } from './stack-endpoints';

const JWT_SECRET = 'source-to-pay-e2e-secret-0123456789abcdef';

/**
 * The whole mesh end to end on the real Kafka, registry and PostgreSQL: supplier-sync, po-sync,
 * invoice-sync and payment-sync as they run in production (finmesh transport, outbox relay,
 * HTTP APIs with tokens), an ERP simulator, and the platforms' payloads. Isolated from other
 * tests and from a running stack by its own topic namespace, schemas and consumer groups.
 */
describe('source-to-pay across procurement, AP automation, ERP and finmesh', () => {
  let erp: ErpSimulator;
  let procurement: ProcurementSimulator;
  let ap: ApSimulator;
  let endpoints: StackEndpoints;
  let platformEnv: Record<string, string>;
  let ns: { prefix: string; cleanup: () => Promise<void> };
  const apps: INestApplication[] = [];
  const schemas: string[] = [];
  let report: ScenarioReport;

  async function boot(definition: (env: Record<string, string>) => ServiceDefinition): Promise<string> {
    const schema = await createTestSchema();
    schemas.push(schema);
    const extra = { ...LOCAL_PLATFORM_CREDENTIALS, ...platformEnv, FINMESH_ERP_TIMEOUT_MS: '3000' };
    const service = await startServiceUnderTest(definition(extra), { topicPrefix: ns.prefix, dbSchema: schema, jwtSecret: JWT_SECRET }, extra);
    apps.push(service.app);
    return service.url;
  }

  beforeAll(async () => {
    ns = await provisionTestNamespace();
    // The simulator refuses PO-matched lines for POs it does not hold, as Fusion does: po-sync
    // creates the POs and receipts in it, invoice-sync posts PO-matched once it holds them.
    erp = await startErpSimulator({ port: 0 });
    procurement = await startProcurementSimulator({ port: 0, rateLimit: false });
    ap = await startApSimulator({ port: 0, rateLimit: false });
    // The platforms on free ports: finmesh writes suppliers and holds back to procurement and AP, invoice fates to AP.
    platformEnv = {
      ...LOCAL_PLATFORM_CREDENTIALS,
      FINMESH_ERP_BASE_URL: erp.url,
      FINMESH_COUPA_BASE_URL: procurement.url,
      FINMESH_COUPA_TOKEN_URL: `${procurement.url}/oauth2/token`,
      FINMESH_AP_BASE_URL: ap.url,
      FINMESH_AP_TOKEN_URL: `${ap.url}/oauth2/token`,
    };
    const [supplierSync, poSync, invoiceSync, paymentSync] = [
      await boot(() => SupplierSyncService),
      // The ERP sync on, the Coupa poll off (the scenario pushes POs and receipts).
      await boot((e) => poSyncService({ ...e, FINMESH_COUPA_POLL: 'off' })),
      await boot((e) => invoiceSyncService(e)),
      await boot(() => PaymentSyncService),
    ];
    endpoints = {
      supplierSync: supplierSync!,
      poSync: poSync!,
      invoiceSync: invoiceSync!,
      paymentSync: paymentSync!,
      erpSimulator: erp.url,
      procurementSimulator: procurement.url,
      apSimulator: ap.url,
      jwtSecret: JWT_SECRET,
    };
    report = await runSourceToPayScenario(endpoints);
  }, 600_000);

  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    await erp?.close();
    await procurement?.close();
    await ap?.close();
    await ns?.cleanup();
    for (const s of schemas) await dropTestSchema(s);
  });

  const outcome = (name: string) => {
    const c = report.cases.find((x) => x.name === name);
    if (!c) throw new Error(`no case '${name}' in the report`);
    return c;
  };

  it('PO issued → receipt → invoice → matched → posted (document id) → payment released and confirmed', () => {
    const c = outcome('clean 3-way match');
    expect(c).toMatchObject({ status: 'PAID', erpPostings: 1 });
    expect(c.erpDocumentId).toBeTruthy();
    expect(outcome('price variance within tolerance')).toMatchObject({ status: 'PAID', erpPostings: 1, exceptionReasons: [] });
  });

  it('posts PO-matched lines once po-sync has created the PO in the ERP, and lines with a distribution otherwise', () => {
    const postings = erp.state.postings.all();
    const lines = postings.flatMap((p) => (p.requestBody['invoiceLines'] as Record<string, unknown>[] | undefined) ?? []);
    const matched = lines.filter((l) => l['PurchaseOrderNumber'] !== undefined);
    // Every PO-matched line names a PO the ERP holds (the simulator refused any other) and carries no distribution.
    expect(matched.length).toBeGreaterThan(0);
    const inErp = new Set(erp.state.purchaseOrders.all().map((po) => po.OrderNumber));
    expect(matched.every((l) => inErp.has(String(l['PurchaseOrderNumber'])) && l['invoiceDistributions'] === undefined)).toBe(true);
  });

  it('matches services 2-way and records a partial payment', () => {
    expect(outcome('services, 2-way match')).toMatchObject({ status: 'PARTIALLY_PAID', erpPostings: 1 });
  });

  it('holds the invoice of a supplier blocked in the ERP and releases it on unblock', () => {
    expect(outcome('supplier blocked in the ERP')).toMatchObject({ status: 'POSTED', erpPostings: 1, exceptionReasons: ['SUPPLIER_BLOCKED'] });
  });

  it('lets an invoice that arrives before its receipt wait, then matches it', () => {
    expect(outcome('invoice before goods receipt')).toMatchObject({ status: 'POSTED', erpPostings: 1 });
  });

  it('raises price and quantity variances beyond tolerance; an override posts once', () => {
    expect(outcome('price variance beyond tolerance')).toMatchObject({ status: 'POSTED', erpPostings: 1, exceptionReasons: ['PRICE_VARIANCE'] });
    expect(outcome('quantity variance')).toMatchObject({ status: 'EXCEPTION', erpPostings: 0, exceptionReasons: ['QTY_VARIANCE'] });
  });

  it('flags a duplicate invoice and never posts it twice', () => {
    expect(outcome('duplicate invoice')).toMatchObject({ status: 'EXCEPTION', erpPostings: 0, exceptionReasons: ['DUPLICATE_INVOICE'] });
    expect(outcome('clean 3-way match').erpPostings).toBe(1);
  });

  it('reports an ERP business rejection and survives an ERP outage, posting each invoice exactly once', () => {
    expect(outcome('ERP business rejection')).toMatchObject({ status: 'POSTING_FAILED', erpPostings: 0 });
    expect(outcome('ERP outage')).toMatchObject({ status: 'PAID', erpPostings: 1 });
  });

  it('parks a receipt for an unknown purchase order instead of dropping it', () => {
    expect(report.parkedReceipt.status).toBe(409);
    expect(report.parkedReceipt.reason).toMatch(/not known/);
  });

  it('converges on all three platforms: suppliers and holds in procurement and AP, invoice fates in AP, POs, receipts, postings and payments in the ERP', async () => {
    const view = await platformsConvergence(endpoints, report, platformEnv, 60_000);
    expect(view.procurement).toEqual({ converged: true, differences: [] });
    expect(view.ap).toEqual({ converged: true, differences: [] });
    expect(view.erp).toEqual({ converged: true, differences: [] });
  });

  it('meets every expectation of the scenario', () => {
    expect(report.cases.filter((c) => !c.ok).map((c) => `${c.name}: ${c.status}`)).toEqual([]);
    expect(report.payments).toHaveLength(3);
  });
});
