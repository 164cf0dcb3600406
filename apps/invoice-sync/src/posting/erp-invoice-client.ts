import { Inject, Injectable } from '@nestjs/common';
import { PlatformAuthError, PlatformUnavailableError, type Authorizer } from '@finmesh/connectors';
import { TransientFailure } from '@finmesh/messaging';
import { PlatformConnections } from '@finmesh/service-kit';
import {
  classifyFusionInvoiceFailure,
  mapFusionInvoiceCreated,
  type FusionCallOutcome,
  type FusionInvoiceCreateBody,
  type FusionPostingFailure,
} from '@finmesh/adapters';
import type { InvoiceSyncSettings } from '../settings/invoice-sync-settings';
import { INVOICE_SYNC_SETTINGS } from '../settings/tokens';

/** Payables invoices, below Fusion's REST root (FINMESH_ERP_BASE_URL + the connectors' REST root). */
export const FUSION_INVOICES_PATH = '/invoices';
/** Fusion Procurement purchase orders (approved orders; drafts are `draftPurchaseOrders`). */
export const FUSION_PURCHASE_ORDERS_PATH = '/purchaseOrders';
/** Payables' cancel action ("Cancel an invoice": all invoice amounts are set to zero). */
export const FUSION_CANCEL_INVOICE_PATH = '/invoices/action/cancelInvoice';

/** A purchase order the ERP holds, as far as posting needs it. */
export interface ErpPurchaseOrder {
  readonly poHeaderId: string | null;
  readonly orderNumber: string;
  /** Fusion's document status ('Open', 'Closed for Invoicing', …) as sent. */
  readonly status: string | null;
}

/** What the ERP answered to cancelInvoice. */
export type ErpCancelResult =
  | { readonly kind: 'cancelled'; readonly httpStatus: number; readonly message: string | null; readonly alreadyCancelled: boolean }
  | { readonly kind: 'refused'; readonly httpStatus: number; readonly failure: FusionPostingFailure };

/** A Payables invoice the ERP holds. */
export interface ErpInvoiceDocument {
  readonly documentId: string;
  readonly documentNumber: string | null;
  readonly accountingDate: string;
  readonly amount: string;
  readonly currency: string;
  readonly supplierNumber: string | null;
  /** Free-text description; finmesh posts 'finmesh invoice <id>' (see the adapters' body builder). */
  readonly description: string | null;
}

export type ErpPostResult =
  | { readonly kind: 'posted'; readonly httpStatus: number; readonly document: ErpInvoiceDocument }
  | { readonly kind: 'failed'; readonly httpStatus: number | null; readonly failure: FusionPostingFailure };

/** The invoice's amount and currency, for responses that do not repeat them. */
export interface PostedInvoiceFacts {
  readonly invoiceId: string;
  readonly grossAmount: string;
  readonly currency: string;
}

/**
 * HTTP client for Fusion Payables invoices: POST (create), GET by invoice number (did a post
 * whose answer we never got go through?) and the cancelInvoice action; plus the lookup of a
 * purchase order (does the ERP hold the PO a line would be matched to?). Bodies, responses and error classification are the
 * adapters' (@finmesh/adapters fusion-payables-invoice); this is transport: URL, credentials,
 * timeout, Idempotency-Key, and turning "no answer" into the adapters' outcome kinds.
 *
 * It keeps its own transport rather than the connectors' PlatformHttpClient because posting
 * needs every answer as an outcome (a 4xx is a business rejection to record, a timeout an
 * unknown outcome to look up before re-posting), not as an exception. Credentials are the
 * connectors' (one authorizer, and token, per platform with the read-back pollers). A 401 is
 * tried once more with a fresh token; a second 401 or a 403 throws PlatformAuthError, which the
 * consumer runtime dead-letters without retrying (code PLATFORM_AUTH): the invoice stays
 * APPROVED, nothing is marked failed, and a replay after the credentials are fixed posts it.
 */
@Injectable()
export class ErpInvoiceClient {
  private readonly authorizer: Authorizer;

  constructor(
    @Inject(INVOICE_SYNC_SETTINGS) private readonly settings: InvoiceSyncSettings,
    private readonly platforms: PlatformConnections,
  ) {
    this.authorizer = platforms.authorizer(settings.fusion);
  }

  /** Posts an invoice. Never throws for an ERP answer or a lost one: the result says which it was. */
  async post(body: FusionInvoiceCreateBody, facts: PostedInvoiceFacts): Promise<ErpPostResult> {
    const outcome = await this.call('POST', FUSION_INVOICES_PATH, {
      body: JSON.stringify(body),
      // Fusion does not de-duplicate on it, but it is recorded with the request for audit.
      headers: { 'content-type': 'application/json', 'idempotency-key': facts.invoiceId },
    });
    if (outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300) {
      return { kind: 'posted', httpStatus: outcome.status, document: toDocument(outcome.body, facts) };
    }
    return { kind: 'failed', httpStatus: outcome.kind === 'response' ? outcome.status : null, failure: classifyFusionInvoiceFailure(outcome) };
  }

