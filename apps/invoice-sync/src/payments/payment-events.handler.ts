import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import type { PaymentAllocation, PaymentConfirmed, PaymentReleased, PaymentVoided } from '@finmesh/contracts';
import type { HandlerContext } from '@finmesh/messaging';
import { AuditTrail, LOGGER } from '@finmesh/service-kit';
import { invoiceTransition } from '../invoices/invoice-audit';
import { paymentAllocationStore, type PaymentStage } from './payment-allocation-store';
import { refreshPaymentStatus } from './payment-status';

/**
 * Payment status of invoices from payment-sync's events. Each payment's allocation to an invoice
 * is stored once per (payment, invoice); a confirmation replaces the release of the same payment,
 * so a released-then-confirmed payment counts once, and a void (the ERP voided the payment)
 * replaces both, so what it settled is open again (PAID -> PARTIALLY_PAID or POSTED). See
 * refreshPaymentStatus for the status rule.
 */
@Controller()
export class PaymentEventsHandler {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly audit: AuditTrail,
  ) {}

  @EventPattern('PaymentReleased')
  async onReleased(@Payload() e: PaymentReleased, @Ctx() ctx: HandlerContext): Promise<void> {
    await this.apply(ctx, e.paymentId, 'RELEASED', e.allocations);
  }

  @EventPattern('PaymentConfirmed')
  async onConfirmed(@Payload() e: PaymentConfirmed, @Ctx() ctx: HandlerContext): Promise<void> {
    await this.apply(ctx, e.paymentId, 'CONFIRMED', e.allocations);
  }

  @EventPattern('PaymentVoided')
  async onVoided(@Payload() e: PaymentVoided, @Ctx() ctx: HandlerContext): Promise<void> {
    await this.apply(ctx, e.paymentId, 'VOIDED', e.allocations);
  }

  private async apply(ctx: HandlerContext, paymentId: string, stage: PaymentStage, allocations: readonly PaymentAllocation[]): Promise<void> {
    const db: EntityManager = ctx.manager;
    for (const a of allocations) {
      await paymentAllocationStore.record(db, paymentId, stage, a);
      const result = await refreshPaymentStatus(db, a.invoiceId);
      if (result.kind === 'unknown-invoice') this.logger.warn({ invoiceId: a.invoiceId, paymentId }, 'payment allocated to an invoice invoice-sync does not know; recorded only');
      if (result.kind === 'not-posted') this.logger.warn({ invoiceId: a.invoiceId, paymentId, status: result.status }, 'payment allocated to an invoice not posted yet; parked until it is posted');
      if (result.kind === 'updated' && (result.status !== result.before.status || result.settled !== result.before.settledAmount)) {
        await this.audit.record(
          db,
          invoiceTransition(result.before, 'invoice.payment_applied', { status: result.status, settledAmount: result.settled, paymentId, paymentStage: stage }, ctx.eventId),
        );
      }
      if (result.kind === 'currency-mismatch') this.logger.warn({ invoiceId: a.invoiceId, paymentId, currencies: result.currencies }, 'payment in another currency than the invoice; status left unchanged');
    }
  }
}
