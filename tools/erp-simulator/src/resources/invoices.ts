import type { InvoiceCreateRequest } from './invoice-request';
import type { JsonObject } from './http-io';

/** What the client was (or was not) told about a stored posting. */
export type PostingOutcome = 'acknowledged' | 'http-5xx-after-processing' | 'timeout-after-processing';

/** One invoice as the ERP booked it: the Fusion resource fields plus what the admin API reveals. */
export interface Posting {
  readonly InvoiceId: number;
  readonly InvoiceNumber: string;
  readonly InvoiceCurrency: string;
  readonly InvoiceAmount: string;
  readonly InvoiceDate: string;
  readonly AccountingDate: string;
  readonly BusinessUnit: string;
  readonly Supplier: string | null;
  readonly SupplierNumber: string | null;
  readonly SupplierSite: string;
  readonly Description: string | null;
  readonly ValidationStatus: 'Validated';
  readonly AccountingDocumentNumber: string;
  readonly invoiceLines: InvoiceCreateRequest['invoiceLines'];
  /** Admin-only: the `Idempotency-Key` header as received (null when absent). Never used to de-duplicate. */
  readonly idempotencyKey: string | null;
  /** Admin-only: the raw request body, as parsed. */
  readonly requestBody: JsonObject;
  readonly receivedAt: string;
  readonly outcome: PostingOutcome;
}

/** The 201 body of an invoice create. */
export interface PostingReceipt {
  readonly InvoiceId: number;
  readonly InvoiceNumber: string;
  readonly ValidationStatus: 'Validated';
  readonly AccountingDocumentNumber: string;
  readonly AccountingDate: string;
}

// Fusion ids are large int64 surrogate keys; starting here makes simulator ids look the part
// while staying far below Number.MAX_SAFE_INTEGER.
// Never repeated across simulator restarts: finmesh records the ERP document id per invoice.
const FIRST_INVOICE_ID = 300_100_000_000_001 + (Date.now() % 100_000_000) * 1000;

/**
 * In-memory ledger of postings. Every create is a new posting, even for a repeated invoice number
 * or idempotency key: the point is to let tests count double postings. Ids and document numbers
 * keep increasing across `clear()` so an id is never reused within one simulator process.
 */
export class PostingStore {
  private readonly postings: Posting[] = [];
  private nextInvoiceId = FIRST_INVOICE_ID;
  private readonly documentSeqByYear = new Map<string, number>();

  create(
    request: InvoiceCreateRequest,
    meta: { idempotencyKey: string | null; requestBody: JsonObject; receivedAt: Date; outcome: PostingOutcome },
  ): Posting {
    const accountingDate = request.AccountingDate ?? request.InvoiceDate;
    const year = accountingDate.slice(0, 4);
    const seq = (this.documentSeqByYear.get(year) ?? 0) + 1;
    this.documentSeqByYear.set(year, seq);
    const posting: Posting = {
      InvoiceId: this.nextInvoiceId++,
      InvoiceNumber: request.InvoiceNumber,
      InvoiceCurrency: request.InvoiceCurrency,
      InvoiceAmount: request.InvoiceAmount,
      InvoiceDate: request.InvoiceDate,
      AccountingDate: accountingDate,
      BusinessUnit: request.BusinessUnit,
      Supplier: request.Supplier ?? null,
      SupplierNumber: request.SupplierNumber ?? null,
      SupplierSite: request.SupplierSite,
      Description: request.Description ?? null,
      ValidationStatus: 'Validated',
      AccountingDocumentNumber: `AP-${year}-${String(seq).padStart(6, '0')}`,
      invoiceLines: request.invoiceLines,
      idempotencyKey: meta.idempotencyKey,
      requestBody: meta.requestBody,
      receivedAt: meta.receivedAt.toISOString(),
      outcome: meta.outcome,
    };
    this.postings.push(posting);
    return posting;
  }

  all(): readonly Posting[] {
    return [...this.postings];
  }

  byInvoiceId(invoiceId: number): Posting | undefined {
    return this.postings.find((p) => p.InvoiceId === invoiceId);
  }

  clear(): void {
    this.postings.length = 0;
  }
}

export function toReceipt(posting: Posting): PostingReceipt {
  return {
    InvoiceId: posting.InvoiceId,
    InvoiceNumber: posting.InvoiceNumber,
    ValidationStatus: posting.ValidationStatus,
    AccountingDocumentNumber: posting.AccountingDocumentNumber,
    AccountingDate: posting.AccountingDate,
  };
}

/** The public Fusion resource view: without the admin-only fields. */
export function toInvoiceResource(posting: Posting): Omit<Posting, 'idempotencyKey' | 'requestBody' | 'receivedAt' | 'outcome'> {
  const { idempotencyKey: _k, requestBody: _b, receivedAt: _r, outcome: _o, ...resource } = posting;
  return resource;
}
