/**
 * Read-back of Payables invoices finmesh created: the invoice's validation status (polled from
 * `invoices`) and its holds (polled from `invoiceHolds`).
 *
 * Sources (Oracle Fusion Cloud Financials, "REST API for Oracle Fusion Cloud Financials"):
 *  - Invoices: ValidationStatus, CanceledDate, CanceledBy are read-only attributes ("REST API
 *    Attributes", Payables Invoices); `GET …/invoices?q=ValidationStatus=Canceled` ("Find Invoices
 *    that are Canceled": a canceled invoice answers ValidationStatus 'Canceled' and InvoiceAmount 0).
 *    https://docs.oracle.com/en/cloud/saas/financials/24c/farfa/REST_API_Attributes_Payables_Invoices.html
 *    https://docs.oracle.com/en/cloud/saas/financials/23d/farfa/Find_Invoices_that_Are_Canceled.html
 *  - Validation: `POST …/invoices/action/validateInvoice` ("Validates an invoice … placing holds for
 *    exception conditions"); cancel: `POST …/invoices/action/cancelInvoice` ("all invoice amounts
 *    are set to zero").
 *    https://docs.oracle.com/en/cloud/saas/financials/25c/farfa/op-invoices-action-validateinvoice-post.html
 *    https://docs.oracle.com/en/cloud/saas/financials/24d/farfa/op-invoices-action-cancelinvoice-post.html
 *  - Holds: the `invoiceHolds` resource (`GET …/invoiceHolds`, `PATCH …/invoiceHolds/{HoldId}` with
 *    `{ ReleaseName }`); "Release an Invoice Hold" example: HoldId, InvoiceNumber, BusinessUnit,
 *    Supplier, LineHeld, HoldDate, HoldReason, ReleaseReason, ReleaseName, HoldName, ReleaseDate,
 *    HeldBy, LastUpdateDate, PurchaseOrderNumber, PurchaseOrderLineNumber.
 *    https://docs.oracle.com/en/cloud/saas/financials/23d/farfa/api-invoice-holds.html
 *    https://docs.oracle.com/en/cloud/saas/financials/25c/farfa/Release_an_Invoice_Hold.html
 *
 * Unconfirmed: the ValidationStatus values other than 'Canceled' and 'Validated' are the Payables
 * UI's ('Not validated', 'Needs revalidation'); their exact REST spelling was not seen on an Oracle
 * page, so they are matched case-insensitively. `InvoiceId` on an invoiceHolds row is not in the
 * example (which identifies the invoice by InvoiceNumber, BusinessUnit and Supplier); read when sent.
 *
 * Decided here: validation NOT_VALIDATED | VALIDATED | NEEDS_REVALIDATION | CANCELED; a hold is
 * released when it has a ReleaseName or ReleaseDate.
 */
import { FieldReader } from '../mapping/field-reader';
import { ProblemCollector } from '../mapping/mapping-error';

export type FusionInvoiceValidation = 'NOT_VALIDATED' | 'VALIDATED' | 'NEEDS_REVALIDATION' | 'CANCELED';

const VALIDATION: Readonly<Record<string, FusionInvoiceValidation>> = {
  'not validated': 'NOT_VALIDATED',
  unvalidated: 'NOT_VALIDATED',
  validated: 'VALIDATED',
  'needs revalidation': 'NEEDS_REVALIDATION',
  canceled: 'CANCELED',
  cancelled: 'CANCELED',
};

export interface FusionInvoiceStatus {
  /** InvoiceId (finmesh's InvoicePosted.erpDocumentId). */
  readonly erpDocumentId: string;
  readonly invoiceNumber: string;
  readonly supplierNumber: string | null;
  /** ValidationStatus as Fusion sent it. */
  readonly erpValidationStatus: string;
  readonly validation: FusionInvoiceValidation;
  /** 'YYYY-MM-DD' when canceled. */
  readonly canceledDate: string | null;
  readonly canceledBy: string | null;
  readonly lastUpdateDate: Date;
}

