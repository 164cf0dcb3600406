import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import type { HandlerContext, PaymentAllocation, PaymentConfirmed, PaymentReleased } from '@finmesh/events';
import { LOGGER } from '@finmesh/service-kit';
import { dec } from '../matching/exact-decimal';
import { invoiceStore } from '../invoices/invoice-store';
import type { InvoiceLifecycleStatus } from '../invoices/invoice-status';

/** Statuses payments may move (a payment for an invoice not posted yet is recorded, not applied). */
const PAYABLE_STATUSES: readonly InvoiceLifecycleStatus[] = ['POSTED', 'PARTIALLY_PAID', 'PAID'];

/**
 * Payment status of invoices from payment-sync's events. Each payment's allocation to an invoice
 * is stored once per (payment, invoice); a confirmation replaces the release of the same payment,
 * so a released-then-confirmed payment counts once. Settled = sum over payments of amount +
 * discount taken (an early-payment discount settles its part of the gross too); settled >= gross
 * -> PAID, > 0 -> PARTIALLY_PAID.
 */
@Controller()
export class PaymentEventsHandler {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  @EventPattern('PaymentReleased')
  async onReleased(@Payload() e: PaymentReleased, @Ctx() ctx: HandlerContext): Promise<void> {
    await this.apply(ctx.manager, e.paymentId, 'RELEASED', e.allocations);
  }

  @EventPattern('PaymentConfirmed')
  async onConfirmed(@Payload() e: PaymentConfirmed, @Ctx() ctx: HandlerContext): Promise<void> {
    await this.apply(ctx.manager, e.paymentId, 'CONFIRMED', e.allocations);
  }

  private async apply(db: EntityManager, paymentId: string, stage: 'RELEASED' | 'CONFIRMED', allocations: readonly PaymentAllocation[]): Promise<void> {
    for (const a of allocations) {
      await db.query(
        `INSERT INTO payment_allocations (payment_id, invoice_id, stage, amount, discount_taken, currency)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (payment_id, invoice_id) DO UPDATE SET stage = EXCLUDED.stage, amount = EXCLUDED.amount,
           discount_taken = EXCLUDED.discount_taken, currency = EXCLUDED.currency, recorded_at = now()
         -- a late release never overrides the confirmation
         WHERE NOT (payment_allocations.stage = 'CONFIRMED' AND EXCLUDED.stage = 'RELEASED')`,
        [paymentId, a.invoiceId, stage, a.amount.amount, a.discountTaken?.amount ?? '0', a.amount.currency],
      );
      await this.updateInvoice(db, a.invoiceId);
    }
  }

  private async updateInvoice(db: EntityManager, invoiceId: string): Promise<void> {
    const invoice = await invoiceStore.find(db, invoiceId, true);
    if (!invoice) {
      this.logger.warn({ invoiceId }, 'payment allocated to an invoice invoice-sync does not know; recorded only');
      return;
    }
    const rows = (await db.query(
      `SELECT coalesce(sum(amount + discount_taken), 0)::numeric(19,4)::text AS settled, array_agg(DISTINCT currency) AS currencies
       FROM payment_allocations WHERE invoice_id = $1`,
      [invoiceId],
    )) as { settled: string; currencies: string[] }[];
    const settled = rows[0]?.settled ?? '0.0000';
    if ((rows[0]?.currencies ?? []).some((c) => c !== null && c !== invoice.invoice.currency)) {
      this.logger.warn({ invoiceId, currencies: rows[0]?.currencies }, 'payment in another currency than the invoice; status left unchanged');
      return;
    }
    // Credit notes are settled by negative amounts: compare magnitudes.
    const gross = dec(invoice.grossAmount).abs();
    const paid = dec(settled).abs();
    const status: InvoiceLifecycleStatus = !PAYABLE_STATUSES.includes(invoice.status)
      ? invoice.status
      : paid.compareTo(gross) >= 0
        ? 'PAID'
        : paid.isPositive()
          ? 'PARTIALLY_PAID'
          : 'POSTED';
    await invoiceStore.setSettledAmount(db, invoiceId, settled, status);
  }
}
