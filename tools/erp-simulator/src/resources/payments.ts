import { Decimal } from '@finmesh/contracts';
import { parseDeliveryTarget, type DeliveryTarget } from '../delivery';
import { fusionAmountText, readFusionAmount } from '../fusion-amounts';
import { errorDetail, FusionHttpError, ValidationProblems } from '../fusion-errors';
import { isJsonObject, type JsonObject } from '../http-io';
import { DATE_PATTERN, parseTimestamp, timestamp } from './clock';
import { firstKey, sequence } from './ids';

/**
 * Payables payments (`payablesPayments`, key CheckId) as Fusion exposes them: a payment run
 * (admin) issues them 'Negotiable'; clearing (admin, standing in for Cash Management) makes them
 * 'Cleared' with ClearingDate/ClearingAmount; the documented void (`PATCH …/payablesPayments/
 * {CheckId}` with VoidDate/VoidAccountingDate) makes them 'Voided'. Every change sets LastUpdateDate.
 */
export type PaymentStatus = 'Negotiable' | 'Cleared' | 'Voided';

/** A row of the relatedInvoices child. */
export interface RelatedInvoice {
  readonly InvoicePaymentId: number;
  readonly InvoiceId?: number;
  readonly InvoiceNumber: string;
  readonly InstallmentNumber: number;
  readonly AmountPaid: string;
}

/** A payablesPayments item with its relatedInvoices (what `expand=relatedInvoices` answers and webhooks carry). */
export interface Payment {
  readonly CheckId: number;
  readonly PaymentId: number;
  readonly PaymentNumber: number;
  readonly PaymentReference: number;
  readonly PaymentProcessRequest: string;
  readonly PaymentType: 'Payment process request';
  readonly PaymentAmount: string;
  readonly PaymentCurrency: string;
  readonly PaymentDate: string;
  readonly AccountingDate: string;
  readonly PaymentMethodCode: string;
  readonly PaymentStatus: PaymentStatus;
  readonly ClearingDate: string | null;
  readonly ClearingAmount: string | null;
  readonly StopDate: string | null;
  readonly VoidDate: string | null;
  readonly VoidAccountingDate: string | null;
  readonly SupplierNumber: string;
  readonly CreationDate: string;
  readonly LastUpdateDate: string;
  readonly relatedInvoices: readonly RelatedInvoice[];
}

export interface PaymentRunEntry {
  readonly supplierNumber: string;
  readonly currency: string;
  readonly method: string;
  readonly paymentDate: string;
  readonly amount: string;
  readonly invoices: ReadonlyArray<Omit<RelatedInvoice, 'InvoicePaymentId'>>;
  readonly lastUpdateDate?: string;
}

export interface PaymentRunRequest {
  readonly name?: string;
  readonly payments: readonly PaymentRunEntry[];
  readonly deliverTo?: DeliveryTarget;
}

export interface ClearingRequest {
  readonly clearingDate: string;
  readonly clearingAmount?: string;
  readonly lastUpdateDate?: string;
  readonly deliverTo?: DeliveryTarget;
}

export interface VoidRequest {
  readonly voidDate: string;
  readonly voidAccountingDate: string;
  readonly lastUpdateDate?: string;
  readonly deliverTo?: DeliveryTarget;
}

// Ids never repeat (see ids.ts): a re-used CheckId would look like a redelivery of an old payment.
const nextCheckId = sequence('payablesPayments', firstKey(2));
const nextInvoicePaymentId = sequence('relatedInvoices', firstKey(6));
const nextPaymentNumber = sequence('paymentNumbers', 100_001 + (Math.floor(Date.now() / 1000) % 10_000_000));

function lastUpdateOverride(body: JsonObject, problems: ValidationProblems, path = 'lastUpdateDate'): string | undefined {
  if (body['lastUpdateDate'] === undefined || body['lastUpdateDate'] === null) return undefined;
  const ts = parseTimestamp(body['lastUpdateDate']);
  if (ts === undefined) problems.add(path, 'lastUpdateDate must be an ISO 8601 timestamp with offset, e.g. 2025-03-01T10:00:00.000Z.');
  return ts;
}

/**
 * Validates `POST /__admin/payment-runs`. A payment may cover several invoices and pay any
 * positive part of each (partial payments): amounts are not checked against invoices, since the
 * ERP side of a demo may pay invoices it never received through finmesh.
 */
