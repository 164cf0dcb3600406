import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { WriteBackTarget } from '@finmesh/connectors';
import type { SupplierBlocked, SupplierUnblocked, SupplierUpserted } from '@finmesh/contracts';
import { ServiceWriteBack } from '@finmesh/service-kit';
import { SUPPLIER_SYNC_SETTINGS, type SupplierSyncSettings } from '../settings/supplier-sync-settings';
import { SupplierStore } from '../suppliers/supplier-store';
import { concerns, deliverSupplierHold, type HoldAudience, type SupplierHoldEvent } from './supplier-hold';
import { coupaSupplierMaster, deliverSupplierMaster } from './supplier-master';

/**
 * supplier-sync tells procurement (FINMESH_COUPA_*) and AP (FINMESH_AP_*) what the ERP holds
 * about a supplier, each platform through two flows run by service-kit's ServiceWriteBack:
 *  - `supplier-holds`: SupplierBlocked / SupplierUnblocked -> the supplier's `on-hold`, for the
 *    block scopes that concern the platform (supplier-hold.ts);
 *  - `supplier-master`: SupplierUpserted -> name, status, payment terms, remit-to addresses,
 *    creating the supplier where the platform lacks it (supplier-master.ts). No bank details.
 * The flows of a platform share its budget and breaker; each runs on one instance at a time, in
 * its own consumer group, in order per supplier. A platform not configured gets no flows.
 */
@Injectable()
export class SupplierWriteBack implements OnApplicationBootstrap {
  private readonly store = new SupplierStore();

  constructor(
    @Inject(SUPPLIER_SYNC_SETTINGS) private readonly settings: SupplierSyncSettings,
    private readonly writeBack: ServiceWriteBack,
  ) {}

  onApplicationBootstrap(): void {
    const targets: Array<[HoldAudience, WriteBackTarget | undefined]> = [
      ['procurement', this.settings.coupa],
      ['ap', this.settings.ap],
    ];
    for (const [audience, target] of targets) if (target) this.register(audience, target);
  }

  private register(audience: HoldAudience, target: WriteBackTarget): void {
    const hold = (change: SupplierHoldEvent) => (concerns(audience, change) ? change : undefined);
    this.writeBack.register<SupplierHoldEvent>({
      ...target,
      flow: 'supplier-holds',
      events: {
        SupplierBlocked: (value) => hold({ kind: 'blocked', event: value as SupplierBlocked }),
        SupplierUnblocked: (value) => hold({ kind: 'unblocked', event: value as SupplierUnblocked }),
      },
      target: (change) => change.event.supplierId,
      naturalKey: (change) => change.event.supplierId,
      occurredAt: (change) => new Date(change.event.envelope.occurredAt),
      deliver: async (change, context) => deliverSupplierHold(change, await this.supplierNumber(context.transaction, change.event.supplierId), context),
    });
    this.writeBack.register<SupplierUpserted>({
      ...target,
      flow: 'supplier-master',
      events: { SupplierUpserted: (value) => value as SupplierUpserted },
      target: (event) => event.supplierId,
      naturalKey: (event) => event.supplierId,
      occurredAt: (event) => new Date(event.envelope.occurredAt),
      deliver: async (event, context) => deliverSupplierMaster(coupaSupplierMaster(event, await this.supplierNumber(context.transaction, event.supplierId)), context),
    });
  }

  /** The supplier's number (the ERP's, which the platforms hold too), from supplier-sync's master. */
  private async supplierNumber(db: EntityManager, supplierId: string): Promise<string> {
    const supplier = await this.store.find(db, supplierId);
    if (!supplier) throw new Error(`supplier ${supplierId} is not in supplier-sync's master`);
    return supplier.supplierNumber;
  }
}
