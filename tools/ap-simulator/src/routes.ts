/**
 * Routes of the AP simulator (JSON only), with the scope each needs:
 *
 *   GET  /api/invoices[?query] | /:id                    core.invoice.read
 *   PUT  /api/invoices/:id[?exported=true]               core.invoice.write  payment fields, internal-note, custom-fields, exported
 *   PUT  /api/invoices/:id/bypass_approvals              core.invoice.write  -> approved
 *   PUT  /api/invoices/:id/dispute                       core.invoice.write  -> disputed ({ dispute-reason: { code }, comment })
 *   PUT  /api/invoices/:id/void                          core.invoice.write  -> voided
 *   GET  /api/invoices/:invoice_id/comments[/:id]        core.invoice.read
 *   POST /api/invoices/:invoice_id/comments              core.invoice.write  { comments } (Comments API; scope unconfirmed)
 *   /api/suppliers[...]                                  core.supplier.read|write (procurement-simulator/src/supplier-routes.ts)
 *
 * Admin (`/__admin`, no authentication): POST /invoices (seed), PUT /invoices/:id (a change in
 * the UI, e.g. status on_hold; resets exported), GET /invoices[/:id], GET /payments, GET
 * /comments, the supplier admin routes, faults, rate limit, calls, auth controls, health, reset.
 */
import { coupaKit } from '@finmesh/procurement-simulator';
import { addComment, bypassApprovals, changeInvoiceAsUser, disputeInvoice, seedInvoice, updateInvoiceViaApi, voidInvoice, type ApStores } from './ap-invoices';

export interface ApSimulatorState extends ApStores {
  readonly suppliers: coupaKit.ResourceStore;
  readonly supplierAddresses: coupaKit.ResourceStore;
  readonly tokens: coupaKit.TokenService;
  readonly faults: coupaKit.FaultInjector;
  readonly calls: coupaKit.CallLog;
  readonly rateLimiter: coupaKit.RateLimiter;
  readonly clock: coupaKit.Clock;
  readonly disputeReasons: readonly string[];
}

const { sendJson, readJsonObject, readText, isJsonObject, coupaError, parseCollectionQuery, project, runCollectionQuery } = coupaKit;
type Route = coupaKit.Route;

async function optionalBody(req: Parameters<coupaKit.Handler>[0], limit: number): Promise<coupaKit.JsonObject | undefined> {
  const text = await readText(req, limit);
  if (text.trim() === '') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch (err) {
    throw coupaError(400, `The request body is not valid JSON: ${(err as Error).message}`);
  }
  if (!isJsonObject(body)) throw coupaError(400, 'The request body must be a JSON object.');
  return body;
}

