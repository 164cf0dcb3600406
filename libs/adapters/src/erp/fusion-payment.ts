/**
 * Oracle Fusion Payables payment (`payablesPayments` resource) -> the facts payment-sync works with.
 *
 * Sources (Oracle Fusion Cloud Financials, "REST API for Oracle Fusion Cloud Financials", Payables
 * Payments):
 *  - "Get a payment": `GET /fscmRestApi/resources/11.13.18.05/payablesPayments/{CheckId}`; CheckId
 *    is the resource key ("the unique identifier assigned to every payment made").
 *    https://docs.oracle.com/en/cloud/saas/financials/24c/farfa/op-payablespayments-checkid-get.html
 *  - "Void a Payment": `PATCH …/payablesPayments/{CheckId}` with `{ VoidDate, VoidAccountingDate }`.
 *    https://docs.oracle.com/en/cloud/saas/financials/25c/farfa/Void_a_Payment.html
 *    Its example response still reads `"PaymentStatus": "Negotiable"` with `VoidDate` set, so a
 *    payment with a VoidDate is taken as voided whatever its PaymentStatus says.
 *  - "Get Payments Details for a Paid Invoice" / "Get Payments Using a Child Resource Attribute"
 *    (example responses: CheckId, PaymentId, PaymentReference, PaperDocumentNumber, PaymentNumber,
 *    PaymentFileReference, PaymentProcessRequest, PaymentAmount, PaymentDate, AccountingDate,
 *    ClearingDate, ClearingAmount, StopDate, VoidDate, VoidAccountingDate, PaymentStatus,
 *    ReconciledFlag, PaymentType, PaymentCurrency, LegalEntity, BusinessUnit).
 *    https://docs.oracle.com/en/cloud/saas/financials/23d/farfa/Get_Payments_Details_for_a_Paid_Invoice.html
 *  - Child `relatedInvoices` (`…/payablesPayments/{CheckId}/child/relatedInvoices`, key
 *    InvoicePaymentId): "Get all paid invoices for a payment".
 *    https://docs.oracle.com/en/cloud/saas/financials/24c/farfa/op-payablespayments-checkid-child-relatedinvoices-get.html
 *  - FAQ: PaymentStatus cannot be set through POST/PATCH (read-only, derived by Payables).
 *    https://docs.oracle.com/en/cloud/saas/financials/24d/farfa/FAQs_Payments.html
 *  - Payment statuses (lookup of AP check statuses): Negotiable, Issued (future-dated, not yet
 *    negotiable), Cleared, Cleared but Unaccounted, Reconciled, Reconciled Unaccounted, Voided,
 *    Stop Initiated, Set Up, Spoiled, Overflow. Negotiable/Voided are confirmed for Fusion by the
 *    acknowledgment table of https://docs.oracle.com/en/cloud/saas/financials/faiib/acknowledgment-status.html
 *    (Check Payment Status, AP_CHECKS_ALL); the full list is the Payables guide's list of the same
 *    lookup (EBS-era Payables User Guide, "Payment Status"), not found on a Fusion REST page.
 *
 * Unconfirmed (named here because no Oracle page showed them): the relatedInvoices attribute names
 * `AmountPaid` and `InstallmentNumber` (the attribute table of the child could not be read; the
 * 24C readiness note adds "Invoice Payment Amount" there); `SupplierNumber`, `PaymentMethodCode`
 * and the payee account keys other than `RemitToAccountNumber` on the payment header; the
 * relatedInvoices rows of a voided payment (whether Fusion shows the reversal rows).
 *
 * Not read any more (invented by an earlier webhook contract, in no Oracle page): `ClearedDate`,
 * `BankReference`; a payload that still sends them gets a problem naming the documented attribute.
 *
 * Decided here:
 *  - status (finmesh): NEGOTIABLE = issued to the supplier, not cleared (Negotiable, Issued);
 *    CLEARED = the bank disbursed (Cleared, Cleared but Unaccounted, Reconciled, Reconciled
 *    Unaccounted); VOIDED = Voided or VoidDate set; STOP_INITIATED = a stop payment was requested
 *    (Stop Initiated; it ends voided or released back to Negotiable). Set Up, Spoiled and Overflow
 *    are payment-document statuses (check stock set up or spoiled in printing, overflow stubs), not
 *    payments to a supplier: refused.
 *  - A CLEARED payment needs ClearingDate; its bank reference is PaymentReference (the payment's
 *    reference number as Fusion sends it to the bank), required too.
 *  - PaymentAmount must equal the exact sum of relatedInvoices[].AmountPaid and every AmountPaid must
 *    be positive (credit memos netted into a payment are not supported yet) — except for a voided
 *    payment, whose rows are reported as they come.
 *  - PaymentMethodCode: EFT -> SEPA_CREDIT_TRANSFER for EUR, ACH for USD, WIRE otherwise;
 *    WIRE -> WIRE, CHECK -> CHECK, anything else -> OTHER (the contract's reader default).
 *  - Bank account: only the masked form (last four characters) of the payee account is kept.
 *    Without one the reference is 'NOT-PROVIDED'.
 *  - Payment run: PaymentProcessRequest when present, else 'FUSION-PAYMENT-<PaymentNumber>'.
 *  - erpPaymentId is CheckId (the resource key, what GET/PATCH and the child use); PaymentId (the
 *    Payments-module id) is kept as fusionPaymentId.
 * This reader only reads and checks the payload; payment-sync resolves invoices itself (an unknown
 * invoice parks the payment rather than failing the mapping).
 */
