import type { LegalEntityRef, PaymentMethod } from '@finmesh/contracts';
import { resultRows, type SqlExecutor } from '@finmesh/persistence';
import { erpPaymentLockKey } from '../database/advisory-locks';
import type { RecordedPayment } from './payment-events';

export type PaymentStatus = 'RELEASED' | 'CONFIRMED' | 'VOIDED';

/** A recorded payment as a later delivery of the same ERP payment reads it back (to confirm it). */
export interface RecordedPaymentRow {
  readonly payment_id: string;
  readonly payment_run_id: string;
  readonly supplier_id: string;
  readonly amount: string;
  readonly currency: string;
  readonly method: PaymentMethod;
  readonly value_date: string;
  readonly payee_bank_account_ref: string;
  readonly status: PaymentStatus;
  readonly legal_entity: LegalEntityRef;
  readonly correlation_id: string;
  readonly released_recorded_at: Date;
}

/** The columns of a new payments row: the recorded payment's facts (without its allocations, a table of their own) plus the row's own. */
export interface NewPaymentRow extends Omit<RecordedPayment, 'allocations'> {
  readonly erpPaymentId: string;
  readonly erpPaymentNumber: string;
  readonly status: PaymentStatus;
  readonly releasedEventId: string;
  readonly confirmedEventId: string | null;
  readonly bankReference: string | null;
  readonly clearedDate: string | null;
  readonly confirmedRecordedAt: Date | null;
  readonly confirmationDelayDays: number | null;
  readonly confirmationDelaySeconds: number | null;
}

/** One payment_allocations row; `position` keeps the order of the payment's allocations. */
export interface NewAllocationRow {
  readonly position: number;
  readonly invoiceId: string;
  readonly supplierInvoiceNumber: string | null;
  readonly erpInvoiceId: string | null;
  readonly amount: string;
  readonly currency: string;
}

/** What confirming a released payment writes; the delay in seconds is computed in SQL from released_recorded_at. */
export interface PaymentConfirmationRow {
  readonly paymentId: string;
  readonly confirmedEventId: string;
  readonly bankReference: string;
  readonly clearedDate: string;
  readonly confirmationDelayDays: number;
}

/** A payment as the read API shows it. */
export interface PaymentViewRow {
  readonly payment_id: string;
  readonly erp_payment_id: string;
  readonly erp_payment_number: string;
  readonly payment_run_id: string;
  readonly supplier_id: string;
  readonly amount: string;
  readonly currency: string;
  readonly method: string;
  readonly value_date: string;
  readonly payee_bank_account_ref: string;
  readonly status: string;
  readonly legal_entity: LegalEntityRef;
  readonly released_recorded_at: Date;
  readonly bank_reference: string | null;
  readonly cleared_date: string | null;
  readonly confirmed_recorded_at: Date | null;
  readonly confirmation_delay_days: number | null;
  readonly confirmation_delay_seconds: string | null;
}

const PAYMENT_COLUMNS = `payment_id, erp_payment_id, erp_payment_number, payment_run_id, supplier_id, amount::text AS amount, currency, method,
  to_char(value_date, 'YYYY-MM-DD') AS value_date, payee_bank_account_ref, status, legal_entity, released_recorded_at, bank_reference,
  to_char(cleared_date, 'YYYY-MM-DD') AS cleared_date, confirmed_recorded_at, confirmation_delay_days, confirmation_delay_seconds::text AS confirmation_delay_seconds`;

/** SQL for payments and their allocations, on the executor it is given. */
export class PaymentStore {
  /** Serialises the deliveries of one ERP payment until the transaction ends. */
  async lockErpPayment(db: SqlExecutor, erpPaymentId: string): Promise<void> {
    await db.query('SELECT pg_advisory_xact_lock($1::bigint)', [erpPaymentLockKey(erpPaymentId)]);
  }

  /** The payment recorded for an ERP payment, if any (call under lockErpPayment). */
  async recordedOf(db: SqlExecutor, erpPaymentId: string): Promise<RecordedPaymentRow | undefined> {
    return resultRows<RecordedPaymentRow>(
      await db.query(
        `SELECT payment_id, payment_run_id, supplier_id, amount::text AS amount, currency, method, to_char(value_date, 'YYYY-MM-DD') AS value_date,
            payee_bank_account_ref, status, legal_entity, correlation_id, released_recorded_at
       FROM payments WHERE erp_payment_id = $1`,
        [erpPaymentId],
      ),
    )[0];
  }

