/**
 * Oracle Fusion Payables payment JSON, as the ERP simulator (and the webhook contract agreed for
 * payment-sync) delivers it -> the facts payment-sync works with.
 *
 * The one Fusion payment mapper (moved unchanged from payment-sync, which reads its webhooks with
 * it). An earlier mapper of the full Fusion `payablesPayments` resource lived here too, used only
 * by its own spec; it was removed. It required fields the delivered payments do not carry
 * (`PaymentProcessRequest`, `LegalEntity`, `RemitToAccountNumber`, `LastUpdateDate`, an `InvoiceId`
 * on every related invoice, `ClearingDate`/`PaymentReference` instead of `ClearedDate`/`BankReference`),
 * and resolved invoices through a synchronous IdResolver in which an unknown invoice is a
 * mapping error — for payments an unknown invoice must park the payment, not refuse it. Its
 * Oracle-shaped sample stays in fixtures/fusion-payment.json for the statuses' correction. This
 * reader only reads and checks the payload; payment-sync resolves invoices itself.
 * It accepts the real-Fusion names as alternatives so both shapes work.
 *
 * Decided here:
 *  - PaymentStatus 'Issued' | 'Cleared'; a Cleared payment needs BankReference (or
 *    PaymentReference) and ClearedDate (or ClearingDate).
 *  - PaymentAmount must equal the exact sum of relatedInvoices[].AmountPaid (the contract says the
 *    amount equals the sum of the allocations); every AmountPaid must be positive (credit memos
 *    netted into a payment are not supported yet). InvoiceId is optional (the simulator omits it).
 *  - PaymentMethodCode: EFT -> SEPA_CREDIT_TRANSFER for EUR, ACH for USD, WIRE otherwise;
 *    WIRE -> WIRE, CHECK -> CHECK, anything else -> OTHER (the contract's reader default).
 *  - Bank account: Fusion sends the payee account number under a few names; only its masked form
 *    (last four characters) is kept. Without one the reference is 'NOT-PROVIDED'.
 *  - Payment run: PaymentProcessRequest(Name) when present, else 'FUSION-PAYMENT-<PaymentNumber>'.
 */
import { decimal, MONEY_SCALE, sumDecimals, type PaymentMethod } from '@finmesh/contracts';
import { FieldReader } from '../mapping/field-reader';
import { ProblemCollector } from '../mapping/mapping-error';

export type FusionPaymentStatus = 'Issued' | 'Cleared';

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
  readonly erpPaymentId: string;
  readonly paymentNumber: string;
  readonly paymentRunId: string;
  readonly amount: string;
  readonly currency: string;
  /** 'YYYY-MM-DD' */
  readonly paymentDate: string;
  readonly method: PaymentMethod;
  readonly status: FusionPaymentStatus;
  readonly supplierNumber: string;
  /** Masked payee account reference, safe to store, log and publish. */
  readonly payeeBankAccountRef: string;
  /** Set when Cleared. */
  readonly bankReference: string | null;
  /** 'YYYY-MM-DD', set when Cleared. */
  readonly clearedDate: string | null;
  readonly relatedInvoices: readonly FusionRelatedInvoice[];
}

/** Keys under which Fusion integrations send the payee's account number (never stored as-is). */
const BANK_ACCOUNT_KEYS = ['PayeeBankAccountNumber', 'ExternalBankAccountNumber', 'RemitToAccountNumber', 'BankAccountNumber'] as const;
export const NO_BANK_ACCOUNT_REF = 'NOT-PROVIDED';

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

/** The first of `keys` the payload sets (the first one when none: problems name it). */
function firstPresent(r: FieldReader, keys: readonly [string, ...string[]]): string {
  return keys.find((k) => r.has(k)) ?? keys[0];
}

/** Reads a Fusion payment; throws MappingError naming every bad field. */
export function readFusionPayment(payload: unknown): FusionPayment {
  const problems = new ProblemCollector();
  const r = FieldReader.root(payload, problems);
  if (!r) {
    problems.throwIfAny('Fusion payment');
    throw new Error('unreachable');
  }
  const erpPaymentId = r.string('PaymentId');
  const paymentNumber = r.string('PaymentNumber');
  const amount = r.decimal('PaymentAmount', MONEY_SCALE);
  const currency = r.currency('PaymentCurrency');
  const paymentDate = r.date('PaymentDate');
  const methodCode = r.string('PaymentMethodCode');
  const status = r.oneOf('PaymentStatus', ['Issued', 'Cleared'] as const);
  const supplierNumber = r.string('SupplierNumber');
  const runName = r.optionalString(firstPresent(r, ['PaymentProcessRequest', 'PaymentProcessRequestName']));
  const referenceKey = firstPresent(r, ['BankReference', 'PaymentReference']);
  const clearedKey = firstPresent(r, ['ClearedDate', 'ClearingDate']);
  const bankReference = status === 'Cleared' ? r.string(referenceKey) : r.optionalString(referenceKey);
  const clearedDate = status === 'Cleared' ? r.date(clearedKey) : r.optionalDate(clearedKey);

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

  const related: FusionRelatedInvoice[] = [];
  const amountsPaid: string[] = [];
  let allAmountsRead = true;
  r.array('relatedInvoices', { minItems: 1 }).forEach((inv, index) => {
    const invoiceNumber = inv.string('InvoiceNumber');
    const erpInvoiceId = inv.optionalString('InvoiceId');
    const amountPaid = inv.decimal('AmountPaid', MONEY_SCALE);
    if (amountPaid === undefined) allAmountsRead = false;
    else amountsPaid.push(amountPaid);
    if (amountPaid !== undefined && !decimal(amountPaid).isPositive()) {
      inv.problem('AmountPaid', `must be positive, got "${amountPaid}"`);
      return;
    }
    if (invoiceNumber !== undefined && erpInvoiceId !== undefined && amountPaid !== undefined) {
      related.push({ index, invoiceNumber, erpInvoiceId, amountPaid });
    }
  });
  // Checked whenever every amount could be read, so one response lists this with the other problems.
  if (amount !== undefined && amountsPaid.length > 0 && allAmountsRead) {
    const sum = sumDecimals(amountsPaid, MONEY_SCALE);
    if (sum !== amount) r.problem('PaymentAmount', `is ${amount} but relatedInvoices[].AmountPaid sum to ${sum}`);
  }
  problems.throwIfAny(`Fusion payment ${erpPaymentId ?? '(no PaymentId)'}`);
  // Every required field was read when there are no problems.
  return {
    erpPaymentId: erpPaymentId!,
    paymentNumber: paymentNumber!,
    paymentRunId: runName ?? `FUSION-PAYMENT-${paymentNumber!}`,
    amount: amount!,
    currency: currency!,
    paymentDate: paymentDate!,
    method: paymentMethodOf(methodCode!, currency),
    status: status!,
    supplierNumber: supplierNumber!,
    payeeBankAccountRef: accountRef,
    bankReference: bankReference ?? null,
    clearedDate: clearedDate ?? null,
    relatedInvoices: related,
  };
}
