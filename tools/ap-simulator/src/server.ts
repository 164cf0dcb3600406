/**
 * The AP platform simulator: finmesh's AP platform speaks Coupa's Invoices API, so this server
 * reuses the Coupa building blocks of tools/procurement-simulator (OAuth 2.0 client credentials
 * with scopes, Coupa's JSON errors and query syntax, the rate limit, faults and the call log) and
 * serves the AP side: invoices with the write operations that report an invoice's fate (see
 * ap-invoices.ts) and suppliers with their status and hold (the suppliers resource of
 * procurement-simulator/src/suppliers.ts). In memory; README.md lists what it serves.
 *
 * A request goes: route -> fault (if armed) -> bearer token and scope -> rate limit (per client)
 * -> handler; every call is recorded (`GET /__admin/calls`).
 */
import { createServer } from 'node:http';
import { HeldRequests, listenOn } from '@finmesh/simulator-kit';
import { coupaKit } from '@finmesh/procurement-simulator';
import pino, { type Logger } from 'pino';
import { DEFAULT_DISPUTE_REASONS } from './ap-invoices';
import { apAdminRoutes, apApiRoutes, type ApSimulatorState } from './routes';

/** Scopes of the AP simulator: Coupa's invoice scopes, and the (unconfirmed) supplier scopes. */
export const AP_SCOPES = ['core.invoice.read', 'core.invoice.write', ...coupaKit.SUPPLIER_SCOPES] as const;

export interface ApSimulatorOptions {
  /** 0 (default) = any free port. */
  readonly port?: number;
  readonly host?: string;
  /** OAuth clients; default one client `finmesh` / `finmesh-ap-simulator-secret` with every scope. */
  readonly clients?: readonly coupaKit.OAuthClient[];
  /** Lifetime of issued tokens; default 86,399 s (Coupa's 24 h). */
  readonly tokenTtlSeconds?: number;
  /** Token bucket per client; default Coupa's 25 requests/s, burst 20; false = off. */
  readonly rateLimit?: coupaKit.RateLimit | false;
  /** Valid and active dispute reason codes; default INCORRECT-QUANTITY, INCORRECT-PRICE (seed data). */
  readonly disputeReasons?: readonly string[];
  /** How long a `timeout` fault holds a request. Default 30 s. */
  readonly hangMs?: number;
  /** Calls kept in the call log; default 2,000. */
  readonly callLogLimit?: number;
  readonly bodyLimitBytes?: number;
  /** Clock for tokens, the rate limit and timestamps; default Date.now. */
  readonly now?: () => number;
  readonly timestampPrecision?: coupaKit.TimestampPrecision;
  /** Default: silent. */
  readonly logger?: Logger;
}

export interface ApSimulator {
  /** Base URL without a trailing slash. */
  readonly url: string;
  readonly state: ApSimulatorState;
  close(): Promise<void>;
}

export const DEFAULT_AP_CLIENTS: readonly coupaKit.OAuthClient[] = [{ clientId: 'finmesh', clientSecret: 'finmesh-ap-simulator-secret', scopes: [...AP_SCOPES] }];

export async function startApSimulator(options: ApSimulatorOptions = {}): Promise<ApSimulator> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const hangMs = options.hangMs ?? 30_000;
  const bodyLimitBytes = options.bodyLimitBytes ?? coupaKit.DEFAULT_BODY_LIMIT_BYTES;
  const clock = new coupaKit.Clock(options.now, options.timestampPrecision);
  let routes: coupaKit.Route[] = [];
  const faultableNames = () => routes.filter((r) => r.faultable).map(coupaKit.routeName);
  const state: ApSimulatorState = {
    invoices: new coupaKit.ResourceStore('invoices', 9_000),
    payments: new coupaKit.ResourceStore('payments', 70_000),
    comments: new coupaKit.ResourceStore('comments', 30_000),
    suppliers: new coupaKit.ResourceStore('suppliers', 800),
    supplierAddresses: new coupaKit.ResourceStore('remit_to_addresses', 5_000),
    tokens: new coupaKit.TokenService(options.clients ?? DEFAULT_AP_CLIENTS, clock, options.tokenTtlSeconds ?? coupaKit.DEFAULT_TOKEN_TTL_SECONDS),
    faults: new coupaKit.FaultInjector(faultableNames),
    calls: new coupaKit.CallLog(options.callLogLimit ?? coupaKit.DEFAULT_CALL_LOG_LIMIT),
    rateLimiter: new coupaKit.RateLimiter(options.rateLimit ?? coupaKit.COUPA_RATE_LIMIT, clock),
    clock,
    disputeReasons: options.disputeReasons ?? DEFAULT_DISPUTE_REASONS,
  };
  const held = new HeldRequests();
  routes = [coupaKit.oauthTokenRoute(state.tokens, bodyLimitBytes, logger), ...apApiRoutes(state, bodyLimitBytes), ...apAdminRoutes(state, bodyLimitBytes, faultableNames)];
  const server = createServer(
    coupaKit.coupaRequestListener({ routes: () => routes, tokens: state.tokens, faults: state.faults, calls: state.calls, rateLimiter: state.rateLimiter, held, hangMs, logger }),
  );
  const url = await listenOn(server, options.port, options.host);
  logger.info({ url, clients: state.tokens.clientIds() }, 'AP simulator listening');
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

export type { ApSimulatorState } from './routes';
