import { resultRows, type SqlExecutor } from '@finmesh/persistence';
import { erpPaymentLockKey } from '../database/advisory-locks';

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
  readonly legal_entity: unknown;
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
