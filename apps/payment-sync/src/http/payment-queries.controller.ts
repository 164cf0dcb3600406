import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { DatabaseConnection, Roles } from '@finmesh/service-kit';
import { maskBankDetails } from './masking';
import { openAmount } from '../payments/settlement';

interface PaymentRow {
  payment_id: string;
  erp_payment_id: string;
  erp_payment_number: string;
  payment_run_id: string;
  supplier_id: string;
  amount: string;
  currency: string;
  method: string;
  value_date: string;
  payee_bank_account_ref: string;
  status: string;
  legal_entity: unknown;
  released_recorded_at: Date;
  bank_reference: string | null;
  cleared_date: string | null;
  confirmed_recorded_at: Date | null;
  confirmation_delay_days: number | null;
  confirmation_delay_seconds: string | null;
}

const PAYMENT_COLUMNS = `payment_id, erp_payment_id, erp_payment_number, payment_run_id, supplier_id, amount::text AS amount, currency, method,
  to_char(value_date, 'YYYY-MM-DD') AS value_date, payee_bank_account_ref, status, legal_entity, released_recorded_at, bank_reference,
  to_char(cleared_date, 'YYYY-MM-DD') AS cleared_date, confirmed_recorded_at, confirmation_delay_days, confirmation_delay_seconds::text AS confirmation_delay_seconds`;

/** Read side: payments, an invoice's payment status, parked payments. Bank account only as its masked reference. */
@Controller('v1')
export class PaymentQueriesController {
  constructor(private readonly db: DatabaseConnection) {}

  @Get('payments/:id')
  @Roles('erp-platform', 'finance-approver', 'ops', 'reporting-reader')
  async payment(@Param('id') id: string): Promise<Record<string, unknown>> {
    const [row] = (await this.db.dataSource.query(`SELECT ${PAYMENT_COLUMNS} FROM payments WHERE payment_id = $1`, [id])) as PaymentRow[];
    if (!row) throw new NotFoundException(`no payment ${id} is known to payment-sync`);
    const allocations = (await this.db.dataSource.query(
      `SELECT a.invoice_id, a.supplier_invoice_number, a.erp_invoice_id, a.amount::text AS amount, a.currency
         FROM payment_allocations a WHERE a.payment_id = $1 ORDER BY a.position`,
      [id],
    )) as { invoice_id: string; supplier_invoice_number: string | null; erp_invoice_id: string | null; amount: string; currency: string }[];
    return {
      paymentId: row.payment_id,
      erpPaymentId: row.erp_payment_id,
      erpPaymentNumber: row.erp_payment_number,
      paymentRunId: row.payment_run_id,
      supplierId: row.supplier_id,
      status: row.status,
      amount: { amount: row.amount, currency: row.currency },
      method: row.method,
      valueDate: row.value_date,
      payeeBankAccountRef: row.payee_bank_account_ref,
      legalEntity: row.legal_entity,
      releasedRecordedAt: row.released_recorded_at,
      confirmation:
        row.status === 'CONFIRMED'
          ? {
              bankReference: row.bank_reference,
              clearedDate: row.cleared_date,
              recordedAt: row.confirmed_recorded_at,
              delayDays: row.confirmation_delay_days,
              delaySeconds: row.confirmation_delay_seconds === null ? null : Number(row.confirmation_delay_seconds),
            }
          : null,
      allocations: allocations.map((a) => ({
        invoiceId: a.invoice_id,
        supplierInvoiceNumber: a.supplier_invoice_number,
        erpInvoiceId: a.erp_invoice_id,
        amount: { amount: a.amount, currency: a.currency },
      })),
    };
  }

  @Get('invoices/:id/payment-status')
  @Roles('ap-platform', 'erp-platform', 'finance-approver', 'ops', 'reporting-reader')
  async invoicePaymentStatus(@Param('id') id: string): Promise<Record<string, unknown>> {
    const [invoice] = (await this.db.dataSource.query(
      `SELECT invoice_id, supplier_id, supplier_invoice_number, erp_document_id, gross_amount::text AS gross_amount, amount_paid::text AS amount_paid,
              currency, payment_status FROM invoices WHERE invoice_id = $1`,
      [id],
    )) as {
      invoice_id: string;
      supplier_id: string | null;
      supplier_invoice_number: string | null;
      erp_document_id: string;
      gross_amount: string;
      amount_paid: string;
      currency: string;
      payment_status: string;
    }[];
    if (!invoice) throw new NotFoundException(`invoice ${id} is not posted, or unknown to payment-sync`);
    const payments = (await this.db.dataSource.query(
      `SELECT p.payment_id, p.status, to_char(p.value_date, 'YYYY-MM-DD') AS value_date, a.amount::text AS amount, a.currency
         FROM payment_allocations a JOIN payments p ON p.payment_id = a.payment_id
        WHERE a.invoice_id = $1 ORDER BY p.released_recorded_at, a.position`,
      [id],
    )) as { payment_id: string; status: string; value_date: string; amount: string; currency: string }[];
    return {
      invoiceId: invoice.invoice_id,
      supplierId: invoice.supplier_id,
      supplierInvoiceNumber: invoice.supplier_invoice_number,
      erpDocumentId: invoice.erp_document_id,
      status: invoice.payment_status,
      grossAmount: { amount: invoice.gross_amount, currency: invoice.currency },
      paidAmount: { amount: invoice.amount_paid, currency: invoice.currency },
      openAmount: { amount: openAmount(invoice.gross_amount, invoice.amount_paid), currency: invoice.currency },
      payments: payments.map((p) => ({ paymentId: p.payment_id, status: p.status, valueDate: p.value_date, amount: { amount: p.amount, currency: p.currency } })),
    };
  }

  @Get('ops/parked-payments')
  @Roles('ops')
  async parkedPayments(@Query('status') status?: string): Promise<{ items: Record<string, unknown>[] }> {
    const wanted = status === undefined ? 'PARKED' : status.toUpperCase();
    const rows = (await this.db.dataSource.query(
      `SELECT parked_id, erp_payment_id, erp_status, payload, reason, awaiting, status, parked_by, parked_at, resolved_at, payment_id
         FROM parked_payments WHERE ($1 = 'ALL' OR status = $1) ORDER BY parked_at, parked_id`,
      [wanted],
    )) as {
      parked_id: string;
      erp_payment_id: string;
      erp_status: string;
      payload: unknown;
      reason: string;
      awaiting: string[];
      status: string;
      parked_by: string;
      parked_at: Date;
      resolved_at: Date | null;
      payment_id: string | null;
    }[];
    return {
      items: rows.map((r) => ({
        parkedId: r.parked_id,
        erpPaymentId: r.erp_payment_id,
        erpStatus: r.erp_status,
        status: r.status,
        reason: r.reason,
        awaiting: r.awaiting,
        parkedBy: r.parked_by,
        parkedAt: r.parked_at,
        resolvedAt: r.resolved_at,
        paymentId: r.payment_id,
        payload: maskBankDetails(r.payload),
      })),
    };
  }
}
