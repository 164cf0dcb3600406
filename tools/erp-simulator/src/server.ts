import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { HeldRequests, listenOn } from '@finmesh/simulator-kit';
import pino from 'pino';
import { erpAdminRoutes } from './admin/admin-erp';
import { systemAdminRoutes } from './admin/admin-system';
import { Authenticator } from './auth/authenticator';
import { principalLabel, type Principal } from './auth/principal';
import { tokenEndpoint } from './auth/token-endpoint';
import { CallLog } from './call-log';
import { deliverJson } from './delivery';
import { FaultInjector, type Fault } from './fault-injector';
import { errorDetail, fusionErrorBody, FusionHttpError } from './fusion-errors';
import { DEFAULT_BODY_LIMIT_BYTES, sendJson } from './http-io';
import { ERROR_TYPE, oauthRoute, type Route } from './http/router';
import type { ErpSimulatorOptions, SimulatorSettings } from './options';
import { InvoiceStore } from './resources/invoices';
import { PaymentStore } from './resources/payments';
import { PurchaseOrderStore } from './resources/purchase-orders';
import { ReceiptStore } from './resources/receipts';
import { SupplierStore } from './resources/suppliers';
import type { ErpSimulatorState, SimulatorContext } from './routes/context';
import { invoiceRoutes } from './routes/fusion-invoices';
import { paymentRoutes } from './routes/fusion-payments';
import { purchasingRoutes } from './routes/fusion-purchasing';
import { supplierRoutes } from './routes/fusion-suppliers';

export { FUSION_BASE_PATH } from './http/router';
export type { ErpSimulatorOptions } from './options';
export type { ErpSimulatorState } from './routes/context';

/** The identity domain's OAuth 2.0 token endpoint path. */
export const TOKEN_PATH = '/oauth2/v1/token';

export interface ErpSimulator {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:39123 */
  readonly url: string;
  /** `${url}/oauth2/v1/token` */
  readonly tokenUrl: string;
  readonly state: ErpSimulatorState;
  close(): Promise<void>;
}

