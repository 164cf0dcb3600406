import { Inject, Injectable } from '@nestjs/common';
import { mapCoupaReceipt, type Mapped, type MappingContext } from '@finmesh/adapters';
import type { GoodsReceiptRecorded } from '@finmesh/contracts';
import { AuditTrail, DatabaseConnection, LOGGER, MessagingRuntime, type LegalEntityCheck } from '@finmesh/service-kit';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { supplierBlocks } from '../suppliers/supplier-block-store';
import { PO_MAPPING_CONTEXT } from '../adapters/tokens';
import { receiptPoNumber } from '../adapters/coupa-binding';
import { receivedAfterSummary, receivedBeforeSummary } from '../purchase-orders/purchase-order-audit';
import { PurchaseOrderStore } from '../purchase-orders/purchase-order-store';
import { orderEnvelope, refused, type FactSource } from '../purchase-orders/purchase-order-service';
import { ParkedReceiptStore } from './parked-receipt-store';
import { ReceiptStore } from './receipt-store';
import { checkReceipt, type AcceptedReceiptLine, type OrderState } from './receipt-checks';

export interface RecordedReceipt {
  readonly receiptId: string;
  readonly receiptNumber: string | null;
  readonly purchaseOrderId: string;
  readonly poNumber: string;
  /** The receipt was recorded before (same receiving transactions): nothing new was written or published. */
  readonly duplicate: boolean;
  /** At least one line is now received beyond its ordered quantity (accepted, flagged). */
  readonly overReceipt: boolean;
  readonly lines: readonly AcceptedReceiptLine[];
}

export type ReceiptOutcome =
  | { readonly kind: 'recorded'; readonly receipt: RecordedReceipt }
  | { readonly kind: 'parked'; readonly parkedId: string; readonly reason: string }
  | { readonly kind: 'order-unknown'; readonly poNumber: string };

/** Goods receipts from procurement: recorded with GoodsReceiptRecorded, or parked for ops with the reason. */
@Injectable()
export class ReceiptService {
  private readonly orders = new PurchaseOrderStore();
  private readonly parked = new ParkedReceiptStore();
  private readonly receipts = new ReceiptStore();

