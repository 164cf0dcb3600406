import type { JsonObject } from '../http-io';
import { errorDetail, FusionHttpError } from '../fusion-errors';
import { timestamp, today } from './clock';
import { firstKey, sequence } from './ids';
import type { InvoiceCreateRequest, InvoiceLineRequest } from './invoice-request';
import { HoldStore, type InvoiceHold } from './invoice-holds';

/**
 * Payables invoices as the simulated ERP booked them, with Fusion's life cycle:
 *  - created 'Not validated';
 *  - validated by `POST …/invoices/action/validateInvoice`, or automatically `validationDelayMs`
 *    after creation (0 = right away; evaluated whenever invoices are read, the LastUpdateDate being
 *    the moment validation was due); validation gives 'Validated', or 'Needs revalidation' when a
 *    hold is open (holds armed through the admin API are placed at validation);
 *  - a hold placed on a validated invoice makes it 'Needs revalidation'; releasing the last open
 *    hold validates it again;
 *  - `POST …/invoices/action/cancelInvoice` makes it 'Canceled' (CanceledDate, CanceledBy) and sets
 *    its amounts to zero, as Oracle's "Cancel an invoice" describes.
 * Every change sets LastUpdateDate. The simulator does not de-duplicate: every create is a new
 * invoice, even for a repeated invoice number or Idempotency-Key (tests count double postings).
 */
export type ValidationStatus = 'Not validated' | 'Validated' | 'Needs revalidation' | 'Canceled';

/** What the client was (or was not) told about a stored invoice. */
export type PostingOutcome = 'acknowledged' | 'http-5xx-after-processing' | 'timeout-after-processing';

export interface InvoiceLine extends Omit<InvoiceLineRequest, 'invoiceDistributions'> {
  readonly invoiceDistributions: InvoiceLineRequest['invoiceDistributions'];
}

/** One invoice as the ERP booked it: the Fusion resource fields plus what the admin API reveals. */
export interface Posting {
  readonly InvoiceId: number;
  readonly InvoiceNumber: string;
  readonly InvoiceCurrency: string;
  InvoiceAmount: string;
  readonly InvoiceDate: string;
  readonly AccountingDate: string;
  readonly BusinessUnit: string;
  readonly Supplier: string | null;
  readonly SupplierNumber: string | null;
  readonly SupplierSite: string;
  readonly Description: string | null;
  readonly InvoiceType: string;
  readonly PurchaseOrderNumber: string | null;
  readonly PaymentTerms: string | null;
  ValidationStatus: ValidationStatus;
  CanceledDate: string | null;
  CanceledBy: string | null;
  /** Simulator field: the voucher number (Fusion exposes accounting through subledger journals). */
  readonly AccountingDocumentNumber: string;
  readonly CreationDate: string;
  readonly CreatedBy: string;
  LastUpdateDate: string;
  LastUpdatedBy: string;
  invoiceLines: InvoiceLine[];
  /** Admin-only: the `Idempotency-Key` header as received (null when absent). Never used to de-duplicate. */
  readonly idempotencyKey: string | null;
  /** Admin-only: the raw request body, as parsed. */
  readonly requestBody: JsonObject;
  readonly receivedAt: string;
  readonly outcome: PostingOutcome;
  /** Admin-only: the amount before a cancellation zeroed it. */
  readonly originalInvoiceAmount: string;
}

const ADMIN_FIELDS = ['idempotencyKey', 'requestBody', 'receivedAt', 'outcome', 'originalInvoiceAmount'] as const;
export type InvoiceResource = Omit<Posting, (typeof ADMIN_FIELDS)[number]>;

// Fusion ids are large int64 surrogate keys; these look the part while staying far below
// Number.MAX_SAFE_INTEGER, and never repeat (finmesh records the ERP document id per invoice).
const nextInvoiceId = sequence('invoices', firstKey(1));

export interface InvoiceStoreOptions {
  /** Automatic validation this long after creation; null = only through validateInvoice. */
  readonly validationDelayMs: number | null;
}

export class InvoiceStore {
  private readonly invoices: Posting[] = [];
  /** When an invoice is due for automatic validation (epoch ms), until it is validated. */
  private readonly dueAt = new Map<number, number>();
  private readonly documentSeqByYear = new Map<string, number>();
  readonly holds = new HoldStore();

  constructor(private readonly options: InvoiceStoreOptions) {}