export function parsePaymentRun(body: JsonObject): PaymentRunRequest {
  const problems = new ValidationProblems();
  const rawPayments = body['payments'];
  const payments: PaymentRunEntry[] = [];
  if (!Array.isArray(rawPayments) || rawPayments.length === 0) {
    problems.add('payments', 'payments must be a non-empty array.', 'FND_REST_REQUIRED_ATTR');
  } else {
    rawPayments.forEach((raw: unknown, i) => {
      const path = `payments[${i}]`;
      if (!isJsonObject(raw)) {
        problems.add(path, 'Each payment must be an object.');
        return;
      }
      const str = (name: string): string | undefined => {
        const v = raw[name];
        if (typeof v !== 'string' || v.trim() === '') {
          problems.add(`${path}.${name}`, `${name} is required and must be a non-empty string.`, 'FND_REST_REQUIRED_ATTR');
          return undefined;
        }
        return v;
      };
      const supplierNumber = str('supplierNumber');
      const currency = str('currency');
      if (currency !== undefined && !/^[A-Z]{3}$/.test(currency)) problems.add(`${path}.currency`, `currency must be an ISO 4217 code, got "${currency}".`);
      const method = str('method');
      const paymentDate = str('paymentDate');
      if (paymentDate !== undefined && !DATE_PATTERN.test(paymentDate)) problems.add(`${path}.paymentDate`, `paymentDate must be YYYY-MM-DD, got "${paymentDate}".`);
      const invoices = relatedInvoices(raw['invoices'], `${path}.invoices`, problems);
      const lastUpdateDate = lastUpdateOverride(raw, problems, `${path}.lastUpdateDate`);
      if (supplierNumber && currency && method && paymentDate && invoices) {
        payments.push({
          supplierNumber,
          currency,
          method,
          paymentDate,
          amount: fusionAmountText(Decimal.sum(invoices.map((inv) => inv.amount))),
          invoices: invoices.map((inv) => inv.related),
          ...(lastUpdateDate ? { lastUpdateDate } : {}),
        });
      }
    });
  }
  const name = body['name'];
  if (name !== undefined && (typeof name !== 'string' || name.trim() === '')) problems.add('name', 'name (the payment process request) must be a non-empty string.');
  const deliverTo = parseDeliveryTarget(body['deliverTo'], problems);
  problems.throwIfAny();
  return { payments, ...(typeof name === 'string' ? { name } : {}), ...(deliverTo ? { deliverTo } : {}) };
}

function relatedInvoices(value: unknown, path: string, problems: ValidationProblems): Array<{ related: Omit<RelatedInvoice, 'InvoicePaymentId'>; amount: Decimal }> | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    problems.add(path, 'invoices must be a non-empty array.', 'FND_REST_REQUIRED_ATTR');
    return undefined;
  }
  const result: Array<{ related: Omit<RelatedInvoice, 'InvoicePaymentId'>; amount: Decimal }> = [];
  let ok = true;
  value.forEach((raw: unknown, j) => {
    const p = `${path}[${j}]`;
    if (!isJsonObject(raw)) {
      problems.add(p, 'Each paid invoice must be an object.');
      ok = false;
      return;
    }
    const invoiceNumber = raw['invoiceNumber'];
    if (typeof invoiceNumber !== 'string' || invoiceNumber.trim() === '') {
      problems.add(`${p}.invoiceNumber`, 'invoiceNumber is required.', 'FND_REST_REQUIRED_ATTR');
      ok = false;
    }
    const erpInvoiceId = raw['erpInvoiceId'];
    if (erpInvoiceId !== undefined && erpInvoiceId !== null && (typeof erpInvoiceId !== 'number' || !Number.isSafeInteger(erpInvoiceId))) {
      problems.add(`${p}.erpInvoiceId`, 'erpInvoiceId must be an integer (the InvoiceId the ERP returned).');
      ok = false;
    }
    const amount = readFusionAmount(raw['amountPaid']);
    if (!amount || !amount.isPositive()) {
      problems.add(`${p}.amountPaid`, `amountPaid must be a positive decimal, got ${JSON.stringify(raw['amountPaid'])}.`);
      ok = false;
    }
    if (ok && typeof invoiceNumber === 'string' && amount) {
      result.push({
        amount,
        related: { ...(typeof erpInvoiceId === 'number' ? { InvoiceId: erpInvoiceId } : {}), InvoiceNumber: invoiceNumber, InstallmentNumber: 1, AmountPaid: fusionAmountText(amount) },
      });
    }
  });
  return ok ? result : undefined;
}