  constructor(
    private readonly db: DatabaseConnection,
    private readonly messaging: MessagingRuntime,
    private readonly audit: AuditTrail,
    @Inject(PO_MAPPING_CONTEXT) private readonly mapping: MappingContext,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** 201 with the recorded receipt, 200 for a duplicate, 409 { parkedId, reason } when parked, 422 when unmappable. */
  async record(payload: unknown, actor?: string, mayActOn?: LegalEntityCheck): Promise<RecordedReceipt> {
    const mapped = mapCoupaReceipt(payload, this.mapping); // MappingError -> 422, nothing written
    const outcome = await this.db.dataSource.transaction((tx) => this.recordIn(tx, mapped, payload, { actor, mayActOn }));
    if (outcome.kind === 'parked') {
      // Thrown after the commit: the parked entry must survive the refusal.
      throw refused(outcome.reason, { parkedId: outcome.parkedId });
    }
    if (outcome.kind === 'order-unknown') throw new Error('unreachable: recordIn parks receipts for unknown orders unless asked to defer them');
    return outcome.receipt;
  }

  /**
   * Records one mapped receipt in `tx` (the push endpoint's own transaction, or a poll page's):
   * a duplicate (same receipt id) changes nothing; a receipt that cannot be recorded is parked
   * with its reasons (`payload` is what ops see and may re-submit). With `deferUnknownOrder` a
   * receipt for an order po-sync does not hold yet is neither recorded nor parked
   * ('order-unknown'): the poller offers it again, as its PO may simply not have been polled yet.
   */
  async recordIn(
    tx: EntityManager,
    mapped: Mapped<'GoodsReceiptRecorded'>,
    payload: unknown,
    source: FactSource & { deferUnknownOrder?: boolean },
  ): Promise<ReceiptOutcome> {
    const r = mapped.payload;
    source.mayActOn?.(mapped.legalEntity.code, `goods receipt ${r.receiptNumber ?? r.receiptId}`);
    // Coupa's receiving transactions name the PO number; a canonical receipt (ingress) only its id.
    const poNumber = receiptPoNumber(payload) || ((await this.orders.header(tx, r.purchaseOrderId))?.poNumber ?? r.purchaseOrderId);
    const receiptKey = r.receiptNumber ?? r.receiptId;
    await this.orders.lock(tx, r.purchaseOrderId);
    const duplicate = await this.recordedReceipt(tx, r.receiptId, poNumber);
    if (duplicate) return { kind: 'recorded', receipt: duplicate };
    const order = await this.orderState(tx, r.purchaseOrderId);
    if (!order && source.deferUnknownOrder) return { kind: 'order-unknown', poNumber };
    const check = checkReceipt(order, poNumber, r.lines);
    if (check.kind === 'park') {
      const parkedId = await this.parked.park(tx, { receiptKey, poNumber, purchaseOrderId: r.purchaseOrderId, payload, reason: check.reason });
      this.logger.warn({ parkedId, poNumber, reason: check.reason }, 'goods receipt parked for ops');
      return { kind: 'parked', parkedId, reason: check.reason };
    }
    const value: GoodsReceiptRecorded = {
      envelope: orderEnvelope('GoodsReceiptRecorded', r.purchaseOrderId, mapped.legalEntity, mapped.occurredAt, source.eventIdFor?.('GoodsReceiptRecorded')),
      ...r,
    };
    await this.messaging.outbox.enqueue(tx, [{ event: 'GoodsReceiptRecorded', key: r.purchaseOrderId, value }]);
    await this.receipts.record(tx, value, check.lines);
    // A receipt that was parked earlier (e.g. it came before its PO) is now recorded.
    await this.parked.resolve(tx, receiptKey, `recorded as receipt ${r.receiptId}`);
    await this.audit.record(tx, {
      entityType: 'purchase_order', entityId: r.purchaseOrderId, action: 'purchase_order.receipt_recorded', actor: source.actor,
      before: receivedBeforeSummary(order?.lines ?? [], check.lines), after: receivedAfterSummary(r, check.lines),
      causingEventId: value.envelope.eventId, correlationId: value.envelope.correlationId, occurredAt: mapped.occurredAt,
    });
    // Goods received from a supplier on hold: accepted (they arrived), flagged for ops and reporting.
    const block = await supplierBlocks.procurementBlockOf(tx, r.supplierId);
    if (block) {
      await supplierBlocks.flag(tx, 'receipt', r.receiptId, block);
      this.logger.warn({ receiptId: r.receiptId, poNumber, supplierId: r.supplierId, scope: block.scope }, 'goods receipt accepted for a blocked supplier and flagged');
    }
    const overReceipt = check.lines.some((l) => l.overReceipt);
    if (overReceipt) this.logger.warn({ receiptId: r.receiptId, poNumber }, 'over-receipt accepted and flagged: received quantity exceeds ordered quantity');
    return { kind: 'recorded', receipt: { receiptId: r.receiptId, receiptNumber: r.receiptNumber, purchaseOrderId: r.purchaseOrderId, poNumber, duplicate: false, overReceipt, lines: check.lines } };
  }

  private async orderState(tx: EntityManager, purchaseOrderId: string): Promise<OrderState | undefined> {
    const header = await this.orders.header(tx, purchaseOrderId);
    if (!header) return undefined;
    const lines = await this.orders.lines(tx, purchaseOrderId);
    return { poNumber: header.poNumber, status: header.status, lines };
  }

  private async recordedReceipt(tx: EntityManager, receiptId: string, poNumber: string): Promise<RecordedReceipt | undefined> {
    const recorded = await this.receipts.recorded(tx, receiptId);
    if (!recorded) return undefined;
    return {
      receiptId, receiptNumber: recorded.receiptNumber, purchaseOrderId: recorded.purchaseOrderId, poNumber, duplicate: true,
      overReceipt: recorded.lines.some((x) => x.overReceipt),
      lines: recorded.lines,
    };
  }
}