  create(
    request: InvoiceCreateRequest,
    meta: { idempotencyKey: string | null; requestBody: JsonObject; receivedAt: Date; outcome: PostingOutcome; createdBy: string },
  ): Posting {
    const accountingDate = request.AccountingDate ?? request.InvoiceDate;
    const year = accountingDate.slice(0, 4);
    const seq = (this.documentSeqByYear.get(year) ?? 0) + 1;
    this.documentSeqByYear.set(year, seq);
    const now = timestamp(meta.receivedAt);
    const posting: Posting = {
      InvoiceId: nextInvoiceId(),
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
      InvoiceType: request.InvoiceType,
      PurchaseOrderNumber: request.PurchaseOrderNumber ?? null,
      PaymentTerms: request.PaymentTerms ?? null,
      ValidationStatus: 'Not validated',
      CanceledDate: null,
      CanceledBy: null,
      AccountingDocumentNumber: `AP-${year}-${String(seq).padStart(6, '0')}`,
      CreationDate: now,
      CreatedBy: meta.createdBy,
      LastUpdateDate: now,
      LastUpdatedBy: meta.createdBy,
      invoiceLines: request.invoiceLines.map((l) => ({ ...l })),
      idempotencyKey: meta.idempotencyKey,
      requestBody: meta.requestBody,
      receivedAt: meta.receivedAt.toISOString(),
      outcome: meta.outcome,
      originalInvoiceAmount: request.InvoiceAmount,
    };
    this.invoices.push(posting);
    if (this.options.validationDelayMs !== null) this.dueAt.set(posting.InvoiceId, meta.receivedAt.getTime() + this.options.validationDelayMs);
    return posting;
  }

  /** Every invoice, with due automatic validations applied. */
  all(): readonly Posting[] {
    this.validateDue();
    return [...this.invoices];
  }

  byInvoiceId(invoiceId: number): Posting | undefined {
    this.validateDue();
    return this.invoices.find((p) => p.InvoiceId === invoiceId);
  }

  get(invoiceId: number): Posting {
    const invoice = this.byInvoiceId(invoiceId);
    if (!invoice) throw new FusionHttpError(404, [errorDetail(`No invoice with InvoiceId ${invoiceId}.`, 'INVOICE_NOT_FOUND')]);
    return invoice;
  }

  /**
   * The invoice an action names by InvoiceNumber (and BusinessUnit / Supplier when given), as the
   * cancelInvoice and validateInvoice actions identify it. 400 when none or several match.
   */
  identify(criteria: { InvoiceNumber?: unknown; BusinessUnit?: unknown; Supplier?: unknown }, action: string, includeCanceled: boolean): Posting {
    if (typeof criteria.InvoiceNumber !== 'string' || criteria.InvoiceNumber.trim() === '') {
      throw new FusionHttpError(400, [errorDetail(`The ${action} action needs InvoiceNumber.`, 'FND_REST_REQUIRED_ATTR', 'InvoiceNumber')]);
    }
    const matching = this.all().filter(
      (p) =>
        p.InvoiceNumber === criteria.InvoiceNumber &&
        (typeof criteria.BusinessUnit !== 'string' || p.BusinessUnit === criteria.BusinessUnit) &&
        (typeof criteria.Supplier !== 'string' || p.Supplier === criteria.Supplier || p.SupplierNumber === criteria.Supplier),
    );
    const candidates = includeCanceled ? matching : matching.filter((p) => p.ValidationStatus !== 'Canceled');
    const live = candidates.filter((p) => p.ValidationStatus !== 'Canceled');
    const chosen = live.length > 0 ? live : candidates;
    if (chosen.length === 0) throw new FusionHttpError(400, [errorDetail(`No invoice ${criteria.InvoiceNumber} matches for ${action}.`, 'AP_INVOICE_NOT_FOUND', 'InvoiceNumber')]);
    if (live.length > 1) {
      throw new FusionHttpError(400, [errorDetail(`${live.length} invoices match ${criteria.InvoiceNumber} for ${action} (InvoiceIds ${live.map((p) => p.InvoiceId).join(', ')}); name BusinessUnit and Supplier.`, 'AP_INVOICE_AMBIGUOUS', 'InvoiceNumber')]);
    }
    return chosen[0]!;
  }

