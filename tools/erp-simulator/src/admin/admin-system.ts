import { errorDetail, FusionHttpError } from '../fusion-errors';
import { readJsonObject, sendJson } from '../http-io';
import { adminRoute, type Handler, type Route } from '../http/router';
import type { SimulatorContext } from '../routes/context';

/** Test hooks (unauthenticated): health, faults, the call log, auth revocation, reset. */
export function systemAdminRoutes(ctx: SimulatorContext): Route[] {
  const { state, settings, logger } = ctx;
  const json = (status: number, body: () => unknown): Handler => async ({ res }) => sendJson(res, status, body());
  const noContent = (action: () => void): Handler => async ({ res }) => {
    action();
    res.writeHead(204).end();
  };

  const armFault: Handler = async ({ req, res }) => {
    const fault = state.faults.arm(await readJsonObject(req, settings.bodyLimit));
    logger.info({ fault }, 'fault armed');
    sendJson(res, 201, fault);
  };

  const calls: Handler = async ({ res, url }) => {
    const path = url.searchParams.get('path');
    const limit = Number(url.searchParams.get('limit') ?? 'NaN');
    let items = state.calls.all().filter((c) => path === null || c.path.includes(path));
    if (Number.isInteger(limit) && limit > 0) items = items.slice(-limit);
    sendJson(res, 200, { items, count: items.length });
  };

  const revoke: Handler = async ({ req, res }) => {
    const body = await readJsonObject(req, settings.bodyLimit);
    const username = typeof body['username'] === 'string' ? body['username'] : undefined;
    const clientId = typeof body['clientId'] === 'string' ? body['clientId'] : undefined;
    const tokens = body['tokens'] === 'all' || body['all'] === true ? 'all' : undefined;
    if (username === undefined && clientId === undefined && tokens === undefined) {
      throw new FusionHttpError(400, [errorDetail('Name what to revoke: { username } | { clientId } | { tokens: "all" }.', 'FND_REST_REQUIRED_ATTR')]);
    }
    const result = state.auth.revoke({ ...(username ? { username } : {}), ...(clientId ? { clientId } : {}), ...(tokens ? { tokens } : {}) });
    logger.info({ username, clientId, tokens, ...result }, 'credentials revoked');
    sendJson(res, 200, { revoked: { username: username ?? null, clientId: clientId ?? null, tokens: tokens ?? null }, ...result });
  };

  const restore: Handler = async ({ req, res }) => {
    const body = await readJsonObject(req, settings.bodyLimit);
    const username = typeof body['username'] === 'string' ? body['username'] : undefined;
    const clientId = typeof body['clientId'] === 'string' ? body['clientId'] : undefined;
    const all = body['all'] === true;
    state.auth.restore({ ...(username ? { username } : {}), ...(clientId ? { clientId } : {}), all });
    sendJson(res, 200, { restored: { username: username ?? null, clientId: clientId ?? null, all } });
  };

  return [
    adminRoute(
      'GET',
      '/health',
      json(200, () => ({
        status: 'UP',
        postings: state.postings.all().length,
        payments: state.payments.all().length,
        suppliers: state.suppliers.all().length,
        purchaseOrders: state.purchaseOrders.all().length,
        receipts: state.receipts.all().length,
        pendingFaults: state.faults.pending().length,
        purchaseOrderCheck: settings.purchaseOrderCheck,
      })),
    ),
    adminRoute('POST', '/faults', armFault),
    adminRoute('GET', '/faults', json(200, () => ({ items: state.faults.pending() }))),
    adminRoute('DELETE', '/faults', noContent(() => state.faults.clear())),
    adminRoute('GET', '/calls', calls),
    adminRoute('DELETE', '/calls', noContent(() => state.calls.clear())),
    adminRoute('POST', '/auth/revoke', revoke),
    adminRoute('POST', '/auth/restore', restore),
    adminRoute(
      'POST',
      '/reset',
      noContent(() => {
        state.postings.clear();
        state.payments.clearAll();
        state.faults.clear();
        state.suppliers.clear();
        state.purchaseOrders.clear();
        state.receipts.clear();
        state.calls.clear();
        state.auth.restore({ all: true });
        state.auth.tokens.revoke();
      }),
    ),
  ];
}