export async function startErpSimulator(options: ErpSimulatorOptions = {}): Promise<ErpSimulator> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const settings: SimulatorSettings = {
    hangMs: options.hangMs ?? 30_000,
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    deliveryTimeoutMs: options.deliveryTimeoutMs ?? 5_000,
    purchaseOrderCheck: options.purchaseOrderCheck ?? 'enforce',
  };
  const purchaseOrders = new PurchaseOrderStore();
  const state: ErpSimulatorState = {
    postings: new InvoiceStore({ validationDelayMs: options.validationDelayMs === undefined ? 0 : options.validationDelayMs }),
    faults: new FaultInjector(),
    payments: new PaymentStore(),
    suppliers: new SupplierStore(),
    purchaseOrders,
    receipts: new ReceiptStore(purchaseOrders),
    calls: new CallLog(options.callLogSize ?? 1000),
    auth: new Authenticator(options.auth ?? {}, options.tokenTtlSeconds ?? 3600),
  };
  // Requests held open by timeout faults, released on close() so it does not wait for them.
  const held = new HeldRequests();

  const ctx: SimulatorContext = {
    state,
    settings,
    logger,
    hang: (req, res, ms) => held.hold(req, res, ms),
    async deliver(payment, target, event) {
      if (!target) return undefined;
      const result = await deliverJson(target, payment, { timeoutMs: settings.deliveryTimeoutMs, event, logger });
      return { CheckId: payment.CheckId, ...result };
    },
  };

  const routes: Route[] = [
    oauthRoute('POST', TOKEN_PATH, tokenEndpoint(state.auth, settings.bodyLimit)),
    ...invoiceRoutes(ctx),
    ...paymentRoutes(ctx),
    ...supplierRoutes(ctx),
    ...purchasingRoutes(ctx),
    ...systemAdminRoutes(ctx),
    ...erpAdminRoutes(ctx),
  ];

  /** A fault armed for this method on this Fusion resource: answered here, before the handler. */
  const applyReadFault = (fault: Fault, req: IncomingMessage, res: ServerResponse): void => {
    if (fault.kind === 'timeout') {
      ctx.hang(req, res, fault.hangMs ?? settings.hangMs);
      return;
    }
    if (fault.kind === 'http-429') res.setHeader('retry-after', String(fault.retryAfterSeconds ?? 1));
    sendJson(res, fault.status, fusionErrorBody(fault.status, [errorDetail(fault.message, fault.code)], fault.code), ERROR_TYPE);
  };

  const server = createServer((req, res) => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const matching = routes.filter((r) => r.pattern.test(url.pathname));
    const route = matching.find((r) => r.method === req.method);
    let principal: Principal | null = null;
    if (route?.kind !== 'admin') {
      res.on('close', () => {
        state.calls.record({
          time: new Date(started).toISOString(),
          method: req.method ?? '',
          path: url.pathname,
          query: decodedQuery(url),
          status: res.headersSent ? res.statusCode : 0,
          principal: principalLabel(principal),
          durationMs: Date.now() - started,
        });
      });
    }
    const respondError = (err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof FusionHttpError) {
        for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
        sendJson(res, err.httpStatus, err.toBody(), ERROR_TYPE);
        return;
      }
      logger.error({ err, method: req.method, path: url.pathname }, 'unexpected simulator error');
      sendJson(res, 500, fusionErrorBody(500, [errorDetail(String(err), 'SIMULATOR_ERROR')]), ERROR_TYPE);
    };
    if (!route) {
      const status = matching.length > 0 ? 405 : 404;
      const detail = status === 405 ? `${req.method} is not supported on ${url.pathname}; use ${matching.map((r) => r.method).join(', ')}.` : `No resource at ${url.pathname}.`;
      req.resume();
      respondError(new FusionHttpError(status, [errorDetail(detail, status === 405 ? 'METHOD_NOT_ALLOWED' : 'NOT_FOUND')]));
      return;
    }
    const params = route.pattern.exec(url.pathname)?.slice(1).map(decodeURIComponent) ?? [];
    try {
      if (route.kind === 'fusion') {
        principal = state.auth.authenticate(req, route.resource);
        const fault = state.faults.takeFor(req.method ?? 'GET', route.resource);
        if (fault) {
          logger.info({ fault: fault.kind, resource: route.resource, method: req.method }, 'injected fault on a Fusion call');
          req.resume();
          applyReadFault(fault, req, res);
          return;
        }
      }
    } catch (err) {
      req.resume();
      respondError(err);
      return;
    }
    logger.debug({ method: req.method, path: url.pathname, principal: principalLabel(principal) }, 'request');
    route.handler({ req, res, url, params, principal }).catch(respondError);
  });

  const url = await listenOn(server, options.port, options.host);
  logger.info({ url, hangMs: settings.hangMs, purchaseOrderCheck: settings.purchaseOrderCheck }, 'ERP simulator listening');

  return {
    url,
    tokenUrl: `${url}${TOKEN_PATH}`,
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

/** The query string without '?', percent-decoded so the call log reads like the request (q filters). */
function decodedQuery(url: URL): string {
  const raw = url.search.replace(/^\?/, '');
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/** Re-exported so consumers of the simulator can type admin payloads without deep imports. */
export type { Fault, FaultKind } from './fault-injector';
export type { Payment, RelatedInvoice } from './resources/payments';
export type { Posting, InvoiceResource } from './resources/invoices';
export type { InvoiceHold } from './resources/invoice-holds';
export type { PurchaseOrder } from './resources/purchase-orders';
export type { ReceiptRequest } from './resources/receipts';
export type { RecordedCall } from './call-log';
export type { AuthOptions, SimulatorClient, SimulatorUser } from './auth/credentials';
export { DEV_CLIENTS, DEV_USERS } from './auth/credentials';
export type { JsonObject } from './http-io';
