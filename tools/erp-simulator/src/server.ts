import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { deliverJson, parseDeliveryTarget, type DeliveryResult, type DeliveryTarget } from './delivery';
import { FaultInjector, type Fault } from './fault-injector';
import { errorDetail, fusionErrorBody, FusionHttpError, ValidationProblems } from './fusion-errors';
import {
  collection,
  DEFAULT_BODY_LIMIT_BYTES,
  matchesFilter,
  parseQueryFilter,
  readJsonObject,
  sendJson,
  type JsonObject,
} from './http-io';
import { validateInvoiceCreate } from './invoice-request';
import { parseConfirm, parsePaymentRun, PaymentStore, type Payment } from './payment-runs';
import { PostingStore, toInvoiceResource, toReceipt, type PostingOutcome } from './posting-store';

/** Fusion Cloud REST base path (release 11.13.18.05 is the path every current Fusion pod serves). */
export const FUSION_BASE_PATH = '/fscmRestApi/resources/11.13.18.05';

const ITEM_TYPE = 'application/vnd.oracle.adf.resourceitem+json';
const COLLECTION_TYPE = 'application/vnd.oracle.adf.resourcecollection+json';
const ERROR_TYPE = 'application/vnd.oracle.adf.error+json';

export interface ErpSimulatorOptions {
  /** 0 (default) = any free port. */
  readonly port?: number;
  readonly host?: '127.0.0.1' | string;
  /** How long a `timeout` fault holds a request before dropping the socket. Default 30 s. */
  readonly hangMs?: number;
  /** Max JSON body size. Default 1 MiB. */
  readonly bodyLimitBytes?: number;
  /** Per-delivery timeout for payment webhooks. Default 5 s. */
  readonly deliveryTimeoutMs?: number;
  /** Default: silent. */
  readonly logger?: Logger;
}

/** The simulator's in-memory state, for in-process assertions (the admin API exposes the same). */
export interface ErpSimulatorState {
  readonly postings: PostingStore;
  readonly faults: FaultInjector;
  readonly payments: PaymentStore;
}

export interface ErpSimulator {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:39123 */
  readonly url: string;
  readonly state: ErpSimulatorState;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, params: string[], url: URL) => Promise<void>;
interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly handler: Handler;
}

