import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { Logger } from 'pino';
import type { InvoicePosted, InvoiceReceived } from '@finmesh/contracts';
import type { HandlerContext } from '@finmesh/messaging';
import { AuditTrail, LOGGER } from '@finmesh/service-kit';
import { PaymentSyncMetrics } from '../metrics/payment-sync-metrics';
import { retryParkedPayments } from '../parking/parked-payment-retry';
import { PARKING_LOCK } from '../payments/payment-processor';
import type { UnitOfWork } from '../payments/unit-of-work';

/**
 * Learns the payable invoices. InvoiceReceived gives the supplier facts (InvoicePosted has no
 * supplier or supplier invoice number); InvoicePosted makes the invoice payable and may unblock
 * parked payments, which are then processed in this handler's transaction.
 * Both events share the invoice topic keyed by invoice id, so Received comes before Posted.
 */
@Controller()
export class InvoiceEventsHandler {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly audit: AuditTrail,
    private readonly metrics: PaymentSyncMetrics,
  ) {}

  @EventPattern('InvoiceReceived')
  async onInvoiceReceived(@Payload() e: InvoiceReceived, @Ctx() ctx: HandlerContext): Promise<void> {
    await ctx.manager.query(
      `INSERT INTO received_invoices (invoice_id, supplier_id, supplier_invoice_number, document_type, gross_amount, currency)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (invoice_id) DO UPDATE SET supplier_id = EXCLUDED.supplier_id, supplier_invoice_number = EXCLUDED.supplier_invoice_number,
         document_type = EXCLUDED.document_type, gross_amount = EXCLUDED.gross_amount, currency = EXCLUDED.currency`,
      [e.invoiceId, e.supplierId, e.supplierInvoiceNumber, e.documentType, e.totals.gross.amount, e.totals.gross.currency],
    );
    // Posted before we saw it received (e.g. replayed history): fill in the supplier facts.
    await ctx.manager.query(
      `UPDATE invoices SET supplier_id = $2, supplier_invoice_number = $3, updated_at = now()
        WHERE invoice_id = $1 AND (supplier_id IS NULL OR supplier_invoice_number IS NULL)`,
      [e.invoiceId, e.supplierId, e.supplierInvoiceNumber],
    );
  }

  @EventPattern('InvoicePosted')
  async onInvoicePosted(@Payload() e: InvoicePosted, @Ctx() ctx: HandlerContext): Promise<void> {
    const uow: UnitOfWork = {
      query: (sql, params) => ctx.manager.query(sql, params as unknown[]),
      emit: (events) => ctx.emit(events),
      audit: (entry) => this.audit.record(ctx.manager, entry),
    };
    // Before touching the invoice row: a payment delivery holds the shared lock and may wait for
    // this row, so locking the row first and the parking lock second could deadlock.
    await uow.query('SELECT pg_advisory_xact_lock(hashtext($1))', [PARKING_LOCK]);
    const rows = await uow.query<{ supplier_invoice_number: string | null }>(
      `INSERT INTO invoices (invoice_id, supplier_id, supplier_invoice_number, erp_document_id, erp_document_number, gross_amount, currency,
                             legal_entity, correlation_id)
       SELECT $1, r.supplier_id, r.supplier_invoice_number, $2, $3, $4, $5, $6::jsonb, $7
         FROM (SELECT 1) AS one LEFT JOIN received_invoices r ON r.invoice_id = $1
       ON CONFLICT (invoice_id) DO UPDATE SET erp_document_id = EXCLUDED.erp_document_id, erp_document_number = EXCLUDED.erp_document_number,
         gross_amount = EXCLUDED.gross_amount, currency = EXCLUDED.currency, legal_entity = EXCLUDED.legal_entity, updated_at = now()
       RETURNING supplier_invoice_number`,
      [e.invoiceId, e.erpDocumentId, e.erpDocumentNumber, e.postedAmount.amount, e.postedAmount.currency, JSON.stringify(e.envelope.legalEntity), e.envelope.correlationId],
    );
    const number = rows[0]?.supplier_invoice_number ?? null;
    const references = [`erp:${e.erpDocumentId}`, ...(number ? [`number:${number}`] : [])];
    const outcomes = await retryParkedPayments(uow, references);
    for (const o of outcomes) {
      this.logger.info({ parkedId: o.parkedId, outcome: o.outcome, invoiceId: e.invoiceId }, 'parked payment retried after InvoicePosted');
      this.metrics.paymentConfirmed(o.confirmationDelaySeconds);
    }
  }
}