import { decimal, MONEY_SCALE, sumDecimals, type PaymentMethod } from '@finmesh/contracts';
import { FieldReader } from '../mapping/field-reader';
import { ProblemCollector } from '../mapping/mapping-error';
import { FUSION_PAYMENT_SCHEMA } from '../payload-schemas/fusion-payload-schemas';

/** finmesh's view of a Fusion payment's PaymentStatus (see the header for the mapping). */
export type FusionPaymentState = 'NEGOTIABLE' | 'CLEARED' | 'VOIDED' | 'STOP_INITIATED';

/** Fusion PaymentStatus values (lower-cased) and what they mean to finmesh; null = not a payment. */
const PAYMENT_STATUSES: Readonly<Record<string, FusionPaymentState | null>> = {
  negotiable: 'NEGOTIABLE',
  issued: 'NEGOTIABLE',
  cleared: 'CLEARED',
  'cleared but unaccounted': 'CLEARED',
  reconciled: 'CLEARED',
  'reconciled unaccounted': 'CLEARED',
  voided: 'VOIDED',
  'stop initiated': 'STOP_INITIATED',
  'set up': null,
  spoiled: null,
  overflow: null,
};

/** The PaymentStatus values Fusion is known to send, as it spells them. */
export const FUSION_PAYMENT_STATUSES = [
  'Negotiable',
  'Issued',
  'Cleared',
  'Cleared but Unaccounted',
  'Reconciled',
  'Reconciled Unaccounted',
  'Voided',
  'Stop Initiated',
  'Set Up',
  'Spoiled',
  'Overflow',
] as const;

/** finmesh state of a Fusion PaymentStatus (any case); null for document statuses, undefined when unknown. */
export function fusionPaymentStateOf(paymentStatus: string): FusionPaymentState | null | undefined {
  return PAYMENT_STATUSES[paymentStatus.trim().toLowerCase()];
}

export interface FusionRelatedInvoice {
  /** Index in relatedInvoices: the problem path of this invoice. */
  readonly index: number;
  readonly invoiceNumber: string;
  /** Fusion InvoiceId (finmesh's InvoicePosted.erpDocumentId), when the ERP sent it. */
  readonly erpInvoiceId: string | null;
  /** Canonical decimal at scale 4. */
  readonly amountPaid: string;
}

