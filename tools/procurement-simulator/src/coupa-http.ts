/**
 * The request pipeline of a Coupa-shaped simulator (this one and tools/ap-simulator):
 * route -> fault (if armed for the route) -> bearer token and scope -> rate limit (per client)
 * -> handler; every call is recorded in the call log, with the `Idempotency-Key` header it
 * carried (recorded only: Coupa documents no idempotency-key support, so nothing is
 * de-duplicated by it).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { HeldRequests } from '@finmesh/simulator-kit';
import type { Logger } from 'pino';
import type { CallLog } from './call-log';
import { coupaError, CoupaHttpError } from './coupa-errors';
import type { Fault, FaultInjector } from './fault-injector';
import { headerValue, readText, sendJson } from './http-io';
import { basicCredentials, type TokenService } from './oauth';
import type { RateLimiter } from './rate-limiter';
import { routeName, templatePattern, type Route } from './simulator-state';

export interface CoupaPipelineDeps {
  readonly routes: () => readonly Route[];
  readonly tokens: TokenService;
  readonly faults: FaultInjector;
  readonly calls: CallLog;
  readonly rateLimiter: RateLimiter;
  readonly held: HeldRequests;
  readonly hangMs: number;
  readonly logger: Logger;
}

/** Applies an armed fault; true when the request is answered (or dropped) by it. */
async function applyFault(fault: Fault, req: IncomingMessage, res: ServerResponse, deps: CoupaPipelineDeps): Promise<boolean> {
  if (fault.kind === 'slow') {
    await new Promise((r) => setTimeout(r, fault.delayMs));
    return false;
  }
  if (fault.kind === 'lost-response') {
    // Serve the call, but drop the connection where the answer would be written.
    const drop = () => {
      req.socket.destroy();
      return res;
    };
    res.writeHead = drop as unknown as typeof res.writeHead;
    res.end = drop as unknown as typeof res.end;
    return false;
  }
  req.resume();
  if (fault.kind === 'drop') sendJson(res, 200, {});
  else if (fault.kind === 'timeout') deps.held.hold(req, res, fault.hangMs ?? deps.hangMs);
  else if (fault.kind === 'rate-limit') throw coupaError(429, 'Rate limit exceeded (injected).', 'error', { 'retry-after': String(fault.retryAfterSeconds) });
  else throw coupaError(fault.status, 'The service is temporarily unavailable (injected).');
  return true;
}

export function coupaRequestListener(deps: CoupaPipelineDeps): RequestListener {
  let compiledFor: readonly Route[] | undefined;
  let compiled: { route: Route; pattern: RegExp }[] = [];
  const table = () => {
    const routes = deps.routes();
    if (routes !== compiledFor) {
      compiledFor = routes;
      compiled = routes.map((r) => ({ route: r, pattern: templatePattern(r.template) }));
    }
    return compiled;
  };
  const { logger } = deps;

  return (req, res) => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const matching = table().filter((c) => c.pattern.test(url.pathname));
    const hit = matching.find((c) => c.route.method === req.method);
    const call = { clientId: null as string | null, fault: null as string | null };
    res.on('close', () => {
      deps.calls.record({
        at: new Date(started).toISOString(),
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        route: hit ? routeName(hit.route) : null,
        clientId: call.clientId,
        status: res.headersSent ? res.statusCode : 0,
        durationMs: Date.now() - started,
        fault: call.fault,
        idempotencyKey: headerValue(req, 'idempotency-key') ?? null,
      });
    });
    const respondError = (err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof CoupaHttpError) {
        sendJson(res, err.status, err.body, err.headers);
        return;
      }
      logger.error({ err, method: req.method, path: url.pathname }, 'unexpected simulator error');
      sendJson(res, 500, { errors: { error: [String(err)] } });
    };
    if (!hit) {
      req.resume();
      respondError(matching.length > 0 ? coupaError(405, `${req.method} is not supported on ${url.pathname}.`) : coupaError(404, `No resource at ${url.pathname}.`));
      return;
    }
    const { route, pattern } = hit;
    const params = pattern.exec(url.pathname)?.slice(1) ?? [];
    const run = async () => {
      if (route.faultable) {
        const fault = deps.faults.take(routeName(route));
        if (fault) {
          call.fault = fault.kind;
          logger.info({ route: routeName(route), fault: fault.kind }, 'fault applied');
          if (await applyFault(fault, req, res, deps)) return;
        }
      }
      if (route.scope) {
        const accept = headerValue(req, 'accept');
        if (accept && /xml/i.test(accept) && !/json|\*\/\*/i.test(accept)) throw coupaError(406, 'This simulator answers JSON only (Accept: application/json).');
        call.clientId = deps.tokens.authorize(headerValue(req, 'authorization'), headerValue(req, 'x-coupa-api-key'), route.scope);
        const wait = deps.rateLimiter.take(call.clientId);
        if (wait !== undefined) {
          call.fault = 'rate-limited';
          throw coupaError(429, 'Rate limit exceeded: 25 requests per second, burst 20.', 'error', { 'retry-after': String(wait) });
        }
      }
      await route.handler(req, res, params, url);
    };
    run().catch(respondError);
  };
}

/** `POST /oauth2/token` (see oauth.ts). */
export function oauthTokenRoute(tokens: TokenService, bodyLimitBytes: number, logger: Logger): Route {
  return {
    method: 'POST',
    template: '/oauth2/token',
    faultable: true,
    handler: async (req, res) => {
      const form = new URLSearchParams(await readText(req, bodyLimitBytes));
      const answer = tokens.issue(form, basicCredentials(headerValue(req, 'authorization')));
      logger.info({ clientId: form.get('client_id') ?? 'basic', scope: answer.scope }, 'token issued');
      sendJson(res, 200, answer, { 'cache-control': 'no-store' });
    },
  };
}
