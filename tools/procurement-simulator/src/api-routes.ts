/**
 * The Coupa Core API routes the simulator serves (JSON only), with the scope each needs:
 *
 *   GET  /api/purchase_orders[?query]          core.purchase_order.read
 *   GET  /api/purchase_orders/:id              core.purchase_order.read
 *   PUT  /api/purchase_orders/:id?exported=true         core.purchase_order.write
 *   PUT  /api/purchase_orders/:id/cancel | /close       core.purchase_order.write
 *   GET  /api/receiving_transactions[?query] | /:id     core.inventory.receiving.read
 *   PUT|PATCH /api/receiving_transactions/:id?exported=true   core.inventory.receiving.write
 *   PUT  /api/receiving_transactions/:id/void  (and /api/inventory_transactions/:id/void)   ...write
 *   GET  /api/invoices[?query] | /:id                    core.invoice.read
 *   PUT  /api/invoices/:id?exported=true | /:id/void     core.invoice.write
 *   /api/suppliers[/:id] and /api/suppliers/:supplier_id/addresses   core.supplier.read|write (supplier-routes.ts)
 *
 * Collections answer a bare JSON array (at most 50 records, see query-filter.ts). Marking
 * exported takes `exported=true|false` as a query parameter (Coupa's documented form) or a JSON
 * body `{ "exported": true }`; any other field in that request is ignored, as Coupa says it may be.
 */
import type { IncomingMessage } from 'node:http';
import { coupaError } from './coupa-errors';
import { isJsonObject, readJson, readText, sendJson, type JsonObject } from './http-io';
import { closePurchaseOrder } from './purchase-orders';
import { voidInvoice } from './invoices';
import { parseCollectionQuery, project, runCollectionQuery } from './query-filter';
import { voidReceivingTransaction } from './receiving-transactions';
import { supplierApiRoutes } from './supplier-routes';
import type { ResourceStore } from './resource-store';
import type { Handler, ProcurementSimulatorState, Route, SimulatorSettings } from './simulator-state';

async function exportedFlag(req: IncomingMessage, url: URL, limit: number): Promise<boolean> {
  const fromQuery = url.searchParams.get('exported');
  let fromBody: unknown;
  const text = await readText(req, limit);
  if (text.trim() !== '') {
    try {
      const body = JSON.parse(text) as unknown;
      fromBody = isJsonObject(body) ? body['exported'] : undefined;
    } catch {
      // A non-JSON body (e.g. XML) carries nothing the simulator reads; the query may still say it.
    }
  }
  const raw = fromQuery ?? (typeof fromBody === 'boolean' ? String(fromBody) : fromBody);
  if (raw !== 'true' && raw !== 'false') {
    throw coupaError(400, 'This simulator updates the exported flag only: PUT with ?exported=true (or a body {"exported": true}).', 'exported');
  }
  return raw === 'true';
}

export function apiRoutes(state: ProcurementSimulatorState, settings: SimulatorSettings): Route[] {
  const { clock } = state;
  const fields = (url: URL) => parseCollectionQuery(url.searchParams).fields;

  const list = (store: ResourceStore): Handler => async (_req, res, _p, url) => {
    sendJson(res, 200, runCollectionQuery(store.all(), parseCollectionQuery(url.searchParams)));
  };
  const show = (store: ResourceStore): Handler => async (_req, res, [id], url) => {
    sendJson(res, 200, project(store.require(Number(id)), fields(url)));
  };
  const markExported = (store: ResourceStore): Handler => async (req, res, [id], url) => {
    const exported = await exportedFlag(req, url, settings.bodyLimitBytes);
    sendJson(res, 200, project(store.markExported(Number(id), exported, clock), fields(url)));
  };
  const act = (action: (id: number, body: JsonObject | undefined) => JsonObject): Handler => async (req, res, [id], url) => {
    const body = await readJson(req, settings.bodyLimitBytes);
    sendJson(res, 200, project(action(Number(id), isJsonObject(body) ? body : undefined), fields(url)));
  };

  const resources: { path: string; store: ResourceStore; scope: string }[] = [
    { path: '/api/purchase_orders', store: state.purchaseOrders, scope: 'core.purchase_order' },
    { path: '/api/receiving_transactions', store: state.receivingTransactions, scope: 'core.inventory.receiving' },
    { path: '/api/invoices', store: state.invoices, scope: 'core.invoice' },
  ];
  const routes: Route[] = resources.flatMap(({ path, store, scope }) => [
    { method: 'GET', template: path, handler: list(store), scope: `${scope}.read`, faultable: true },
    { method: 'GET', template: `${path}/:id`, handler: show(store), scope: `${scope}.read`, faultable: true },
    { method: 'PUT', template: `${path}/:id`, handler: markExported(store), scope: `${scope}.write`, faultable: true },
  ]);
  const voidTransaction = act((id, body) => voidReceivingTransaction(state.receivingTransactions, id, body, settings.voidMode, clock));
  routes.push(
    { method: 'PATCH', template: '/api/receiving_transactions/:id', handler: markExported(state.receivingTransactions), scope: 'core.inventory.receiving.write', faultable: true },
    { method: 'PUT', template: '/api/receiving_transactions/:id/void', handler: voidTransaction, scope: 'core.inventory.receiving.write', faultable: true },
    { method: 'PUT', template: '/api/inventory_transactions/:id/void', handler: voidTransaction, scope: 'core.inventory.receiving.write', faultable: true },
    { method: 'PUT', template: '/api/purchase_orders/:id/cancel', handler: act((id) => closePurchaseOrder(state.purchaseOrders, id, 'cancel', clock)), scope: 'core.purchase_order.write', faultable: true },
    { method: 'PUT', template: '/api/purchase_orders/:id/close', handler: act((id) => closePurchaseOrder(state.purchaseOrders, id, 'close', clock)), scope: 'core.purchase_order.write', faultable: true },
    { method: 'PUT', template: '/api/invoices/:id/void', handler: act((id) => voidInvoice(state.invoices, id, clock)), scope: 'core.invoice.write', faultable: true },
  );
  routes.push(...supplierApiRoutes(state.suppliers, state.supplierAddresses, clock, settings.bodyLimitBytes));
  return routes;
}