  /** Validates now: placed armed holds, then 'Validated' or 'Needs revalidation'. */
  validate(invoice: Posting, by: string, at: Date = new Date()): Posting {
    if (invoice.ValidationStatus === 'Canceled') throw new FusionHttpError(400, [errorDetail(`The invoice ${invoice.InvoiceNumber} is canceled and can't be validated.`, 'AP_INVOICE_CANCELED')]);
    this.dueAt.delete(invoice.InvoiceId);
    this.holds.placeArmed(invoice, at);
    const status: ValidationStatus = this.holds.openFor(invoice.InvoiceId).length > 0 ? 'Needs revalidation' : 'Validated';
    if (status !== invoice.ValidationStatus) {
      invoice.ValidationStatus = status;
      this.touch(invoice, by, at);
    }
    return invoice;
  }

  /** Places a hold now (the invoice needs revalidation once validated), or arms it for the next invoice with that number. */
  hold(invoiceNumber: string, hold: { holdName: string; holdReason: string | null; lineHeld: number | null; heldBy: string; lastUpdateDate?: string }): { placed: InvoiceHold } | { armed: { invoiceNumber: string; holdName: string } } {
    const invoice = [...this.all()].reverse().find((p) => p.InvoiceNumber === invoiceNumber && p.ValidationStatus !== 'Canceled');
    if (!invoice) {
      this.holds.arm(invoiceNumber, hold);
      return { armed: { invoiceNumber, holdName: hold.holdName } };
    }
    const at = hold.lastUpdateDate ? new Date(hold.lastUpdateDate) : new Date();
    const placed = this.holds.place(invoice, hold, at);
    if (invoice.ValidationStatus === 'Validated') invoice.ValidationStatus = 'Needs revalidation';
    this.touch(invoice, hold.heldBy, at, hold.lastUpdateDate !== undefined);
    return { placed };
  }

  /** Releases a hold and validates its invoice again (Validated when no hold is left open). */
  release(holdId: number, release: { releaseName: string; releaseReason: string | null; by: string }): InvoiceHold {
    const released = this.holds.release(holdId, release);
    const invoice = released.InvoiceId === null ? undefined : this.byInvoiceId(released.InvoiceId);
    if (invoice && invoice.ValidationStatus === 'Needs revalidation') this.validate(invoice, release.by);
    return released;
  }

  /** Cancels: amounts to zero, 'Canceled' with the date and who; a second cancel changes nothing. */
  cancel(invoice: Posting, by: string): { invoice: Posting; alreadyCanceled: boolean } {
    if (invoice.ValidationStatus === 'Canceled') return { invoice, alreadyCanceled: true };
    this.dueAt.delete(invoice.InvoiceId);
    const zero = '0.00';
    invoice.InvoiceAmount = zero;
    invoice.invoiceLines = invoice.invoiceLines.map((l) => ({ ...l, LineAmount: zero, invoiceDistributions: l.invoiceDistributions.map((d) => ({ ...d, DistributionAmount: zero })) }));
    invoice.ValidationStatus = 'Canceled';
    invoice.CanceledDate = today();
    invoice.CanceledBy = by;
    this.touch(invoice, by, new Date());
    return { invoice, alreadyCanceled: false };
  }

  clear(): void {
    this.invoices.length = 0;
    this.dueAt.clear();
    this.holds.clear();
  }

  private validateDue(): void {
    if (this.dueAt.size === 0) return;
    const now = Date.now();
    for (const [invoiceId, due] of [...this.dueAt]) {
      if (due > now) continue;
      const invoice = this.invoices.find((p) => p.InvoiceId === invoiceId);
      if (invoice) this.validate(invoice, 'FUSION_VALIDATION', new Date(due));
      this.dueAt.delete(invoiceId);
    }
  }

  /** Sets LastUpdateDate; never backwards unless an admin override asks for it (a row committed late). */
  private touch(invoice: Posting, by: string, at: Date, override = false): void {
    const stamp = timestamp(at);
    if (override || stamp > invoice.LastUpdateDate) invoice.LastUpdateDate = stamp;
    invoice.LastUpdatedBy = by;
  }
}

/** The public Fusion resource view: without the admin-only fields; lines only with expand. */
export function toInvoiceResource(posting: Posting, withLines: boolean): Omit<InvoiceResource, 'invoiceLines'> & { invoiceLines?: InvoiceLine[] } {
  const resource: Record<string, unknown> = { ...posting };
  for (const f of ADMIN_FIELDS) delete resource[f];
  if (!withLines) delete resource['invoiceLines'];
  return resource as Omit<InvoiceResource, 'invoiceLines'> & { invoiceLines?: InvoiceLine[] };
}
