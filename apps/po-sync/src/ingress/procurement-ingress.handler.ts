import { ConflictException, Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  deterministicEventId,
  ingressPattern,
  type GoodsReceiptRecorded,
  type PurchaseOrderClosed,
  type PurchaseOrderIssued,
} from '@finmesh/contracts';
import { BusinessRuleViolation, type HandlerContext } from '@finmesh/messaging';
import { PurchaseOrderService, type FactSource, type IncomingOrder, type OrderEventName } from '../purchase-orders/purchase-order-service';
import { ReceiptService } from '../receipts/receipt-service';

/** Who the audit trail names for facts taken from the ingress topic. */
export const PROCUREMENT_INGRESS_ACTOR = 'procurement-ingress';

/**
 * Procurement's ingress topic (`finmesh.ingress.procurement.purchase-order.v1`): the door for a
 * procurement platform that produces to Kafka rather than calling the HTTP API or being polled.
 * Records are canonical contracts, already held to the business rules by the consumer runtime
 * (a breach is dead-lettered before it gets here). Each one goes through the same use case as a
 * push or a poll, in the consumer's transaction, and the canonical event comes from po-sync's
 * outbox: po-sync is the one writer of the purchase-order topic and knows every order, however it
 * came.
 *
 *  - PurchaseOrderIssued states the whole order at its current revision: po-sync issues it,
 *    changes it (publishing PurchaseOrderChanged), ignores a re-send, or refuses it (an older
 *    revision, the same revision with other content, a closed order, another supplier or
 *    currency): a refusal is dead-lettered as ORDER_REFUSED with po-sync's reason.
 *  - PurchaseOrderClosed closes a known order (PO_NOT_FOUND for an unknown one; a second close is
 *    a no-op).
 *  - GoodsReceiptRecorded records a receipt (PO_NOT_FOUND before its order; RECEIPT_REFUSED with
 *    the receipt check's reason, where the HTTP door would park it: the dead-letter topic keeps the
 *    record for replay, as parking keeps a pushed one).
 *
 * The canonical events get ids derived from the ingress record's id, so a redelivered record
 * (which the inbox skips anyway) could only ever produce the same events.
 */
@Controller()
export class ProcurementIngressHandler {
  constructor(
    private readonly orders: PurchaseOrderService,
    private readonly receipts: ReceiptService,
  ) {}

  @EventPattern(ingressPattern('procurement', 'PurchaseOrderIssued'))
  async onOrder(@Payload() e: PurchaseOrderIssued, @Ctx() ctx: HandlerContext): Promise<void> {
    const { envelope, ...order } = e;
    const at = { legalEntity: envelope.legalEntity, occurredAt: envelope.occurredAt };
    const incoming: IncomingOrder = {
      issued: { payload: order, ...at },
      changed: () => ({
        payload: {
          purchaseOrderId: order.purchaseOrderId,
          poNumber: order.poNumber,
          revision: order.revision,
          changeReason: `revision ${order.revision} from procurement (ingress topic)`,
          changedBy: order.buyer,
          paymentTerms: order.paymentTerms,
          shipTo: order.shipTo,
          lines: order.lines,
          totals: order.totals,
        },
        ...at,
      }),
      supplier: { number: null, name: null },
    };
    try {
      await this.orders.applyIn(ctx.manager, incoming, this.source(ctx));
    } catch (err) {
      if (err instanceof ConflictException) throw new BusinessRuleViolation(`purchase order refused: ${err.message}`, 'ORDER_REFUSED');
      throw err;
    }
  }

  @EventPattern(ingressPattern('procurement', 'PurchaseOrderClosed'))
  async onClosed(@Payload() e: PurchaseOrderClosed, @Ctx() ctx: HandlerContext): Promise<void> {
    const outcome = await this.orders.closeIn(
      ctx.manager,
      e.purchaseOrderId,
      { reason: e.reason, comment: e.comment, closedBy: e.closedBy },
      { ...this.source(ctx), occurredAt: e.envelope.occurredAt },
    );
    if (outcome.kind === 'unknown') throw new BusinessRuleViolation(`purchase order ${e.purchaseOrderId} (${e.poNumber}) is not known to po-sync; it cannot be closed`, 'PO_NOT_FOUND');
  }

  @EventPattern(ingressPattern('procurement', 'GoodsReceiptRecorded'))
  async onReceipt(@Payload() e: GoodsReceiptRecorded, @Ctx() ctx: HandlerContext): Promise<void> {
    const { envelope, ...receipt } = e;
    const mapped = { payload: receipt, legalEntity: envelope.legalEntity, occurredAt: envelope.occurredAt };
    const outcome = await this.receipts.recordIn(ctx.manager, mapped, e, { ...this.source(ctx), deferUnknownOrder: true });
    if (outcome.kind === 'order-unknown') {
      throw new BusinessRuleViolation(`goods receipt ${e.receiptId} refers to purchase order ${e.purchaseOrderId}, which po-sync does not know; produce the order first`, 'PO_NOT_FOUND');
    }
    // Rolls back the parked entry with the rest: the dead-letter topic is this door's parking.
    if (outcome.kind === 'parked') throw new BusinessRuleViolation(`goods receipt ${e.receiptId} refused: ${outcome.reason}`, 'RECEIPT_REFUSED');
  }

  private source(ctx: HandlerContext): FactSource {
    return { actor: PROCUREMENT_INGRESS_ACTOR, eventIdFor: (event: OrderEventName) => deterministicEventId('procurement-ingress', ctx.eventId, event) };
  }
}
