import { AP_CONNECTION, COUPA_CONNECTION, FUSION_CONNECTION, platformClient, readPlatformConnection, type PlatformConnectionRules, type PlatformHttpClient } from '@finmesh/connectors';
import { apConvergence, erpConvergence, procurementConvergence, type FieldValues, type PlatformConvergence } from '@finmesh/ops';
import { apExpectedInvoices } from './ap-expected-view';
import { SUPPLIERS } from './demo-master-data';
import { erpExpectedView } from './erp-expected-view';
import type { ScenarioReport } from './source-to-pay-scenario';
import { PlatformClient, type StackEndpoints } from './stack-endpoints';

export interface PlatformsConvergence {
  readonly procurement: PlatformConvergence;
  readonly ap: PlatformConvergence;
  readonly erp: PlatformConvergence;
}

type Environment = Readonly<Record<string, string | undefined>>;

function client(env: Environment, rules: PlatformConnectionRules): PlatformHttpClient {
  const connection = readPlatformConnection(env, rules);
  if (!connection.settings) throw new Error(`${rules.platform} connection: ${connection.problems.join('; ')}`);
  return platformClient(connection.settings);
}

interface SupplierView {
  readonly supplierNumber: string;
  readonly legalName: string;
  readonly status: string;
  readonly holds: readonly { readonly scope: string }[];
}

/** Scopes under which a supplier is on hold in each platform (supplier-sync's write-back rules). */
const HOLD_SCOPES: Readonly<Record<'procurement' | 'ap', readonly string[]>> = { procurement: ['ALL', 'PURCHASING'], ap: ['ALL', 'PAYMENT', 'POSTING'] };

function expectedSuppliers(views: readonly SupplierView[], platform: 'procurement' | 'ap'): Map<string, FieldValues> {
  return new Map(
    views.map((v) => [v.supplierNumber, { name: v.legalName, onHold: String(v.holds.some((h) => HOLD_SCOPES[platform].includes(h.scope))) }]),
  );
}

/**
 * Each platform's view, read through its API, against finmesh's, read through finmesh's APIs:
 * the demo's suppliers in procurement and AP (name, hold), its invoices in AP (status, paid,
 * the fields finmesh writes), its POs, receipts, postings and payments in the ERP. Write-back is
 * asynchronous, so it is asked again until all three agree or `timeoutMs` passes.
 */
export async function platformsConvergence(endpoints: StackEndpoints, report: ScenarioReport, env: Environment, timeoutMs = 30_000): Promise<PlatformsConvergence> {
  const ops = new PlatformClient(endpoints.jwtSecret, 'ops-console', ['ops']);
  const procurement = client(env, COUPA_CONNECTION);
  const ap = client(env, AP_CONNECTION);
  const erp = client(env, FUSION_CONNECTION);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const suppliers: SupplierView[] = [];
    for (const s of SUPPLIERS) {
      const answer = await ops.get(`${endpoints.supplierSync}/v1/suppliers/${report.supplierIds[s.number]}`);
      if (answer.status === 200) suppliers.push(answer.body as unknown as SupplierView);
    }
    const result: PlatformsConvergence = {
      procurement: await procurementConvergence(procurement, { suppliers: expectedSuppliers(suppliers, 'procurement') }),
      ap: await apConvergence(ap, { suppliers: expectedSuppliers(suppliers, 'ap'), invoices: await apExpectedInvoices(endpoints, ops, report) }),
      erp: await erpConvergence(erp, await erpExpectedView(endpoints, ops, report)),
    };
    if ((result.procurement.converged && result.ap.converged && result.erp.converged) || Date.now() > deadline) return result;
    await new Promise((r) => setTimeout(r, 1000));
  }
}
