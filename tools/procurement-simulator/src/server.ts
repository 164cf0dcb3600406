/**
 * A small HTTP server that behaves like the parts of the Coupa Core API finmesh pulls from:
 * OAuth 2.0 client credentials with scopes, purchase orders, receiving transactions, invoices and
 * suppliers (with remit-to addresses)
 * with Coupa's query filters, paging and the exported flag, voids, Coupa's rate limit, and faults
 * on demand. In memory; see README.md for what it serves and where it departs from Coupa.
 *
 * A request goes: route -> fault (if armed for the route) -> bearer token and scope -> rate limit
 * (per client) -> handler; every call is recorded in the call log.
 */
import { createServer } from 'node:http';
import { HeldRequests, listenOn } from '@finmesh/simulator-kit';
import pino, { type Logger } from 'pino';
import { adminRoutes } from './admin-routes';
import { apiRoutes } from './api-routes';
import { CallLog, DEFAULT_CALL_LOG_LIMIT } from './call-log';
import { Clock, type TimestampPrecision } from './clock';
import { coupaRequestListener, oauthTokenRoute } from './coupa-http';
import { FaultInjector } from './fault-injector';
import { DEFAULT_BODY_LIMIT_BYTES } from './http-io';
import { COUPA_SCOPES, DEFAULT_TOKEN_TTL_SECONDS, TokenService, type OAuthClient } from './oauth';
import { COUPA_RATE_LIMIT, RateLimiter, type RateLimit } from './rate-limiter';
import type { VoidMode } from './receiving-transactions';
import { ResourceStore } from './resource-store';
import { routeName, type ProcurementSimulatorState, type Route, type SimulatorSettings } from './simulator-state';

export interface ProcurementSimulatorOptions {
  /** 0 (default) = any free port. */
  readonly port?: number;
  readonly host?: string;
  /** OAuth clients; default one client `finmesh` / `finmesh-simulator-secret` with every scope. */
  readonly clients?: readonly OAuthClient[];
  /** Lifetime of issued tokens; default 86,399 s (Coupa's 24 h). */
  readonly tokenTtlSeconds?: number;
  /** Token bucket per client; default Coupa's 25 requests/s, burst 20; false = off. */
  readonly rateLimit?: RateLimit | false;
  /** How voids are recorded; default 'void-transactions' (see receiving-transactions.ts). */
  readonly voidMode?: VoidMode;
  /** Coupa Support's "Reset PO last exported at for every change"; default false (only new versions reset). */
  readonly resetPoExportedOnEveryChange?: boolean;
  /** How long a `timeout` fault holds a request. Default 30 s. */
  readonly hangMs?: number;
  /** Calls kept in the call log; default 2,000. */
  readonly callLogLimit?: number;
  readonly bodyLimitBytes?: number;
  /** Clock for tokens, the rate limit and timestamps; default Date.now. */
  readonly now?: () => number;
  /** `updated-at` and friends to the second (default, as Coupa prints them) or to the millisecond. */
  readonly timestampPrecision?: TimestampPrecision;
  /** Default: silent. */
  readonly logger?: Logger;
}

export interface ProcurementSimulator {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:39123 */
  readonly url: string;
  readonly state: ProcurementSimulatorState;
  close(): Promise<void>;
}

export const DEFAULT_CLIENTS: readonly OAuthClient[] = [{ clientId: 'finmesh', clientSecret: 'finmesh-simulator-secret', scopes: [...COUPA_SCOPES] }];

export async function startProcurementSimulator(options: ProcurementSimulatorOptions = {}): Promise<ProcurementSimulator> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const hangMs = options.hangMs ?? 30_000;
  const clock = new Clock(options.now, options.timestampPrecision);
  const settings: SimulatorSettings = {
    bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    voidMode: options.voidMode ?? 'void-transactions',
    purchaseOrderRules: { resetExportedOnEveryChange: options.resetPoExportedOnEveryChange ?? false },
  };
  let routes: Route[] = [];
  const faultableNames = () => routes.filter((r) => r.faultable).map(routeName);
  const state: ProcurementSimulatorState = {
    purchaseOrders: new ResourceStore('purchase_orders', 4_000),
    receivingTransactions: new ResourceStore('receiving_transactions', 60_000),
    invoices: new ResourceStore('invoices', 9_000),
    suppliers: new ResourceStore('suppliers', 800),
    supplierAddresses: new ResourceStore('remit_to_addresses', 5_000),
    tokens: new TokenService(options.clients ?? DEFAULT_CLIENTS, clock, options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS),
    faults: new FaultInjector(faultableNames),
    calls: new CallLog(options.callLogLimit ?? DEFAULT_CALL_LOG_LIMIT),
    rateLimiter: new RateLimiter(options.rateLimit ?? COUPA_RATE_LIMIT, clock),
    clock,
  };
  // Requests held open by timeout faults, released on close() so it does not wait for them.
  const held = new HeldRequests();

  const tokenRoute = oauthTokenRoute(state.tokens, settings.bodyLimitBytes, logger);
  routes = [tokenRoute, ...apiRoutes(state, settings), ...adminRoutes(state, settings, faultableNames)];

  const server = createServer(
    coupaRequestListener({ routes: () => routes, tokens: state.tokens, faults: state.faults, calls: state.calls, rateLimiter: state.rateLimiter, held, hangMs, logger }),
  );

  const url = await listenOn(server, options.port, options.host);
  logger.info({ url, clients: state.tokens.clientIds(), voidMode: settings.voidMode }, 'procurement simulator listening');

  return {
    url,
    state,
    close: async () => {
      held.releaseAll();
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

export type { OAuthClient, TokenAnswer } from './oauth';
export { COUPA_SCOPES } from './oauth';
export type { RateLimit } from './rate-limiter';
export type { Fault, FaultKind } from './fault-injector';
export type { RecordedCall } from './call-log';
export type { VoidMode } from './receiving-transactions';
export type { ProcurementSimulatorState } from './simulator-state';
export type { JsonObject } from './http-io';