export interface FusionPayment {
  /** CheckId: the payablesPayments resource key. */
  readonly erpPaymentId: string;
  /** PaymentId (Payments-module id), when sent. */
  readonly fusionPaymentId: string | null;
  readonly paymentNumber: string;
  readonly paymentRunId: string;
  readonly amount: string;
  readonly currency: string;
  /** 'YYYY-MM-DD' */
  readonly paymentDate: string;
  readonly method: PaymentMethod;
  /** PaymentStatus exactly as Fusion sent it. */
  readonly erpStatus: string;
  readonly status: FusionPaymentState;
  readonly supplierNumber: string;
  /** Masked payee account reference, safe to store, log and publish. */
  readonly payeeBankAccountRef: string;
  /** PaymentReference; required when CLEARED (it is the confirmation's bank reference). */
  readonly paymentReference: string | null;
  /** 'YYYY-MM-DD', set when CLEARED. */
  readonly clearingDate: string | null;
  /** Canonical decimal at scale 4, when Fusion sent it. */
  readonly clearingAmount: string | null;
  /** 'YYYY-MM-DD', set when VOIDED. */
  readonly voidDate: string | null;
  readonly voidAccountingDate: string | null;
  readonly stopDate: string | null;
  /** LastUpdateDate, when sent (polled payments carry it; it orders versions of one payment). */
  readonly lastUpdateDate: Date | null;
  readonly relatedInvoices: readonly FusionRelatedInvoice[];
}

/** Keys under which the payee's account number may arrive (never stored as-is); only RemitToAccountNumber is in Oracle's examples. */
const BANK_ACCOUNT_KEYS = ['PayeeBankAccountNumber', 'ExternalBankAccountNumber', 'RemitToAccountNumber', 'BankAccountNumber'] as const;
export const NO_BANK_ACCOUNT_REF = 'NOT-PROVIDED';

/** Invented attributes an earlier webhook contract used, and the documented ones that replace them. */
const RETIRED_ATTRIBUTES: Readonly<Record<string, string>> = { ClearedDate: 'ClearingDate', BankReference: 'PaymentReference' };

export function maskAccountNumber(accountNumber: string): string {
  const compact = accountNumber.replace(/\s+/g, '');
  return `****${compact.slice(-4)}`;
}

export function paymentMethodOf(code: string, currency: string | undefined): PaymentMethod {
  switch (code.toUpperCase()) {
    case 'EFT':
      return currency === 'EUR' ? 'SEPA_CREDIT_TRANSFER' : currency === 'USD' ? 'ACH' : 'WIRE';
    case 'WIRE':
      return 'WIRE';
    case 'CHECK':
      return 'CHECK';
    default:
      return 'OTHER';
  }
}

function readState(r: FieldReader, voidDate: string | null | undefined): { erpStatus: string | undefined; state: FusionPaymentState | undefined } {
  const erpStatus = r.string('PaymentStatus');
  if (erpStatus === undefined) return { erpStatus, state: undefined };
  const state = fusionPaymentStateOf(erpStatus);
  if (state === undefined) {
    r.problem('PaymentStatus', `is not a Fusion payment status: ${JSON.stringify(erpStatus)} (expected one of ${FUSION_PAYMENT_STATUSES.join(', ')})`);
    return { erpStatus, state: undefined };
  }
  if (state === null) {
    r.problem('PaymentStatus', `is ${JSON.stringify(erpStatus)}, a payment-document status (not a payment to the supplier)`);
    return { erpStatus, state: undefined };
  }
  // Oracle's "Void a Payment" answers with PaymentStatus still 'Negotiable' and VoidDate set.
  if (voidDate) return { erpStatus, state: 'VOIDED' };
  if (state === 'VOIDED') r.problem('VoidDate', 'is required for a Voided payment');
  return { erpStatus, state };
}

