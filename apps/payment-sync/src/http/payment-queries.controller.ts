import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { CurrentCaller, DatabaseConnection, mayActOn, Roles, type Caller } from '@finmesh/service-kit';
import { maskBankDetails } from './masking';
import { payableInvoices } from '../invoices/payable-invoice-store';
import { parkedPayments } from '../parking/parked-payment-store';
import { paymentStore } from '../payments/payment-store';
import { openAmount } from '../payments/settlement';

/** Read side: payments, an invoice's payment status, parked payments. Bank account only as its masked reference. */
@Controller('v1')
export class PaymentQueriesController {
  constructor(private readonly db: DatabaseConnection) {}

  @Get('payments/:id')
  @Roles('erp-platform', 'finance-approver', 'ops', 'reporting-reader')
  async payment(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<Record<string, unknown>> {
    const row = await paymentStore.view(this.db.dataSource.manager, id);
    // Another legal entity's payment is, to this caller, not there.
    if (!row || !mayActOn(caller.legalEntities, row.legal_entity.code)) throw new NotFoundException(`no payment ${id} is known to payment-sync`);
    const allocations = await paymentStore.allocations(this.db.dataSource.manager, id);
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
  async invoicePaymentStatus(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<Record<string, unknown>> {
    const invoice = await payableInvoices.paymentStatus(this.db.dataSource.manager, id);
    if (!invoice || !mayActOn(caller.legalEntities, invoice.legal_entity.code)) throw new NotFoundException(`invoice ${id} is not posted, or unknown to payment-sync`);
    const payments = await paymentStore.ofInvoice(this.db.dataSource.manager, id);
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
    const rows = await parkedPayments.list(this.db.dataSource.manager, wanted);
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