  /**
   * The ERP's invoices with this supplier invoice number and supplier. Throws PlatformUnavailableError
   * (retriable; counts for the posting breaker) when the ERP cannot answer: without the answer it is unknown whether posting would double-post.
   */
  async findInvoices(invoiceNumber: string, supplierNumber: string, facts: PostedInvoiceFacts): Promise<ErpInvoiceDocument[]> {
    const q = `InvoiceNumber=${quote(invoiceNumber)};SupplierNumber=${quote(supplierNumber)}`;
    const outcome = await this.call('GET', `${FUSION_INVOICES_PATH}?q=${encodeURIComponent(q)}&limit=100`, { headers: {} });
    if (outcome.kind !== 'response' || outcome.status !== 200) {
      const failure = classifyFusionInvoiceFailure(outcome);
      throw new PlatformUnavailableError('fusion', 'GET invoices', `lookup of invoice ${invoiceNumber} failed: ${failure.erpMessage}`, outcome.kind === 'response' ? outcome.status : undefined);
    }
    const items = isRecord(outcome.body) && Array.isArray(outcome.body['items']) ? outcome.body['items'] : [];
    return items.map((item: unknown) => toDocument(item, facts));
  }

  /**
   * The purchase order with this order number, if the ERP holds it (Fusion Procurement
   * `GET …/purchaseOrders?q=OrderNumber='…'`; only approved orders are there, drafts live in
   * `draftPurchaseOrders`). Throws PlatformUnavailableError (retriable) when the ERP does not answer (5xx, 429,
   * timeout, network, or an answer that is not a collection): without it, it is unknown whether
   * the invoice's lines can be PO-matched. 401/403 throw PlatformAuthError.
   *
   * Source: Oracle Fusion Cloud Procurement REST API, Purchase Orders, "Get all purchase orders"
   * (`/fscmRestApi/resources/11.13.18.05/purchaseOrders`, q on OrderNumber; rows with POHeaderId,
   * OrderNumber, Status). Unconfirmed here: the full list of Status values.
   */
  async findPurchaseOrder(orderNumber: string): Promise<ErpPurchaseOrder | undefined> {
    const q = `OrderNumber=${quote(orderNumber)}`;
    const outcome = await this.call('GET', `${FUSION_PURCHASE_ORDERS_PATH}?q=${encodeURIComponent(q)}&limit=25`, { headers: {} }, 'purchaseOrders');
    if (outcome.kind !== 'response' || outcome.status !== 200 || !isRecord(outcome.body) || !Array.isArray(outcome.body['items'])) {
      const why = outcome.kind === 'response' && outcome.status === 200 ? 'the answer is not a collection' : classifyFusionInvoiceFailure(outcome).erpMessage;
      throw new PlatformUnavailableError('fusion', 'GET purchaseOrders', `lookup of purchase order ${orderNumber} failed: ${why}`, outcome.kind === 'response' ? outcome.status : undefined);
    }
    const match = (outcome.body['items'] as unknown[]).filter(isRecord).find((item) => item['OrderNumber'] === orderNumber);
    if (!match) return undefined;
    return {
      poHeaderId: match['POHeaderId'] === undefined || match['POHeaderId'] === null ? null : String(match['POHeaderId']),
      orderNumber,
      status: typeof match['Status'] === 'string' ? match['Status'] : null,
    };
  }

  /**
   * Cancels a Payables invoice (`POST …/invoices/action/cancelInvoice` with Oracle's request
   * attributes InvoiceNumber, BusinessUnit, Supplier). A cancel of an invoice that is cancelled
   * already is harmless: the simulator answers 200 "already canceled"; a Fusion 400 saying so is
   * taken as cancelled too. Other 4xx are refusals (e.g. the invoice has payments); 5xx, 429,
   * timeouts and network errors throw TransientFailure (retried); 401/403 PlatformAuthError.
   */
  async cancelInvoice(request: { invoiceNumber: string; businessUnit: string; supplier: string }): Promise<ErpCancelResult> {
    const outcome = await this.call(
      'POST',
      FUSION_CANCEL_INVOICE_PATH,
      {
        body: JSON.stringify({ InvoiceNumber: request.invoiceNumber, BusinessUnit: request.businessUnit, Supplier: request.supplier }),
        headers: { 'content-type': 'application/vnd.oracle.adf.action+json' },
      },
      'invoices/action/cancelInvoice',
    );
    if (outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300) {
      const message = isRecord(outcome.body) && typeof outcome.body['result'] === 'string' ? outcome.body['result'] : null;
      return { kind: 'cancelled', httpStatus: outcome.status, message, alreadyCancelled: message !== null && ALREADY_CANCELLED.test(message) };
    }
    const failure = classifyFusionInvoiceFailure(outcome);
    if (failure.failureClass === 'TRANSIENT' || outcome.kind !== 'response') {
      throw new TransientFailure(`ERP cancellation of invoice ${request.invoiceNumber} failed (${failure.reasonCode}): ${failure.erpMessage}`);
    }
    if (ALREADY_CANCELLED.test(failure.erpMessage)) return { kind: 'cancelled', httpStatus: outcome.status, message: failure.erpMessage, alreadyCancelled: true };
    return { kind: 'refused', httpStatus: outcome.status, failure };
  }