export async function startErpSimulator(options: ErpSimulatorOptions = {}): Promise<ErpSimulator> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const hangMs = options.hangMs ?? 30_000;
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const deliveryTimeoutMs = options.deliveryTimeoutMs ?? 5_000;
  const state: ErpSimulatorState = {
    postings: new PostingStore(),
    faults: new FaultInjector(),
    payments: new PaymentStore(),
  };
  // Timers of requests held open by timeout faults, so close() does not wait for them.
  const hangTimers = new Set<NodeJS.Timeout>();

  const deliver = async (payment: Payment, target: DeliveryTarget | undefined, event: string) => {
    if (!target) return undefined;
    const result: DeliveryResult = await deliverJson(target, payment, { timeoutMs: deliveryTimeoutMs, event, logger });
    return { PaymentId: payment.PaymentId, ...result };
  };

  const hang = (req: IncomingMessage, res: ServerResponse, ms: number): void => {
    const timer = setTimeout(() => {
      hangTimers.delete(timer);
      // No status line, no body: the client sees the connection drop (ECONNRESET / socket hang up).
      req.socket.destroy();
    }, ms);
    hangTimers.add(timer);
    res.on('close', () => {
      clearTimeout(timer);
      hangTimers.delete(timer);
    });
  };

  const createInvoice: Handler = async (req, res, _params, url) => {
    const body = await readJsonObject(req, bodyLimit);
    const request = validateInvoiceCreate(body);
    const idempotencyKey = headerValue(req, 'idempotency-key');
    const fault = state.faults.take(request.InvoiceNumber);
    const store = (outcome: PostingOutcome) =>
      state.postings.create(request, { idempotencyKey, requestBody: body, receivedAt: new Date(), outcome });
    const log = logger.child({ invoiceNumber: request.InvoiceNumber, idempotencyKey, fault: fault?.kind });

    if (fault?.kind === 'business-rejection') {
      log.info({ code: fault.code }, 'invoice rejected by injected business rule');
      sendJson(res, fault.status, faultBody(fault), ERROR_TYPE);
      return;
    }
    if (fault?.kind === 'http-5xx') {
      if (fault.afterProcessing) {
        const posting = store('http-5xx-after-processing');
        log.info({ invoiceId: posting.InvoiceId }, 'invoice posted, answering with injected 5xx');
      } else {
        log.info('injected 5xx before processing');
      }
      sendJson(res, fault.status, faultBody(fault), ERROR_TYPE);
      return;
    }
    if (fault?.kind === 'timeout') {
      if (fault.afterProcessing) {
        const posting = store('timeout-after-processing');
        log.info({ invoiceId: posting.InvoiceId }, 'invoice posted, holding the request (injected timeout)');
      } else {
        log.info('holding the request without processing (injected timeout)');
      }
      hang(req, res, fault.hangMs ?? hangMs);
      return;
    }
    const posting = store('acknowledged');
    log.info({ invoiceId: posting.InvoiceId, document: posting.AccountingDocumentNumber }, 'invoice posted');
    res.setHeader('location', `${url.origin}${FUSION_BASE_PATH}/invoices/${posting.InvoiceId}`);
    sendJson(res, 201, toReceipt(posting), ITEM_TYPE);
  };

  const listInvoices: Handler = async (_req, res, _params, url) => {
    const filter = parseQueryFilter(url.searchParams.get('q'));
    const items = state.postings
      .all()
      .map(toInvoiceResource)
      .filter((p) => matchesFilter(p, filter));
    sendJson(res, 200, collection(items, url, 'invoices'), COLLECTION_TYPE);
  };

  const getInvoice: Handler = async (_req, res, [id]) => {
    const posting = state.postings.byInvoiceId(Number(id));
    if (!posting) throw new FusionHttpError(404, [errorDetail(`No invoice with InvoiceId ${id}.`, 'INVOICE_NOT_FOUND')]);
    sendJson(res, 200, toInvoiceResource(posting), ITEM_TYPE);
  };

  const listPayments: Handler = async (_req, res, _params, url) => {
    const filter = parseQueryFilter(url.searchParams.get('q'));
    const items = state.payments.all().filter((p) => matchesFilter(p as unknown as Record<string, unknown>, filter));
    sendJson(res, 200, collection(items, url, 'payablesPayments'), COLLECTION_TYPE);
  };

  const getPayment: Handler = async (_req, res, [id]) => {
    sendJson(res, 200, state.payments.get(Number(id)), ITEM_TYPE);
  };

  const armFault: Handler = async (req, res) => {
    const fault = state.faults.arm(await readJsonObject(req, bodyLimit));
    logger.info({ fault }, 'fault armed');
    sendJson(res, 201, fault);
  };

  const runPayments: Handler = async (req, res) => {
    const request = parsePaymentRun(await readJsonObject(req, bodyLimit));
    const payments = state.payments.issue(request);
    logger.info({ paymentIds: payments.map((p) => p.PaymentId) }, 'payment run issued');
    // Sequential, in payment order, so a receiver sees them in the order the run lists them.
    const deliveries = [];
    for (const payment of payments) {
      const result = await deliver(payment, request.deliverTo, 'payment.issued');
      if (result) deliveries.push(result);
    }
    sendJson(res, 201, { payments, deliveries });
  };

  const confirmPayment: Handler = async (req, res, [id]) => {
    const request = parseConfirm(await readJsonObject(req, bodyLimit));
    const payment = state.payments.confirm(Number(id), request);
    logger.info({ paymentId: payment.PaymentId, bankReference: request.bankReference }, 'payment cleared');
    const delivery = await deliver(payment, request.deliverTo, 'payment.cleared');
    sendJson(res, 200, { payment, deliveries: delivery ? [delivery] : [] });
  };

  const redeliverPayment: Handler = async (req, res, [id]) => {
    const payment = state.payments.get(Number(id));
    const problems = new ValidationProblems();
    const target = parseDeliveryTarget((await readJsonObject(req, bodyLimit))['deliverTo'], problems);
    if (!target) problems.add('deliverTo', 'deliverTo is required.', 'FND_REST_REQUIRED_ATTR');
    problems.throwIfAny();
    const event = payment.PaymentStatus === 'Cleared' ? 'payment.cleared' : 'payment.issued';
    const delivery = await deliver(payment, target, event);
    sendJson(res, 200, { payment, deliveries: delivery ? [delivery] : [] });
  };

  const json = (status: number, body: () => unknown): Handler => async (_req, res) => sendJson(res, status, body());
  const noContent = (action: () => void): Handler => async (_req, res) => {
    action();
    res.writeHead(204).end();
  };
  const routes: Route[] = [
    { method: 'POST', pattern: /^\/fscmRestApi\/resources\/11\.13\.18\.05\/invoices$/, handler: createInvoice },
    { method: 'GET', pattern: /^\/fscmRestApi\/resources\/11\.13\.18\.05\/invoices$/, handler: listInvoices },
    { method: 'GET', pattern: /^\/fscmRestApi\/resources\/11\.13\.18\.05\/invoices\/(\d+)$/, handler: getInvoice },
    { method: 'GET', pattern: /^\/fscmRestApi\/resources\/11\.13\.18\.05\/payablesPayments$/, handler: listPayments },
    { method: 'GET', pattern: /^\/fscmRestApi\/resources\/11\.13\.18\.05\/payablesPayments\/(\d+)$/, handler: getPayment },
    {
      method: 'GET',
      pattern: /^\/__admin\/health$/,
      handler: json(200, () => ({
        status: 'UP',
        postings: state.postings.all().length,
        payments: state.payments.all().length,
        pendingFaults: state.faults.pending().length,
      })),
    },
    { method: 'POST', pattern: /^\/__admin\/faults$/, handler: armFault },
    { method: 'GET', pattern: /^\/__admin\/faults$/, handler: json(200, () => ({ items: state.faults.pending() })) },
    { method: 'DELETE', pattern: /^\/__admin\/faults$/, handler: noContent(() => state.faults.clear()) },
    {
      method: 'GET',
      pattern: /^\/__admin\/postings$/,
      handler: async (_req, res, _p, url) => {
        const invoiceNumber = url.searchParams.get('invoiceNumber');
        const items = state.postings.all().filter((p) => invoiceNumber === null || p.InvoiceNumber === invoiceNumber);
        sendJson(res, 200, { items, count: items.length });
      },
    },
    { method: 'DELETE', pattern: /^\/__admin\/postings$/, handler: noContent(() => state.postings.clear()) },
    { method: 'POST', pattern: /^\/__admin\/payment-runs$/, handler: runPayments },
    { method: 'DELETE', pattern: /^\/__admin\/payments$/, handler: noContent(() => state.payments.clear()) },
    { method: 'POST', pattern: /^\/__admin\/payments\/(\d+)\/confirm$/, handler: confirmPayment },
    { method: 'POST', pattern: /^\/__admin\/payments\/(\d+)\/deliver$/, handler: redeliverPayment },
    {
      method: 'POST',
      pattern: /^\/__admin\/reset$/,
      handler: noContent(() => {
        state.postings.clear();
        state.payments.clear();
        state.faults.clear();
      }),
    },
  ];

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const matching = routes.filter((r) => r.pattern.test(url.pathname));
    const route = matching.find((r) => r.method === req.method);
    const respondError = (err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof FusionHttpError) {
        sendJson(res, err.httpStatus, err.toBody(), ERROR_TYPE);
        return;
      }
      logger.error({ err, method: req.method, path: url.pathname }, 'unexpected simulator error');
      sendJson(res, 500, fusionErrorBody(500, [errorDetail(String(err), 'SIMULATOR_ERROR')]), ERROR_TYPE);
    };
    if (!route) {
      const status = matching.length > 0 ? 405 : 404;
      const detail =
        status === 405
          ? `${req.method} is not supported on ${url.pathname}; use ${matching.map((r) => r.method).join(', ')}.`
          : `No resource at ${url.pathname}.`;
      req.resume();
      respondError(new FusionHttpError(status, [errorDetail(detail, status === 405 ? 'METHOD_NOT_ALLOWED' : 'NOT_FOUND')]));
      return;
    }
    logger.debug({ method: req.method, path: url.pathname }, 'request');
    const params = route.pattern.exec(url.pathname)?.slice(1) ?? [];
    route.handler(req, res, params, url).catch(respondError);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.address}:${address.port}`;
  logger.info({ url, hangMs }, 'ERP simulator listening');

  return {
    url,
    state,
    close: async () => {
      for (const timer of hangTimers) clearTimeout(timer);
      hangTimers.clear();
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

function faultBody(fault: Fault) {
  return fusionErrorBody(fault.status, [errorDetail(fault.message, fault.code)], fault.code);
}

function headerValue(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}

/** Re-exported so consumers of the simulator can type admin payloads without deep imports. */
export type { Fault, FaultKind } from './fault-injector';
export type { Payment, RelatedInvoice } from './payment-runs';
export type { Posting, PostingReceipt } from './posting-store';
export type { JsonObject };
