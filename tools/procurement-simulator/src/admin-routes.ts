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
import { controlRoutes, jsonHandler, noContentHandler } from './control-routes';
import type { ProcurementSimulatorState, Route, SimulatorSettings } from './simulator-state';

export function adminRoutes(state: ProcurementSimulatorState, settings: SimulatorSettings, routeNames: () => string[]): Route[] {
  const { clock } = state;
  const limit = settings.bodyLimitBytes;
  const json = jsonHandler;
  const noContent = noContentHandler;

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
    ...controlRoutes(state, limit, routeNames),
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