export interface FusionInvoiceHold {
  readonly holdId: string;
  /** InvoiceId, when the row carries it. */
  readonly erpDocumentId: string | null;
  readonly invoiceNumber: string;
  readonly holdName: string;
  readonly holdReason: string | null;
  readonly holdDate: Date;
  /** Line held, when the hold is on a line. */
  readonly lineHeld: number | null;
  readonly released: boolean;
  readonly releaseName: string | null;
  readonly releaseReason: string | null;
  readonly lastUpdateDate: Date;
}

/** Validation status of a Payables invoice item (GET invoices); throws MappingError naming every bad field. */
export function readFusionInvoiceStatus(item: unknown): FusionInvoiceStatus {
  const problems = new ProblemCollector();
  const r = FieldReader.root(item, problems);
  if (!r) {
    problems.throwIfAny('Fusion invoice');
    throw new Error('unreachable');
  }
  const erpDocumentId = r.string('InvoiceId');
  const invoiceNumber = r.string('InvoiceNumber');
  const supplierNumber = r.optionalString('SupplierNumber');
  const erpValidationStatus = r.string('ValidationStatus');
  const validation = erpValidationStatus === undefined ? undefined : VALIDATION[erpValidationStatus.toLowerCase()];
  if (erpValidationStatus !== undefined && validation === undefined) {
    r.problem('ValidationStatus', `is not a known Payables validation status: ${JSON.stringify(erpValidationStatus)} (expected Not validated, Validated, Needs revalidation or Canceled)`);
  }
  const canceledDate = r.optionalDate('CanceledDate');
  const canceledBy = r.optionalString('CanceledBy');
  const lastUpdateDate = r.timestamp('LastUpdateDate');
  problems.throwIfAny(`Fusion invoice ${erpDocumentId ?? '(no InvoiceId)'}`);
  return {
    erpDocumentId: erpDocumentId!,
    invoiceNumber: invoiceNumber!,
    supplierNumber: supplierNumber ?? null,
    erpValidationStatus: erpValidationStatus!,
    // A CanceledDate means canceled whatever else the row says.
    validation: canceledDate ? 'CANCELED' : validation!,
    canceledDate: canceledDate ?? null,
    canceledBy: canceledBy ?? null,
    lastUpdateDate: lastUpdateDate!,
  };
}

/** An invoiceHolds row; throws MappingError naming every bad field. */
export function readFusionInvoiceHold(item: unknown): FusionInvoiceHold {
  const problems = new ProblemCollector();
  const r = FieldReader.root(item, problems);
  if (!r) {
    problems.throwIfAny('Fusion invoice hold');
    throw new Error('unreachable');
  }
  const holdId = r.string('HoldId');
  const erpDocumentId = r.optionalString('InvoiceId');
  const invoiceNumber = r.string('InvoiceNumber');
  const holdName = r.string('HoldName');
  const holdReason = r.optionalString('HoldReason');
  const holdDate = r.timestamp('HoldDate');
  const lineHeld = r.optionalInteger('LineHeld', { min: 1 });
  const releaseName = r.optionalString('ReleaseName');
  const releaseReason = r.optionalString('ReleaseReason');
  const releaseDate = r.has('ReleaseDate') ? r.timestamp('ReleaseDate') : null;
  const lastUpdateDate = r.timestamp('LastUpdateDate');
  problems.throwIfAny(`Fusion invoice hold ${holdId ?? '(no HoldId)'}`);
  return {
    holdId: holdId!,
    erpDocumentId: erpDocumentId ?? null,
    invoiceNumber: invoiceNumber!,
    holdName: holdName!,
    holdReason: holdReason ?? null,
    holdDate: holdDate!,
    lineHeld: lineHeld ?? null,
    released: Boolean(releaseName) || Boolean(releaseDate),
    releaseName: releaseName ?? null,
    releaseReason: releaseReason ?? null,
    lastUpdateDate: lastUpdateDate!,
  };
}