  private async call(method: 'GET' | 'POST', path: string, init: { body?: string; headers: Record<string, string> }, resource = 'invoices'): Promise<FusionCallOutcome> {
    const started = process.hrtime.bigint();
    const operation = `${method} ${resource}`;
    let outcome = await this.send(method, path, init);
    if (outcome.kind === 'response' && outcome.status === 401) {
      // The token may have been revoked or rotated before its expiry: once more with a fresh one.
      this.authorizer.invalidate();
      outcome = await this.send(method, path, init);
    }
    const refused = outcome.kind === 'response' && (outcome.status === 401 || outcome.status === 403);
    this.platforms.observer.platformCall?.({
      platform: 'fusion',
      operation,
      outcome: refused ? 'auth_refused' : outcome.kind !== 'response' ? 'unavailable' : outcome.status >= 500 ? 'unavailable' : outcome.status >= 400 ? 'refused' : 'ok',
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
    });
    if (refused && outcome.kind === 'response') {
      throw new PlatformAuthError('fusion', operation, `credentials refused (${outcome.status}) for '${this.authorizer.principal}'`, outcome.status);
    }
    return outcome;
  }

  private async send(method: 'GET' | 'POST', path: string, init: { body?: string; headers: Record<string, string> }): Promise<FusionCallOutcome> {
    const timeoutMs = this.settings.fusion.timeoutMs;
    try {
      const authorization = await this.authorizer.authorization();
      const res = await fetch(`${this.settings.fusion.baseUrl}${path}`, {
        method,
        headers: { accept: 'application/json', ...init.headers, authorization },
        ...(init.body !== undefined ? { body: init.body } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      return { kind: 'response', status: res.status, body: parseBody(text) };
    } catch (err) {
      if (err instanceof PlatformAuthError) throw err;
      // A DOMException, not always an Error instance (realms differ under test runners): check the name.
      const name = typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : undefined;
      if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'timeout', afterMs: timeoutMs };
      const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
      return { kind: 'network', message: `${err instanceof Error ? err.message : String(err)}${cause}` };
    }
  }
}

/** An answer saying the invoice was cancelled before (the simulator's text; Fusion's is not documented). */
const ALREADY_CANCELLED = /already (been )?cancel/i;

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The ERP document from a create response or a lookup item, through the adapters' mapper.
 * Fusion answers the create with the created invoice (InvoiceId as a number, InvoiceAmount as a
 * number, ValidationStatus 'Not validated', the voucher as DocumentSequence); the ERP simulator
 * names the voucher AccountingDocumentNumber and sends amounts as strings. Both are normalised
 * here (InvoiceId to text, the voucher under DocumentSequence, amount/currency from the invoice
 * when a response omits them) before mapping. Validation status and holds are not read here: the
 * ERP validates after the create, so they are polled later (adapters fusion-invoice-status).
 */
export function toDocument(body: unknown, facts: PostedInvoiceFacts): ErpInvoiceDocument {
  const b = isRecord(body) ? body : {};
  const normalised = {
    ...b,
    InvoiceId: b['InvoiceId'] === undefined || b['InvoiceId'] === null ? b['InvoiceId'] : String(b['InvoiceId']),
    InvoiceAmount: b['InvoiceAmount'] ?? facts.grossAmount,
    InvoiceCurrency: b['InvoiceCurrency'] ?? facts.currency,
    DocumentSequence: b['DocumentSequence'] ?? b['AccountingDocumentNumber'] ?? null,
  };
  const posted = mapFusionInvoiceCreated(facts.invoiceId, normalised);
  return {
    documentId: posted.erpDocumentId,
    documentNumber: posted.erpDocumentNumber,
    accountingDate: posted.accountingDate,
    amount: posted.postedAmount.amount,
    currency: posted.postedAmount.currency,
    supplierNumber: typeof b['SupplierNumber'] === 'string' ? b['SupplierNumber'] : null,
    description: typeof b['Description'] === 'string' ? b['Description'] : null,
  };
}
