/**
 * Oracle Fusion Payables payment -> PaymentReleased / PaymentConfirmed payloads.
 *
 * Shape: Oracle Fusion Cloud Financials REST, Payables Payments (`GET /fscmRestApi/resources/
 * 11.13.18.05/payablesPayments/{CheckId}?expand=relatedInvoices`, "Get Payments Details for a
 * Paid Invoice" example and the REST API Attributes table): `CheckId`, `PaymentId`,
 * `PaymentNumber`, `PaymentReference`, `PaymentProcessRequest` (the payment process request =
 * payment run), `PaymentAmount`, `PaymentCurrency`, `PaymentDate`, `AnticipatedValueDate`,
 * `PaymentStatus`, `ReconciledFlag`, `ClearingDate`, `ClearingAmount`, `LegalEntity`,
 * `BusinessUnit`, `Payee`, `SupplierNumber`, `PaymentMethodCode`, `PaymentMethod`,
 * `RemitToAccountNumber`, `LastUpdateDate`; child `relatedInvoices[]` with `InvoiceId`,
 * `InvoiceNumber`, `AmountPaid`, `DiscountTaken`, `InstallmentNumber`.
 *
 * Simplified / decided here:
 *  - Allocations: one per related invoice; `AmountPaid` is in the payment currency (finmesh pays
 *    in the invoice currency; cross-currency payments are refused). The sum of `AmountPaid` must
 *    equal `PaymentAmount`. Several installments of one invoice are summed into one allocation.
 *  - The finmesh invoice id of a Fusion `InvoiceId` comes from the caller's IdResolver
 *    (kind 'invoice', source 'ERP'): it must map the ERP document id recorded by InvoicePosted.
 *  - Method: `PaymentMethodCode` EFT -> SEPA_CREDIT_TRANSFER for EUR, ACH for USD, else WIRE;
 *    WIRE -> WIRE; CHECK -> CHECK; others -> OTHER.
 *  - payeeBankAccountRef is masked here from `RemitToAccountNumber` ('****' + last 4); the full
 *    number never leaves the adapter.
 *  - PaymentConfirmed requires a cleared/reconciled payment (`ReconciledFlag` or `ClearingDate`).
 *    confirmedAt is `ClearingDate` at 00:00 UTC (Fusion gives a date only). bankReference is
 *    `PaymentReference` (doubtful: the bank's end-to-end id is in the bank statement line, which
 *    this resource does not expose; a caller that has it should pass it as `bankReference`).
 *  - Legal entity: `LegalEntity` name (legal-entity-name hint); occurredAt: `LastUpdateDate`.
 */
import type { PaymentAllocation, PaymentMethod } from '@finmesh/contracts';
import { AMOUNT_SCALE, addDecimals } from '../mapping/exact-decimal';
import { checkSum } from '../mapping/amount-checks';
import { FieldReader } from '../mapping/field-reader';
import type { Mapped, MappingContext } from '../mapping/mapping-context';
import { MappingError, ProblemCollector } from '../mapping/mapping-error';
import { resolveId, resolveLegalEntity } from '../mapping/resolution';

export interface FusionPayment {
  CheckId: number;
  PaymentId: number;
  PaymentNumber: number | string;
  PaymentReference?: number | string | null;
  PaymentProcessRequest: string;
  PaymentAmount: number | string;
  PaymentCurrency: string;
  PaymentDate: string;
  AnticipatedValueDate?: string | null;
  PaymentStatus?: string | null;
  ReconciledFlag?: boolean | null;
  ClearingDate?: string | null;
  LegalEntity: string;
  SupplierNumber: string;
  PaymentMethodCode: string;
  RemitToAccountNumber: string;
  LastUpdateDate: string;
  relatedInvoices: { InvoiceId: number; InvoiceNumber: string; AmountPaid: number | string; DiscountTaken?: number | string | null; InstallmentNumber?: number | null }[];
}

function methodFor(code: string, currency: string): PaymentMethod {
  const c = code.toUpperCase();
  if (c === 'EFT') return currency === 'EUR' ? 'SEPA_CREDIT_TRANSFER' : currency === 'USD' ? 'ACH' : 'WIRE';
  if (c === 'WIRE') return 'WIRE';
  if (c === 'CHECK') return 'CHECK';
  return 'OTHER';
}

interface CommonPayment {
  paymentId: string;
  supplierId: string;
  amount: { amount: string; currency: string };
  allocations: PaymentAllocation[];
  legalEntity: Mapped<'PaymentReleased'>['legalEntity'];
  occurredAt: Date;
}

