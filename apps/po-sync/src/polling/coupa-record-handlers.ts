import { Inject, Injectable } from '@nestjs/common';
import {
  coupaReceivingStatusPhase,
  mapCoupaPurchaseOrderClosure,
  mapCoupaReceivingTransaction,
  type MappingContext,
} from '@finmesh/adapters';
import type { CoupaRecord, HandlerResult, PolledRecord } from '@finmesh/connectors';
import { deterministicEventId } from '@finmesh/contracts';
import { LOGGER } from '@finmesh/service-kit';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { PO_MAPPING_CONTEXT } from '../adapters/tokens';
import { PurchaseOrderService } from '../purchase-orders/purchase-order-service';
import { ReceiptService } from '../receipts/receipt-service';

/** Actor recorded in the audit trail for what the Coupa poller applied. */
export const COUPA_POLLER_ACTOR = 'coupa-poller';

/**
 * What one polled Coupa record does, in the poll page's transaction (with the poll ledger entry
 * and, for an applied record, its events in the outbox). The same services as the push endpoints
 * do the work; only the envelope differs: event ids are deterministic in (platform, resource,
 * record key, record version, event), occurredAt is the record's own time.
 *
 * Errors: a payload that cannot be mapped (MappingError) or an order refused by the revision rules
 * (409 ConflictException) is not retriable, so the poller rejects that record alone (recorded in
 * the ledger with the reason, left unexported in Coupa, where it shows as not integrated).
 */
@Injectable()
export class CoupaRecordHandlers {
  constructor(
    private readonly orders: PurchaseOrderService,
    private readonly receipts: ReceiptService,
    @Inject(PO_MAPPING_CONTEXT) private readonly mapping: MappingContext,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * A Coupa PO (`GET /api/purchase_orders?exported=false`, version = internal-revision): cancelled
   * or closed -> PurchaseOrderClosed; any other status -> issue or change (draft/error are refused
   * by the adapter as not issued).
   */
  async applyPurchaseOrder(record: PolledRecord<CoupaRecord>, tx: EntityManager): Promise<HandlerResult> {
    const eventIdFor = (event: string) => deterministicEventId('coupa', 'purchase_orders', record.key, record.version, event);
    const source = { actor: COUPA_POLLER_ACTOR, eventIdFor };
    const closure = mapCoupaPurchaseOrderClosure(record.data, this.mapping);
    if (closure) {
      const c = closure.payload;
      const outcome = await this.orders.closeIn(tx, c.purchaseOrderId, { reason: c.reason, comment: c.comment, closedBy: c.closedBy }, { ...source, occurredAt: closure.occurredAt });
      if (outcome.kind === 'unknown') {
        // Cancelled before finmesh ever saw it open: nothing was issued, so there is nothing to close.
        this.logger.info({ poNumber: c.poNumber, reason: c.reason }, 'Coupa order closed or cancelled before po-sync saw it issued; nothing to close');
      }
      return undefined;
    }
    await this.orders.applyIn(tx, this.orders.coupaOrder(record.data), source);
    return undefined;
  }

  /**
   * A Coupa receiving transaction (`GET /api/receiving_transactions?exported=false`, version =
   * updated-at): pending ones (awaiting approval) are deferred, so they stay unexported and are
   * read again until Coupa creates them; the others give 0..2 receipts (adapters), each recorded
   * through the receipt service. A receipt for a PO po-sync does not hold yet is deferred too (its
   * PO is polled by the other poller and may simply come later); other refusals are parked for ops
   * as with the push endpoint, with the transaction as a one-element array, the shape
   * `POST /v1/procurement/receipts` takes, so ops can re-submit it.
   */
  async applyReceivingTransaction(record: PolledRecord<CoupaRecord>, tx: EntityManager): Promise<HandlerResult> {
    const status = record.data['status'];
    if (coupaReceivingStatusPhase(typeof status === 'string' ? status : null) === 'PENDING') return 'deferred';
    const receipts = mapCoupaReceivingTransaction(record.data, this.mapping);
    for (const mapped of receipts) {
      const eventIdFor = (event: string) => deterministicEventId('coupa', 'receiving_transactions', record.key, record.version, event, mapped.payload.receiptNumber ?? mapped.payload.receiptId);
      const outcome = await this.receipts.recordIn(tx, mapped, [record.data], { actor: COUPA_POLLER_ACTOR, eventIdFor, deferUnknownOrder: true });
      if (outcome.kind === 'order-unknown') {
        this.logger.info({ transactionId: record.key, poNumber: outcome.poNumber }, 'receiving transaction for a PO po-sync does not hold yet; deferred');
        return 'deferred';
      }
    }
    return undefined;
  }
}
