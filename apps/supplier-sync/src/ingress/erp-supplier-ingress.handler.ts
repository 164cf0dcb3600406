import { ConflictException, Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { nameBasedId } from '@finmesh/adapters';
import { ingressPattern, type SupplierBlocked, type SupplierUnblocked, type SupplierUpserted } from '@finmesh/contracts';
import { BusinessRuleViolation, type HandlerContext } from '@finmesh/messaging';
import type { EntityManager } from 'typeorm';
import { HOLD_WITHOUT_DETAIL, type SupplierBlock, type SupplierHold, type SupplierMaster } from '../suppliers/supplier-master';
import { SupplierMasterUpdater } from '../suppliers/supplier-master-updater';
import { SupplierStore, type StoredSupplier } from '../suppliers/supplier-store';

/** Who the audit trail names for supplier facts taken from the ERP's ingress topic. */
export const ERP_SUPPLIER_INGRESS_ACTOR = 'erp-ingress';

/**
 * The ERP's supplier ingress topic (`finmesh.ingress.erp.supplier.v1`): the door for an ERP that
 * produces supplier masters to Kafka rather than pushing them over HTTP or being polled. Records
 * are canonical contracts, already held to the business rules by the consumer runtime. Each one
 * goes through the same use case as a push or a poll (SupplierMasterUpdater), in the consumer's
 * transaction, so supplier-sync stays the one writer of the supplier topic and decides
 * SupplierUpserted, SupplierBlocked and SupplierUnblocked itself:
 *
 *  - SupplierUpserted states the whole supplier. Its `externalIds.ERP` is the supplier number, and
 *    its supplierId must be the id finmesh derives from it (as po-sync and invoice-sync do), else
 *    SUPPLIER_ID_MISMATCH naming the expected id. A BLOCKED status keeps the hold already stored,
 *    or is a hold on everything when none is.
 *  - SupplierBlocked places a hold (scope, reason, who) on a known supplier; SupplierUnblocked
 *    lifts the supplier-level hold. Both need the supplier first (SUPPLIER_NOT_FOUND).
 *  - A record older than the stored one is STALE_SUPPLIER (it would undo a newer change).
 */
@Controller()
export class ErpSupplierIngressHandler {
  private readonly store = new SupplierStore();

  constructor(private readonly updater: SupplierMasterUpdater) {}

  @EventPattern(ingressPattern('erp', 'SupplierUpserted'))
  async onUpserted(@Payload() e: SupplierUpserted, @Ctx() ctx: HandlerContext): Promise<void> {
    const { envelope, revision: _producerRevision, ...record } = e;
    const supplierNumber = record.externalIds['ERP'];
    if (supplierNumber === undefined || supplierNumber.trim() === '') {
      throw new BusinessRuleViolation(`supplier ${record.supplierId} has no externalIds.ERP: the ERP supplier number is the supplier's key in finmesh`, 'SUPPLIER_NUMBER_MISSING');
    }
    const expected = nameBasedId('supplier', supplierNumber);
    if (record.supplierId !== expected) {
      throw new BusinessRuleViolation(`supplierId ${record.supplierId} is not finmesh's id of ERP supplier ${supplierNumber}; expected ${expected}`, 'SUPPLIER_ID_MISMATCH');
    }
    const stored = await this.store.find(ctx.manager, record.supplierId);
    const block = record.status === 'BLOCKED' ? (stored?.block ?? HOLD_WITHOUT_DETAIL) : null;
    const siteHolds = (stored?.holds ?? []).filter((h) => h.siteId !== null);
    await this.apply(ctx.manager, {
      supplierNumber,
      record,
      block,
      holds: block ? [...siteHolds, { ...block, siteId: null }] : siteHolds,
      legalEntity: envelope.legalEntity,
      occurredAt: envelope.occurredAt,
      changedBy: null,
    });
  }

  @EventPattern(ingressPattern('erp', 'SupplierBlocked'))
  async onBlocked(@Payload() e: SupplierBlocked, @Ctx() ctx: HandlerContext): Promise<void> {
    const stored = await this.known(ctx.manager, e.supplierId, 'blocked');
    const block: SupplierBlock = { scope: e.scope, reasonCode: e.reasonCode, reason: e.reason, blockedBy: e.blockedBy };
    await this.apply(ctx.manager, this.masterOf(stored, e.envelope, { status: 'BLOCKED', block, holds: [...siteHoldsOf(stored), { ...block, siteId: null }] }));
  }

  @EventPattern(ingressPattern('erp', 'SupplierUnblocked'))
  async onUnblocked(@Payload() e: SupplierUnblocked, @Ctx() ctx: HandlerContext): Promise<void> {
    const stored = await this.known(ctx.manager, e.supplierId, 'unblocked');
    // Not blocked (never, or already lifted): nothing to lift.
    if (stored.record.status !== 'BLOCKED') return;
    await this.apply(ctx.manager, this.masterOf(stored, e.envelope, { status: 'ACTIVE', block: null, holds: siteHoldsOf(stored), changedBy: e.unblockedBy }));
  }

  private async known(tx: EntityManager, supplierId: string, what: string): Promise<StoredSupplier> {
    const stored = await this.store.find(tx, supplierId);
    if (!stored) throw new BusinessRuleViolation(`supplier ${supplierId} is not known to supplier-sync; it cannot be ${what}: produce its SupplierUpserted first`, 'SUPPLIER_NOT_FOUND');
    return stored;
  }

  private masterOf(
    stored: StoredSupplier,
    envelope: SupplierBlocked['envelope'],
    change: { status: SupplierMaster['record']['status']; block: SupplierBlock | null; holds: readonly SupplierHold[]; changedBy?: string },
  ): SupplierMaster {
    return {
      supplierNumber: stored.supplierNumber,
      record: { ...stored.record, status: change.status },
      block: change.block,
      holds: change.holds,
      legalEntity: stored.legalEntity,
      occurredAt: envelope.occurredAt,
      changedBy: change.changedBy ?? null,
    };
  }

  private async apply(tx: EntityManager, master: SupplierMaster): Promise<void> {
    try {
      await this.updater.applyIn(tx, master, ERP_SUPPLIER_INGRESS_ACTOR);
    } catch (err) {
      if (err instanceof ConflictException) throw new BusinessRuleViolation(`supplier ${master.record.supplierId} refused: ${err.message}`, 'STALE_SUPPLIER');
      throw err;
    }
  }
}

function siteHoldsOf(stored: StoredSupplier): SupplierHold[] {
  return stored.holds.filter((h) => h.siteId !== null);
}