export function apApiRoutes(state: ApSimulatorState, limit: number): Route[] {
  const { clock } = state;
  const fields = (url: URL) => parseCollectionQuery(url.searchParams).fields;
  const read = 'core.invoice.read';
  const write = 'core.invoice.write';
  const commentsOf = (invoiceId: number) => state.comments.all().filter((c) => c['commentable-id'] === invoiceId);
  return [
    { method: 'GET', template: '/api/invoices', scope: read, faultable: true, handler: async (_q, res, _p, url) => sendJson(res, 200, runCollectionQuery(state.invoices.all(), parseCollectionQuery(url.searchParams))) },
    { method: 'GET', template: '/api/invoices/:id', scope: read, faultable: true, handler: async (_q, res, [id], url) => sendJson(res, 200, project(state.invoices.require(Number(id)), fields(url))) },
    {
      method: 'PUT',
      template: '/api/invoices/:id',
      scope: write,
      faultable: true,
      handler: async (req, res, [id], url) => sendJson(res, 200, project(updateInvoiceViaApi(state, Number(id), (await optionalBody(req, limit)) ?? {}, url.searchParams.get('exported'), clock), fields(url))),
    },
    {
      method: 'PUT',
      template: '/api/invoices/:id/bypass_approvals',
      scope: write,
      faultable: true,
      handler: async (req, res, [id], url) => {
        await readText(req, limit);
        sendJson(res, 200, project(bypassApprovals(state, Number(id), clock), fields(url)));
      },
    },
    {
      method: 'PUT',
      template: '/api/invoices/:id/dispute',
      scope: write,
      faultable: true,
      handler: async (req, res, [id], url) => sendJson(res, 200, project(disputeInvoice(state, Number(id), await optionalBody(req, limit), state.disputeReasons, clock), fields(url))),
    },
    {
      method: 'PUT',
      template: '/api/invoices/:id/void',
      scope: write,
      faultable: true,
      handler: async (req, res, [id], url) => {
        await readText(req, limit);
        sendJson(res, 200, project(voidInvoice(state, Number(id), clock), fields(url)));
      },
    },
    {
      method: 'GET',
      template: '/api/invoices/:invoice_id/comments',
      scope: read,
      faultable: true,
      handler: async (_q, res, [invoiceId]) => {
        state.invoices.require(Number(invoiceId));
        sendJson(res, 200, commentsOf(Number(invoiceId)));
      },
    },
    {
      method: 'GET',
      template: '/api/invoices/:invoice_id/comments/:id',
      scope: read,
      faultable: true,
      handler: async (_q, res, [invoiceId, id]) => {
        const comment = commentsOf(Number(invoiceId)).find((c) => c['id'] === Number(id));
        if (!comment) throw coupaError(404, `No comment ${id} on invoice ${invoiceId}.`);
        sendJson(res, 200, comment);
      },
    },
    {
      method: 'POST',
      template: '/api/invoices/:invoice_id/comments',
      scope: write,
      faultable: true,
      handler: async (req, res, [invoiceId]) => sendJson(res, 201, addComment(state, Number(invoiceId), (await readJsonObject(req, limit))['comments'], clock)),
    },
    ...coupaKit.supplierApiRoutes(state.suppliers, state.supplierAddresses, clock, limit),
  ];
}

export function apAdminRoutes(state: ApSimulatorState, limit: number, routeNames: () => string[]): Route[] {
  const { clock } = state;
  const json = coupaKit.jsonHandler;
  const noContent = coupaKit.noContentHandler;
  return [
    {
      method: 'GET',
      template: '/__admin/health',
      handler: json(200, () => ({
        status: 'UP',
        invoices: state.invoices.all().length,
        payments: state.payments.all().length,
        comments: state.comments.all().length,
        suppliers: state.suppliers.all().length,
        pendingFaults: state.faults.pending().length,
        activeTokens: state.tokens.activeTokens(),
        rateLimit: state.rateLimiter.settings,
      })),
    },
    { method: 'POST', template: '/__admin/invoices', handler: async (req, res) => sendJson(res, 201, seedInvoice(state.invoices, await readJsonObject(req, limit), clock)) },
    { method: 'PUT', template: '/__admin/invoices/:id', handler: async (req, res, [id]) => sendJson(res, 200, changeInvoiceAsUser(state.invoices, Number(id), await readJsonObject(req, limit), clock)) },
    { method: 'GET', template: '/__admin/invoices', handler: json(200, () => ({ items: state.invoices.all() })) },
    { method: 'GET', template: '/__admin/invoices/:id', handler: async (_q, res, [id]) => sendJson(res, 200, state.invoices.require(Number(id))) },
    { method: 'GET', template: '/__admin/payments', handler: json(200, () => ({ items: state.payments.all() })) },
    { method: 'GET', template: '/__admin/comments', handler: json(200, () => ({ items: state.comments.all() })) },
    ...coupaKit.supplierAdminRoutes(state.suppliers, state.supplierAddresses, clock, limit),
    ...coupaKit.controlRoutes(state, limit, routeNames),
    {
      method: 'POST',
      template: '/__admin/reset',
      handler: noContent(() => {
        for (const store of [state.invoices, state.payments, state.comments, state.suppliers, state.supplierAddresses]) store.clear();
        state.faults.clear();
        state.calls.clear();
      }),
    },
  ];
}