/** Reads a Fusion payment; throws MappingError naming every bad field. */
export function readFusionPayment(payload: unknown): FusionPayment {
  const problems = ProblemCollector.forPayload(FUSION_PAYMENT_SCHEMA, payload);
  const r = FieldReader.root(payload, problems);
  if (!r) {
    problems.throwIfAny('Fusion payment');
    throw new Error('unreachable');
  }
  const erpPaymentId = r.string('CheckId');
  const fusionPaymentId = r.optionalString('PaymentId');
  const paymentNumber = r.string('PaymentNumber');
  const amount = r.decimal('PaymentAmount', MONEY_SCALE);
  const currency = r.currency('PaymentCurrency');
  const paymentDate = r.date('PaymentDate');
  const methodCode = r.string('PaymentMethodCode');
  const voidDate = r.optionalDate('VoidDate');
  const voidAccountingDate = r.optionalDate('VoidAccountingDate');
  const stopDate = r.optionalDate('StopDate');
  const { erpStatus, state } = readState(r, voidDate);
  const supplierNumber = r.string('SupplierNumber');
  const runName = r.optionalString('PaymentProcessRequest');
  const cleared = state === 'CLEARED';
  const paymentReference = cleared ? r.string('PaymentReference') : r.optionalString('PaymentReference');
  const clearingDate = cleared ? r.date('ClearingDate') : r.optionalDate('ClearingDate');
  const clearingAmount = r.optionalDecimal('ClearingAmount', MONEY_SCALE);
  const lastUpdateDate = r.has('LastUpdateDate') ? r.timestamp('LastUpdateDate') : undefined;
  for (const [retired, documented] of Object.entries(RETIRED_ATTRIBUTES)) {
    if (r.has(retired)) r.problem(retired, `is not a Fusion payablesPayments attribute; send ${documented}`);
  }

  let accountRef = NO_BANK_ACCOUNT_REF;
  for (const key of BANK_ACCOUNT_KEYS) {
    const account = r.raw(key);
    if (account === undefined || account === '') continue;
    // Read by hand: the generic readers quote a bad value in the problem, and this one is secret.
    if (typeof account !== 'string') {
      r.problem(key, 'must be a string (value not shown: bank details)');
      continue;
    }
    accountRef = maskAccountNumber(account);
    break;
  }

  const voided = state === 'VOIDED';
  const related: FusionRelatedInvoice[] = [];
  const amountsPaid: string[] = [];
  let allAmountsRead = true;
  r.array('relatedInvoices', { minItems: 1 }).forEach((inv, index) => {
    const invoiceNumber = inv.string('InvoiceNumber');
    const erpInvoiceId = inv.optionalString('InvoiceId');
    const amountPaid = inv.decimal('AmountPaid', MONEY_SCALE);
    if (amountPaid === undefined) allAmountsRead = false;
    else amountsPaid.push(amountPaid);
    if (!voided && amountPaid !== undefined && !decimal(amountPaid).isPositive()) {
      inv.problem('AmountPaid', `must be positive, got "${amountPaid}"`);
      return;
    }
    if (invoiceNumber !== undefined && erpInvoiceId !== undefined && amountPaid !== undefined) {
      related.push({ index, invoiceNumber, erpInvoiceId, amountPaid });
    }
  });
  // Checked whenever every amount could be read, so one response lists this with the other problems.
  if (!voided && amount !== undefined && amountsPaid.length > 0 && allAmountsRead) {
    const sum = sumDecimals(amountsPaid, MONEY_SCALE);
    if (sum !== amount) r.problem('PaymentAmount', `is ${amount} but relatedInvoices[].AmountPaid sum to ${sum}`);
  }
  problems.throwIfAny(`Fusion payment ${erpPaymentId ?? '(no CheckId)'}`);
  // Every required field was read when there are no problems.
  return {
    erpPaymentId: erpPaymentId!,
    fusionPaymentId: fusionPaymentId ?? null,
    paymentNumber: paymentNumber!,
    paymentRunId: runName ?? `FUSION-PAYMENT-${paymentNumber!}`,
    amount: amount!,
    currency: currency!,
    paymentDate: paymentDate!,
    method: paymentMethodOf(methodCode!, currency),
    erpStatus: erpStatus!,
    status: state!,
    supplierNumber: supplierNumber!,
    payeeBankAccountRef: accountRef,
    paymentReference: paymentReference ?? null,
    clearingDate: clearingDate ?? null,
    clearingAmount: clearingAmount ?? null,
    voidDate: voidDate ?? null,
    voidAccountingDate: voidAccountingDate ?? null,
    stopDate: stopDate ?? null,
    lastUpdateDate: lastUpdateDate ?? null,
    relatedInvoices: related,
  };
}