/** `POST /__admin/payments/{CheckId}/confirm`: `{ clearingDate, clearingAmount?, lastUpdateDate?, deliverTo? }` (clearedDate is read as clearingDate). */
export function parseClearing(body: JsonObject): ClearingRequest {
  const problems = new ValidationProblems();
  const clearingDate = body['clearingDate'] ?? body['clearedDate'];
  if (typeof clearingDate !== 'string' || !DATE_PATTERN.test(clearingDate)) problems.add('clearingDate', 'clearingDate is required, as YYYY-MM-DD.', 'FND_REST_REQUIRED_ATTR');
  let clearingAmount: string | undefined;
  if (body['clearingAmount'] !== undefined && body['clearingAmount'] !== null) {
    const amount = readFusionAmount(body['clearingAmount']);
    if (!amount || !amount.isPositive()) problems.add('clearingAmount', 'clearingAmount must be a positive decimal.');
    else clearingAmount = fusionAmountText(amount);
  }
  const lastUpdateDate = lastUpdateOverride(body, problems);
  const deliverTo = parseDeliveryTarget(body['deliverTo'], problems);
  problems.throwIfAny();
  return { clearingDate: clearingDate as string, ...(clearingAmount ? { clearingAmount } : {}), ...(lastUpdateDate ? { lastUpdateDate } : {}), ...(deliverTo ? { deliverTo } : {}) };
}

/** Oracle's "Void a Payment" body: `{ VoidDate, VoidAccountingDate }`; nothing else may be patched. */
export function parseVoidPatch(body: JsonObject): VoidRequest {
  const problems = new ValidationProblems();
  for (const key of Object.keys(body)) {
    if (key !== 'VoidDate' && key !== 'VoidAccountingDate') problems.add(key, `The attribute ${key} can't be updated on a payment; only VoidDate and VoidAccountingDate (void).`, 'FND_REST_ATTR_NOT_UPDATABLE');
  }
  const voidDate = body['VoidDate'];
  if (typeof voidDate !== 'string' || !DATE_PATTERN.test(voidDate)) problems.add('VoidDate', 'The attribute VoidDate is required, as YYYY-MM-DD.', 'FND_REST_REQUIRED_ATTR');
  // Defaults to the void date; checked only when sent.
  const voidAccountingDate = body['VoidAccountingDate'] ?? voidDate;
  if (body['VoidAccountingDate'] !== undefined && (typeof voidAccountingDate !== 'string' || !DATE_PATTERN.test(voidAccountingDate))) problems.add('VoidAccountingDate', 'VoidAccountingDate must be YYYY-MM-DD.');
  problems.throwIfAny();
  return { voidDate: voidDate as string, voidAccountingDate: voidAccountingDate as string };
}

/** `POST /__admin/payments/{CheckId}/void`: `{ voidDate, voidAccountingDate?, lastUpdateDate?, deliverTo? }`. */
export function parseAdminVoid(body: JsonObject): VoidRequest {
  const problems = new ValidationProblems();
  const voidDate = body['voidDate'];
  if (typeof voidDate !== 'string' || !DATE_PATTERN.test(voidDate)) problems.add('voidDate', 'voidDate is required, as YYYY-MM-DD.', 'FND_REST_REQUIRED_ATTR');
  const voidAccountingDate = body['voidAccountingDate'] ?? voidDate;
  if (body['voidAccountingDate'] !== undefined && (typeof voidAccountingDate !== 'string' || !DATE_PATTERN.test(voidAccountingDate))) problems.add('voidAccountingDate', 'voidAccountingDate must be YYYY-MM-DD.');
  const lastUpdateDate = lastUpdateOverride(body, problems);
  const deliverTo = parseDeliveryTarget(body['deliverTo'], problems);
  problems.throwIfAny();
  return { voidDate: voidDate as string, voidAccountingDate: voidAccountingDate as string, ...(lastUpdateDate ? { lastUpdateDate } : {}), ...(deliverTo ? { deliverTo } : {}) };
}