function readPayment(
  payload: unknown,
  ctx: MappingContext,
  extra: (r: FieldReader) => void,
): { common: CommonPayment; r: FieldReader; problems: ProblemCollector; subject: string } {
  const problems = new ProblemCollector();
  const r = FieldReader.root(payload, problems);
  if (!r) throw new MappingError('Fusion payment', problems.problems);
  const paymentKey = r.string('PaymentId');
  const subject = `Fusion payment ${paymentKey ?? '(without PaymentId)'}`;
  const paymentId = resolveId(ctx, r, 'PaymentId', 'payment', paymentKey, 'ERP');
  const supplierId = resolveId(ctx, r, 'SupplierNumber', 'supplier', r.string('SupplierNumber'), 'ERP');
  const currency = r.currency('PaymentCurrency');
  const amount = r.decimal('PaymentAmount', AMOUNT_SCALE);
  const occurredAt = r.timestamp('LastUpdateDate');
  const legalEntityName = r.string('LegalEntity');
  const legalEntity = resolveLegalEntity(ctx, problems, legalEntityName === undefined ? [] : [{ path: 'LegalEntity', kind: 'legal-entity-name', value: legalEntityName }]);

  const byInvoice = new Map<string, { invoiceId: string; number: string | null; paid: string; discount: string | null }>();
  const paidAmounts: (string | undefined)[] = [];
  for (const inv of r.array('relatedInvoices', { minItems: 1 })) {
    const erpInvoiceId = inv.string('InvoiceId');
    const invoiceId = resolveId(ctx, inv, 'InvoiceId', 'invoice', erpInvoiceId, 'ERP');
    const paid = inv.decimal('AmountPaid', AMOUNT_SCALE);
    const discount = inv.optionalDecimal('DiscountTaken', AMOUNT_SCALE);
    const number = inv.optionalString('InvoiceNumber') ?? null;
    paidAmounts.push(paid);
    if (invoiceId === undefined || paid === undefined || discount === undefined) continue;
    const previous = byInvoice.get(invoiceId);
    byInvoice.set(invoiceId, {
      invoiceId,
      number,
      paid: previous ? addDecimals(previous.paid, paid, AMOUNT_SCALE) : paid,
      discount: previous?.discount && discount ? addDecimals(previous.discount, discount, AMOUNT_SCALE) : (discount ?? previous?.discount ?? null),
    });
  }
  checkSum(problems, r.pathOf('PaymentAmount'), amount, 'relatedInvoices[].AmountPaid', paidAmounts);
  extra(r);
  problems.throwIfAny(subject);

  const money = (value: string) => ({ amount: value, currency: currency ?? '' });
  const allocations: PaymentAllocation[] = [...byInvoice.values()].map((a) => ({
    invoiceId: a.invoiceId,
    supplierInvoiceNumber: a.number,
    amount: money(a.paid),
    discountTaken: a.discount !== null && /[1-9]/.test(a.discount) ? money(a.discount) : null,
  }));
  return {
    common: {
      paymentId: paymentId ?? '',
      supplierId: supplierId ?? '',
      amount: money(amount ?? ''),
      allocations,
      legalEntity: legalEntity as NonNullable<typeof legalEntity>,
      occurredAt: occurredAt as Date,
    },
    r,
    problems,
    subject,
  };
}

/** PaymentReleased payload for a Fusion payment created by a payment process request. */
export function mapFusionPaymentReleased(payload: unknown, ctx: MappingContext): Mapped<'PaymentReleased'> {
  let runId: string | undefined;
  let valueDate: string | undefined;
  let methodCode: string | undefined;
  let account: string | undefined;
  let currency: string | undefined;
  const { common } = readPayment(payload, ctx, (r) => {
    runId = r.string('PaymentProcessRequest');
    valueDate = r.has('AnticipatedValueDate') ? r.date('AnticipatedValueDate') : r.date('PaymentDate');
    methodCode = r.string('PaymentMethodCode');
    account = r.string('RemitToAccountNumber');
    currency = typeof r.raw('PaymentCurrency') === 'string' ? String(r.raw('PaymentCurrency')) : undefined;
  });
  return {
    payload: {
      paymentId: common.paymentId,
      paymentRunId: runId ?? '',
      supplierId: common.supplierId,
      amount: common.amount,
      method: methodFor(methodCode ?? '', currency ?? ''),
      valueDate: valueDate ?? '',
      payeeBankAccountRef: `****${(account ?? '').replace(/\s/g, '').slice(-4)}`,
      allocations: common.allocations,
    },
    legalEntity: common.legalEntity,
    occurredAt: common.occurredAt,
  };
}

export interface FusionPaymentConfirmedOptions {
  /** Bank's reference from the statement line, when the caller has it (preferred over PaymentReference). */
  readonly bankReference?: string;
}

/** PaymentConfirmed payload for a Fusion payment that cleared at the bank. */
export function mapFusionPaymentConfirmed(payload: unknown, ctx: MappingContext, options: FusionPaymentConfirmedOptions = {}): Mapped<'PaymentConfirmed'> {
  let clearingDate: string | undefined;
  let bankReference: string | undefined = options.bankReference;
  const { common } = readPayment(payload, ctx, (r) => {
    const reconciled = r.boolean('ReconciledFlag', false);
    if (!r.has('ClearingDate')) {
      r.problem('ClearingDate', reconciled ? 'is required for a reconciled payment' : `is required: the payment has not cleared (PaymentStatus ${JSON.stringify(r.raw('PaymentStatus') ?? null)})`);
    } else {
      clearingDate = r.date('ClearingDate');
    }
    bankReference ??= r.string('PaymentReference');
  });
  return {
    payload: {
      paymentId: common.paymentId,
      supplierId: common.supplierId,
      confirmedAt: new Date(`${clearingDate ?? ''}T00:00:00.000Z`),
      bankReference: bankReference ?? '',
      amount: common.amount,
      allocations: common.allocations,
    },
    legalEntity: common.legalEntity,
    occurredAt: common.occurredAt,
  };
}
