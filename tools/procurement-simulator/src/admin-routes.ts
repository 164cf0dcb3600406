/**
 * The admin API (`/__admin`, JSON, no authentication): what people do in Coupa's UI, and the test
 * controls.
 *
 *   GET    /__admin/health                      counts, armed faults, active tokens
 *   GET    /__admin/routes                      route names faults can target
 *   POST   /__admin/purchase_orders             create an order (Coupa's PO JSON)      201
 *   PUT    /__admin/purchase_orders/:id         change it (see purchase-orders.ts)      200
 *   POST   /__admin/receiving_transactions      one transaction or a receipt's array   201
 *   POST   /__admin/invoices                    create an invoice (Coupa's invoice JSON) 201
 *   PUT    /__admin/invoices/:id                change it (a new version of the same id) 200
 *   GET    /__admin/{purchase_orders,receiving_transactions,invoices}   everything, unpaged
 *   POST   /__admin/suppliers, GET /__admin/suppliers[/:id], GET /__admin/remit_to_addresses   see supplier-routes.ts
 *   POST   /__admin/auth/revoke | /restore      { clientId? }: revoke tokens and refuse new ones / allow again
 *   POST   /__admin/auth/expire                 expire every issued token now
 *   PUT    /__admin/auth/token-ttl              { seconds } for tokens issued from now on
 *   POST   /__admin/faults, GET, DELETE         see fault-injector.ts
 *   PUT    /__admin/rate-limit                  { requestsPerSecond, burst } or { disabled: true }
 *   GET    /__admin/calls[?method=&path=&route=&since=]   the call log; DELETE clears it
 *   POST   /__admin/reset                       forget records, faults, calls (clients and tokens stay)
 */
import { AdminProblems } from './coupa-errors';
import { readJson, readJsonObject, sendJson } from './http-io';
import { createInvoice, updateInvoice } from './invoices';
import { createPurchaseOrder, updatePurchaseOrder } from './purchase-orders';
import { createReceivingTransactions } from './receiving-transactions';
import { supplierAdminRoutes } from './supplier-routes';
import type { Handler, ProcurementSimulatorState, Route, SimulatorSettings } from './simulator-state';