/** In-memory payments. Ids and numbers are never reused within a process, even after `clear()`. */
export class PaymentStore {
  private readonly payments = new Map<number, Payment>();
  private nextRun = 1;

  issue(request: PaymentRunRequest): Payment[] {
    const run = request.name ?? `PPR-${new Date().toISOString().slice(0, 10)}-${String(this.nextRun++).padStart(2, '0')}`;
    return request.payments.map((p) => {
      const number = nextPaymentNumber();
      const now = timestamp();
      const payment: Payment = {
        CheckId: nextCheckId(),
        PaymentId: number,
        PaymentNumber: number,
        PaymentReference: number,
        PaymentProcessRequest: run,
        PaymentType: 'Payment process request',
        PaymentAmount: p.amount,
        PaymentCurrency: p.currency,
        PaymentDate: p.paymentDate,
        AccountingDate: p.paymentDate,
        PaymentMethodCode: p.method,
        PaymentStatus: 'Negotiable',
        ClearingDate: null,
        ClearingAmount: null,
        StopDate: null,
        VoidDate: null,
        VoidAccountingDate: null,
        SupplierNumber: p.supplierNumber,
        CreationDate: now,
        LastUpdateDate: p.lastUpdateDate ?? now,
        relatedInvoices: p.invoices.map((inv) => ({ InvoicePaymentId: nextInvoicePaymentId(), ...inv })),
      };
      this.payments.set(payment.CheckId, payment);
      return payment;
    });
  }

  /** Clears a Negotiable payment; 409 when it is cleared or voided already (use redeliver to resend). */
  clear(checkId: number, request: ClearingRequest): Payment {
    const current = this.get(checkId);
    if (current.PaymentStatus !== 'Negotiable') {
      throw new FusionHttpError(409, [errorDetail(`Payment ${checkId} is ${current.PaymentStatus} and can't be cleared.`, current.PaymentStatus === 'Cleared' ? 'PAYMENT_ALREADY_CLEARED' : 'PAYMENT_VOIDED')]);
    }
    return this.update(checkId, {
      PaymentStatus: 'Cleared',
      ClearingDate: request.clearingDate,
      ClearingAmount: request.clearingAmount ?? current.PaymentAmount,
      LastUpdateDate: request.lastUpdateDate ?? timestamp(),
    });
  }

  /** Voids a Negotiable payment (the simulator does not void cleared ones: unclear first in Fusion). */
  void(checkId: number, request: VoidRequest): Payment {
    const current = this.get(checkId);
    if (current.PaymentStatus === 'Voided') throw new FusionHttpError(400, [errorDetail(`The payment ${current.PaymentNumber} is already voided (VoidDate ${current.VoidDate}).`, 'AP_PAYMENT_ALREADY_VOIDED')]);
    if (current.PaymentStatus === 'Cleared') throw new FusionHttpError(400, [errorDetail(`The payment ${current.PaymentNumber} is cleared and can't be voided.`, 'AP_PAYMENT_CLEARED')]);
    return this.update(checkId, { PaymentStatus: 'Voided', VoidDate: request.voidDate, VoidAccountingDate: request.voidAccountingDate, LastUpdateDate: request.lastUpdateDate ?? timestamp() });
  }

  get(checkId: number): Payment {
    const payment = this.payments.get(checkId);
    if (!payment) throw new FusionHttpError(404, [errorDetail(`No payment with CheckId ${checkId}.`, 'PAYMENT_NOT_FOUND')]);
    return payment;
  }

  /** Payments paying this InvoiceId and not voided (an invoice with payments can't be canceled). */
  activeFor(invoiceId: number): readonly Payment[] {
    return this.all().filter((p) => p.PaymentStatus !== 'Voided' && p.relatedInvoices.some((r) => r.InvoiceId === invoiceId));
  }

  all(): readonly Payment[] {
    return [...this.payments.values()];
  }

  clearAll(): void {
    this.payments.clear();
  }

  private update(checkId: number, changes: Partial<Payment>): Payment {
    const updated = { ...this.get(checkId), ...changes } as Payment;
    this.payments.set(checkId, updated);
    return updated;
  }
}

/** The item without its child (what a collection row shows unless expand asks for relatedInvoices). */
export function paymentHeader(p: Payment): Omit<Payment, 'relatedInvoices'> {
  const { relatedInvoices: _r, ...header } = p;
  return header;
}
