import { Inject, Injectable } from '@nestjs/common';
import { TransientFailure } from '@finmesh/messaging';
import {
  classifyFusionInvoiceFailure,
  mapFusionInvoiceCreated,
  type FusionCallOutcome,
  type FusionInvoiceCreateBody,
  type FusionPostingFailure,
} from '@finmesh/adapters';
import type { InvoiceSyncSettings } from '../settings/invoice-sync-settings';
import { INVOICE_SYNC_SETTINGS } from '../settings/tokens';

/** Fusion Payables REST base path (the release every current Fusion pod serves). */
export const FUSION_INVOICES_PATH = '/fscmRestApi/resources/11.13.18.05/invoices';

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
 * HTTP client for Fusion Payables invoices: POST (create) and GET by invoice number (did a post
 * whose answer we never got go through?). Bodies, responses and error classification are the
 * adapters' (@finmesh/adapters fusion-payables-invoice); this is transport: URL, timeout,
 * Idempotency-Key, and turning "no answer" into the adapters' outcome kinds.
 */
@Injectable()
export class ErpInvoiceClient {
  constructor(@Inject(INVOICE_SYNC_SETTINGS) private readonly settings: InvoiceSyncSettings) {}

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
   * The ERP's invoices with this supplier invoice number and supplier. Throws TransientFailure when
   * the ERP cannot answer: without the answer it is unknown whether posting would double-post.
   */
  async findInvoices(invoiceNumber: string, supplierNumber: string, facts: PostedInvoiceFacts): Promise<ErpInvoiceDocument[]> {
    const q = `InvoiceNumber=${quote(invoiceNumber)};SupplierNumber=${quote(supplierNumber)}`;
    const outcome = await this.call('GET', `${FUSION_INVOICES_PATH}?q=${encodeURIComponent(q)}&limit=100`, { headers: {} });
    if (outcome.kind !== 'response' || outcome.status !== 200) {
      const failure = classifyFusionInvoiceFailure(outcome);
      throw new TransientFailure(`ERP lookup of invoice ${invoiceNumber} failed: ${failure.erpMessage}`);
    }
    const items = isRecord(outcome.body) && Array.isArray(outcome.body['items']) ? outcome.body['items'] : [];
    return items.map((item: unknown) => toDocument(item, facts));
  }

  private async call(method: 'GET' | 'POST', path: string, init: { body?: string; headers: Record<string, string> }): Promise<FusionCallOutcome> {
    const timeoutMs = this.settings.erp.timeoutMs;
    try {
      const res = await fetch(`${this.settings.erp.baseUrl}${path}`, {
        method,
        headers: { accept: 'application/json', ...init.headers },
        ...(init.body !== undefined ? { body: init.body } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      return { kind: 'response', status: res.status, body: parseBody(text) };
    } catch (err) {
      // A DOMException, not always an Error instance (realms differ under test runners): check the name.
      const name = typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : undefined;
      if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'timeout', afterMs: timeoutMs };
      const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
      return { kind: 'network', message: `${err instanceof Error ? err.message : String(err)}${cause}` };
    }
  }
}

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
 * Thin wrapper (see report): the mapper expects InvoiceId as a string, InvoiceAmount /
 * InvoiceCurrency in the body and the voucher number as DocumentSequence, while the Fusion-like
 * ERP answers InvoiceId as a number, may omit the amount in the 201 and names the voucher
 * AccountingDocumentNumber; those are normalised here before mapping.
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
