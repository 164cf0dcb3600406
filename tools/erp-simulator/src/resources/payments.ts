import { Decimal } from '@finmesh/contracts';
import { fusionAmountText, readFusionAmount } from './fusion-amounts';
import { FusionHttpError, errorDetail, ValidationProblems } from './fusion-errors';
import { isJsonObject, type JsonObject } from './http-io';
import { parseDeliveryTarget, type DeliveryTarget } from './delivery';

export type PaymentStatus = 'Issued' | 'Cleared';

export interface RelatedInvoice {
  readonly InvoiceNumber: string;
  readonly InvoiceId?: number;
  readonly AmountPaid: string;
}

/** A Payables payment as the simulator exposes and delivers it. */
export interface Payment {
  readonly PaymentId: number;
  readonly PaymentNumber: number;
  readonly PaymentAmount: string;
  readonly PaymentCurrency: string;
  readonly PaymentDate: string;
  readonly PaymentMethodCode: string;
  readonly PaymentStatus: PaymentStatus;
  readonly SupplierNumber: string;
  readonly BankReference: string | null;
  readonly ClearedDate: string | null;
  readonly relatedInvoices: readonly RelatedInvoice[];
}

export interface PaymentRunRequest {
  readonly payments: ReadonlyArray<Omit<Payment, 'PaymentId' | 'PaymentNumber' | 'PaymentStatus' | 'BankReference' | 'ClearedDate'>>;
  readonly deliverTo?: DeliveryTarget;
}

export interface ConfirmRequest {
  readonly bankReference: string;
  readonly clearedDate: string;
  readonly deliverTo?: DeliveryTarget;
}

const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
// Like a real ERP's, ids never repeat, not even across simulator restarts: a restarted simulator
// re-using PaymentIds would look like a redelivery of an old payment to finmesh.
const FIRST_PAYMENT_ID = 300_200_000_000_001 + (Date.now() % 100_000_000) * 1000;
const FIRST_PAYMENT_NUMBER = 100_001 + (Math.floor(Date.now() / 1000) % 10_000_000);

/**
 * Validates `POST /__admin/payment-runs`. A payment may cover several invoices and pay any
 * positive part of each (partial payments): the simulator does not check amounts against postings,
 * since the ERP side of a demo may pay invoices it never received through finmesh.
 */
export function parsePaymentRun(body: JsonObject): PaymentRunRequest {
  const problems = new ValidationProblems();
  const rawPayments = body['payments'];
  const payments: Array<PaymentRunRequest['payments'][number]> = [];
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
      if (currency !== undefined && !/^[A-Z]{3}$/.test(currency)) {
        problems.add(`${path}.currency`, `currency must be an ISO 4217 code, got "${currency}".`);
      }
      const method = str('method');
      const paymentDate = str('paymentDate');
      if (paymentDate !== undefined && !DATE_PATTERN.test(paymentDate)) {
        problems.add(`${path}.paymentDate`, `paymentDate must be YYYY-MM-DD, got "${paymentDate}".`);
      }
      const invoices = relatedInvoices(raw['invoices'], `${path}.invoices`, problems);
      if (supplierNumber && currency && method && paymentDate && invoices) {
        payments.push({
          SupplierNumber: supplierNumber,
          PaymentCurrency: currency,
          PaymentMethodCode: method,
          PaymentDate: paymentDate,
          PaymentAmount: fusionAmountText(Decimal.sum(invoices.map((inv) => inv.amount))),
          relatedInvoices: invoices.map((inv) => inv.related),
        });
      }
    });
  }
  const deliverTo = parseDeliveryTarget(body['deliverTo'], problems);
  problems.throwIfAny();
  return { payments, ...(deliverTo ? { deliverTo } : {}) };
}

function relatedInvoices(
  value: unknown,
  path: string,
  problems: ValidationProblems,
): Array<{ related: RelatedInvoice; amount: Decimal }> | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    problems.add(path, 'invoices must be a non-empty array.', 'FND_REST_REQUIRED_ATTR');
    return undefined;
  }
  const result: Array<{ related: RelatedInvoice; amount: Decimal }> = [];
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
        related: {
          InvoiceNumber: invoiceNumber,
          ...(typeof erpInvoiceId === 'number' ? { InvoiceId: erpInvoiceId } : {}),
          AmountPaid: fusionAmountText(amount),
        },
      });
    }
  });
  return ok ? result : undefined;
}

export function parseConfirm(body: JsonObject): ConfirmRequest {
  const problems = new ValidationProblems();
  const bankReference = body['bankReference'];
  if (typeof bankReference !== 'string' || bankReference.trim() === '') {
    problems.add('bankReference', 'bankReference is required.', 'FND_REST_REQUIRED_ATTR');
  }
  const clearedDate = body['clearedDate'];
  if (typeof clearedDate !== 'string' || !DATE_PATTERN.test(clearedDate)) {
    problems.add('clearedDate', 'clearedDate is required, as YYYY-MM-DD.', 'FND_REST_REQUIRED_ATTR');
  }
  const deliverTo = parseDeliveryTarget(body['deliverTo'], problems);
  problems.throwIfAny();
  return { bankReference: bankReference as string, clearedDate: clearedDate as string, ...(deliverTo ? { deliverTo } : {}) };
}

/** In-memory payments. Ids and numbers are never reused within a process, even after `clear()`. */
export class PaymentStore {
  private readonly payments = new Map<number, Payment>();
  private nextId = FIRST_PAYMENT_ID;
  private nextNumber = FIRST_PAYMENT_NUMBER;

  issue(request: PaymentRunRequest): Payment[] {
    return request.payments.map((p) => {
      const payment: Payment = {
        PaymentId: this.nextId++,
        PaymentNumber: this.nextNumber++,
        PaymentAmount: p.PaymentAmount,
        PaymentCurrency: p.PaymentCurrency,
        PaymentDate: p.PaymentDate,
        PaymentMethodCode: p.PaymentMethodCode,
        PaymentStatus: 'Issued',
        SupplierNumber: p.SupplierNumber,
        BankReference: null,
        ClearedDate: null,
        relatedInvoices: p.relatedInvoices,
      };
      this.payments.set(payment.PaymentId, payment);
      return payment;
    });
  }

  /** Marks a payment Cleared; a second confirmation is a 409 (use the redeliver endpoint to resend). */
  confirm(paymentId: number, request: ConfirmRequest): Payment {
    const current = this.get(paymentId);
    if (current.PaymentStatus === 'Cleared') {
      throw new FusionHttpError(409, [
        errorDetail(`Payment ${paymentId} is already cleared (bank reference ${current.BankReference}).`, 'PAYMENT_ALREADY_CLEARED'),
      ]);
    }
    const cleared: Payment = {
      ...current,
      PaymentStatus: 'Cleared',
      BankReference: request.bankReference,
      ClearedDate: request.clearedDate,
    };
    this.payments.set(paymentId, cleared);
    return cleared;
  }

  get(paymentId: number): Payment {
    const payment = this.payments.get(paymentId);
    if (!payment) {
      throw new FusionHttpError(404, [errorDetail(`No payment with PaymentId ${paymentId}.`, 'PAYMENT_NOT_FOUND')]);
    }
    return payment;
  }

  all(): readonly Payment[] {
    return [...this.payments.values()];
  }

  clear(): void {
    this.payments.clear();
  }
}