export function adminRoutes(state: ProcurementSimulatorState, settings: SimulatorSettings, routeNames: () => string[]): Route[] {
  const { clock } = state;
  const limit = settings.bodyLimitBytes;
  const json = (status: number, body: () => unknown): Handler => async (_req, res) => sendJson(res, status, body());
  const noContent = (action: () => void): Handler => async (_req, res) => {
    action();
    res.writeHead(204).end();
  };
  const optionalClient = async (req: Parameters<Handler>[0]): Promise<string | undefined> => {
    const body = await readJson(req, limit);
    const clientId = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['clientId'] : undefined;
    return typeof clientId === 'string' ? clientId : undefined;
  };

  return [
    {
      method: 'GET',
      template: '/__admin/health',
      handler: json(200, () => ({
        status: 'UP',
        purchaseOrders: state.purchaseOrders.all().length,
        receivingTransactions: state.receivingTransactions.all().length,
        invoices: state.invoices.all().length,
        suppliers: state.suppliers.all().length,
        pendingFaults: state.faults.pending().length,
        activeTokens: state.tokens.activeTokens(),
        rateLimit: state.rateLimiter.settings,
      })),
    },
    { method: 'GET', template: '/__admin/routes', handler: json(200, () => ({ items: routeNames() })) },
    { method: 'POST', template: '/__admin/purchase_orders', handler: async (req, res) => sendJson(res, 201, createPurchaseOrder(state.purchaseOrders, await readJsonObject(req, limit), clock)) },
    {
      method: 'PUT',
      template: '/__admin/purchase_orders/:id',
      handler: async (req, res, [id]) => sendJson(res, 200, updatePurchaseOrder(state.purchaseOrders, Number(id), await readJsonObject(req, limit), clock, settings.purchaseOrderRules)),
    },
    { method: 'GET', template: '/__admin/purchase_orders', handler: json(200, () => ({ items: state.purchaseOrders.all() })) },
    {
      method: 'POST',
      template: '/__admin/receiving_transactions',
      handler: async (req, res) => sendJson(res, 201, { items: createReceivingTransactions(state.receivingTransactions, state.purchaseOrders, await readJson(req, limit), clock) }),
    },
    { method: 'GET', template: '/__admin/receiving_transactions', handler: json(200, () => ({ items: state.receivingTransactions.all() })) },
    { method: 'POST', template: '/__admin/invoices', handler: async (req, res) => sendJson(res, 201, createInvoice(state.invoices, await readJsonObject(req, limit), clock)) },
    { method: 'PUT', template: '/__admin/invoices/:id', handler: async (req, res, [id]) => sendJson(res, 200, updateInvoice(state.invoices, Number(id), await readJsonObject(req, limit), clock)) },
    { method: 'GET', template: '/__admin/invoices', handler: json(200, () => ({ items: state.invoices.all() })) },
    ...supplierAdminRoutes(state.suppliers, state.supplierAddresses, clock, limit),
    { method: 'POST', template: '/__admin/auth/revoke', handler: async (req, res) => sendJson(res, 200, { revokedTokens: state.tokens.revoke(await optionalClient(req)) }) },
    {
      method: 'POST',
      template: '/__admin/auth/restore',
      handler: async (req, res) => {
        state.tokens.restore(await optionalClient(req));
        sendJson(res, 200, { restored: true });
      },
    },
    { method: 'POST', template: '/__admin/auth/expire', handler: json(200, () => ({ expiredTokens: state.tokens.expireAll() })) },
    {
      method: 'PUT',
      template: '/__admin/auth/token-ttl',
      handler: async (req, res) => {
        const seconds = (await readJsonObject(req, limit))['seconds'];
        const problems = new AdminProblems();
        if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1) problems.add('seconds', 'seconds must be a positive integer.');
        problems.throwIfAny();
        state.tokens.tokenTtlSeconds = seconds as number;
        sendJson(res, 200, { tokenTtlSeconds: seconds });
      },
    },
    { method: 'POST', template: '/__admin/faults', handler: async (req, res) => sendJson(res, 201, state.faults.arm(await readJsonObject(req, limit))) },
    { method: 'GET', template: '/__admin/faults', handler: json(200, () => ({ items: state.faults.pending() })) },
    { method: 'DELETE', template: '/__admin/faults', handler: noContent(() => state.faults.clear()) },
    {
      method: 'PUT',
      template: '/__admin/rate-limit',
      handler: async (req, res) => {
        const body = await readJsonObject(req, limit);
        const problems = new AdminProblems();
        if (body['disabled'] === true) {
          state.rateLimiter.configure(false);
        } else {
          const { requestsPerSecond, burst } = body;
          if (typeof requestsPerSecond !== 'number' || requestsPerSecond <= 0) problems.add('requestsPerSecond', 'requestsPerSecond must be a positive number.');
          if (typeof burst !== 'number' || !Number.isInteger(burst) || burst < 1) problems.add('burst', 'burst must be a positive integer.');
          problems.throwIfAny();
          state.rateLimiter.configure({ requestsPerSecond: requestsPerSecond as number, burst: burst as number });
        }
        sendJson(res, 200, { rateLimit: state.rateLimiter.settings });
      },
    },
    {
      method: 'GET',
      template: '/__admin/calls',
      handler: async (_req, res, _p, url) => {
        const since = url.searchParams.get('since');
        const items = state.calls.list({
          method: url.searchParams.get('method'),
          path: url.searchParams.get('path'),
          route: url.searchParams.get('route'),
          ...(since !== null && Number.isInteger(Number(since)) ? { since: Number(since) } : {}),
        });
        sendJson(res, 200, { items, count: items.length });
      },
    },
    { method: 'DELETE', template: '/__admin/calls', handler: noContent(() => state.calls.clear()) },
    {
      method: 'POST',
      template: '/__admin/reset',
      handler: noContent(() => {
        state.purchaseOrders.clear();
        state.receivingTransactions.clear();
        state.invoices.clear();
        state.suppliers.clear();
        state.supplierAddresses.clear();
        state.faults.clear();
        state.calls.clear();
      }),
    },
  ];
}
