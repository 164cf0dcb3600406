import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { Logger } from 'pino';
import type { InvoicePosted, InvoiceReceived } from '@finmesh/contracts';
import type { HandlerContext } from '@finmesh/messaging';
import { AuditTrail, LOGGER } from '@finmesh/service-kit';
import { PaymentSyncMetrics } from '../metrics/payment-sync-metrics';
import { retryParkedPayments } from '../parking/parked-payment-retry';
import { payableInvoices } from './payable-invoice-store';
import { parkedPayments } from '../parking/parked-payment-store';
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
    await payableInvoices.recordReceived(ctx.manager, e);
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
    await parkedPayments.lockParkingExclusively(uow);
    const number = await payableInvoices.recordPosted(uow, e);
    const references = [`erp:${e.erpDocumentId}`, ...(number ? [`number:${number}`] : [])];
    const outcomes = await retryParkedPayments(uow, references);
    for (const o of outcomes) {
      this.logger.info({ parkedId: o.parkedId, outcome: o.outcome, invoiceId: e.invoiceId }, 'parked payment retried after InvoicePosted');
      ctx.afterCommit(() => this.metrics.paymentConfirmed(o.confirmationDelaySeconds));
    }
  }
}
