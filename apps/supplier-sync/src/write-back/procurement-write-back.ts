import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { SupplierBlocked, SupplierUnblocked } from '@finmesh/contracts';
import { ServiceWriteBack } from '@finmesh/service-kit';
import { SUPPLIER_SYNC_SETTINGS, type SupplierSyncSettings } from '../settings/supplier-sync-settings';
import { SupplierStore } from '../suppliers/supplier-store';
import { concernsProcurement, deliverSupplierHold, type SupplierHoldEvent } from './procurement-supplier-hold';

/**
 * Supplier holds to the procurement platform (flow `supplier-holds`), run by service-kit's
 * ServiceWriteBack: its own consumer group on the supplier topic, one active instance, Coupa's
 * rate limit and breaker, the delivery ledger in this service's schema. Runs when the Coupa
 * connection is configured (FINMESH_COUPA_*).
 */
@Injectable()
export class ProcurementWriteBack implements OnApplicationBootstrap {
  private readonly store = new SupplierStore();

  constructor(
    @Inject(SUPPLIER_SYNC_SETTINGS) private readonly settings: SupplierSyncSettings,
    private readonly writeBack: ServiceWriteBack,
  ) {}

  onApplicationBootstrap(): void {
    const coupa = this.settings.coupa;
    if (!coupa) return;
    const hold = (change: SupplierHoldEvent) => (concernsProcurement(change) ? change : undefined);
    this.writeBack.register<SupplierHoldEvent>({
      ...coupa,
      flow: 'supplier-holds',
      events: {
        SupplierBlocked: (value) => hold({ kind: 'blocked', event: value as SupplierBlocked }),
        SupplierUnblocked: (value) => hold({ kind: 'unblocked', event: value as SupplierUnblocked }),
      },
      target: (change) => change.event.supplierId,
      naturalKey: (change) => change.event.supplierId,
      occurredAt: (change) => new Date(change.event.envelope.occurredAt),
      deliver: async (change, context) => {
        const supplier = await this.store.find(context.transaction, change.event.supplierId);
        if (!supplier) throw new Error(`supplier ${change.event.supplierId} is not in supplier-sync's master`);
        return deliverSupplierHold(change, supplier.supplierNumber, context);
      },
    });
  }
}