  async insert(db: SqlExecutor, p: NewPaymentRow): Promise<void> {
    await db.query(
      `INSERT INTO payments (payment_id, erp_payment_id, erp_payment_number, payment_run_id, supplier_id, amount, currency, method, value_date,
                           payee_bank_account_ref, status, legal_entity, correlation_id, released_event_id,
                           confirmed_event_id, bank_reference, cleared_date, confirmed_recorded_at, confirmation_delay_days, confirmation_delay_seconds)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14, $15, $16, $17, $18, $19, $20)`,
      [
        p.paymentId,
        p.erpPaymentId,
        p.erpPaymentNumber,
        p.paymentRunId,
        p.supplierId,
        p.amount,
        p.currency,
        p.method,
        p.valueDate,
        p.payeeBankAccountRef,
        p.status,
        JSON.stringify(p.legalEntity),
        p.correlationId,
        p.releasedEventId,
        p.confirmedEventId,
        p.bankReference,
        p.clearedDate,
        p.confirmedRecordedAt,
        p.confirmationDelayDays,
        p.confirmationDelaySeconds,
      ],
    );
  }

  /** One INSERT per allocation, in the order given (positions as given). */
  async insertAllocations(db: SqlExecutor, paymentId: string, allocations: readonly NewAllocationRow[]): Promise<void> {
    for (const a of allocations) {
      await db.query(
        `INSERT INTO payment_allocations (payment_id, position, invoice_id, supplier_invoice_number, erp_invoice_id, amount, currency)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [paymentId, a.position, a.invoiceId, a.supplierInvoiceNumber, a.erpInvoiceId, a.amount, a.currency],
      );
    }
  }

  /** A payment's allocations as its PaymentConfirmed carries them, in position order. */
  async recordedAllocations(
    db: SqlExecutor,
    paymentId: string,
  ): Promise<{ invoice_id: string; supplier_invoice_number: string | null; amount: string; currency: string }[]> {
    return resultRows(
      await db.query('SELECT invoice_id, supplier_invoice_number, amount::text AS amount, currency FROM payment_allocations WHERE payment_id = $1 ORDER BY position', [
        paymentId,
      ]),
    );
  }

  /** Marks a released payment confirmed; the released → confirmed delay is measured by the database clock. */
  async confirm(db: SqlExecutor, c: PaymentConfirmationRow): Promise<void> {
    await db.query(
      `UPDATE payments SET status = 'CONFIRMED', confirmed_event_id = $2, bank_reference = $3, cleared_date = $4, confirmed_recorded_at = now(),
            confirmation_delay_days = $5, confirmation_delay_seconds = floor(extract(epoch FROM now() - released_recorded_at))::bigint
      WHERE payment_id = $1`,
      [c.paymentId, c.confirmedEventId, c.bankReference, c.clearedDate, c.confirmationDelayDays],
    );
  }

  /** Marks a recorded payment voided (its settlements are reversed by the caller). */
  async void(db: SqlExecutor, v: { paymentId: string; voidedEventId: string; voidDate: string }): Promise<void> {
    await db.query(`UPDATE payments SET status = 'VOIDED', voided_event_id = $2, void_date = $3, voided_recorded_at = now() WHERE payment_id = $1`, [v.paymentId, v.voidedEventId, v.voidDate]);
  }

  async view(db: SqlExecutor, paymentId: string): Promise<PaymentViewRow | undefined> {
    return resultRows<PaymentViewRow>(await db.query(`SELECT ${PAYMENT_COLUMNS} FROM payments WHERE payment_id = $1`, [paymentId]))[0];
  }

  async allocations(
    db: SqlExecutor,
    paymentId: string,
  ): Promise<{ invoice_id: string; supplier_invoice_number: string | null; erp_invoice_id: string | null; amount: string; currency: string }[]> {
    return resultRows(
      await db.query(
        `SELECT a.invoice_id, a.supplier_invoice_number, a.erp_invoice_id, a.amount::text AS amount, a.currency
           FROM payment_allocations a WHERE a.payment_id = $1 ORDER BY a.position`,
        [paymentId],
      ),
    );
  }

  /** The payments allocated to an invoice, in the order they were released. */
  async ofInvoice(db: SqlExecutor, invoiceId: string): Promise<{ payment_id: string; status: string; value_date: string; amount: string; currency: string }[]> {
    return resultRows(
      await db.query(
        `SELECT p.payment_id, p.status, to_char(p.value_date, 'YYYY-MM-DD') AS value_date, a.amount::text AS amount, a.currency
           FROM payment_allocations a JOIN payments p ON p.payment_id = a.payment_id
          WHERE a.invoice_id = $1 ORDER BY p.released_recorded_at, a.position`,
        [invoiceId],
      ),
    );
  }
}

/** The one shared instance: a store holds no state, so every caller may use it. */
export const paymentStore = new PaymentStore();
