/**
 * The test controls every Coupa-shaped simulator offers under `/__admin` (the procurement and the
 * AP simulator): route names, token revoke/restore/expire, faults, the rate limit and the call log.
 */
import type { CallLog } from './call-log';
import { AdminProblems } from './coupa-errors';
import type { FaultInjector } from './fault-injector';
import { readJson, readJsonObject, sendJson } from './http-io';
import type { TokenService } from './oauth';
import type { RateLimiter } from './rate-limiter';
import type { Handler, Route } from './simulator-state';

export interface ControlledState {
  readonly tokens: TokenService;
  readonly faults: FaultInjector;
  readonly calls: CallLog;
  readonly rateLimiter: RateLimiter;
}

export const jsonHandler = (status: number, body: () => unknown): Handler => async (_req, res) => sendJson(res, status, body());

export const noContentHandler = (action: () => void): Handler => async (_req, res) => {
  action();
  res.writeHead(204).end();
};

export function controlRoutes(state: ControlledState, limit: number, routeNames: () => string[]): Route[] {
  const optionalClient = async (req: Parameters<Handler>[0]): Promise<string | undefined> => {
    const body = await readJson(req, limit);
    const clientId = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['clientId'] : undefined;
    return typeof clientId === 'string' ? clientId : undefined;
  };
  return [
    { method: 'GET', template: '/__admin/routes', handler: jsonHandler(200, () => ({ items: routeNames() })) },
    { method: 'POST', template: '/__admin/auth/revoke', handler: async (req, res) => sendJson(res, 200, { revokedTokens: state.tokens.revoke(await optionalClient(req)) }) },
    {
      method: 'POST',
      template: '/__admin/auth/restore',
      handler: async (req, res) => {
        state.tokens.restore(await optionalClient(req));
        sendJson(res, 200, { restored: true });
      },
    },
    { method: 'POST', template: '/__admin/auth/expire', handler: jsonHandler(200, () => ({ expiredTokens: state.tokens.expireAll() })) },
    { method: 'POST', template: '/__admin/faults', handler: async (req, res) => sendJson(res, 201, state.faults.arm(await readJsonObject(req, limit))) },
    { method: 'GET', template: '/__admin/faults', handler: jsonHandler(200, () => ({ items: state.faults.pending() })) },
    { method: 'DELETE', template: '/__admin/faults', handler: noContentHandler(() => state.faults.clear()) },
    {
      method: 'PUT',
      template: '/__admin/rate-limit',
      handler: async (req, res) => {
        const body = await readJsonObject(req, limit);
        if (body['disabled'] === true) {
          state.rateLimiter.configure(false);
        } else {
          const problems = new AdminProblems();
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
    { method: 'DELETE', template: '/__admin/calls', handler: noContentHandler(() => state.calls.clear()) },
  ];
}
