import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import type { LegalEntityLookup } from '@finmesh/adapters';
import { fusionPoll, type FusionItem, type PolledRecord } from '@finmesh/connectors';
import { LOGGER, ServicePolling } from '@finmesh/service-kit';
import { supplierMasterFromFusion } from '../adapters/fusion-supplier-binding';
import { LEGAL_ENTITY_LOOKUP } from '../http/suppliers.controller';
import { SUPPLIER_SYNC_SETTINGS, type SupplierSyncSettings } from '../settings/supplier-sync-settings';
import { SupplierMasterUpdater } from './supplier-master-updater';
import { SupplierStore } from './supplier-store';

/**
 * Polls Fusion's suppliers by LastUpdateDate, with the sites and addresses children expanded, and
 * applies each changed supplier exactly as a pushed one.
 *
 * Bank accounts are not a child of the suppliers resource (they belong to the payee, in Fusion
 * Payments), so a polled supplier carries none. Taking that as "no bank accounts" would wipe the
 * remit-to details downstream; the poll keeps the bank accounts finmesh already holds for the
 * supplier (delivered by a push), and a supplier first seen by the poll has none until one is.
 */
@Injectable()
export class FusionSupplierPoll implements OnApplicationBootstrap {
  private readonly store = new SupplierStore();

  constructor(
    @Inject(SUPPLIER_SYNC_SETTINGS) private readonly settings: SupplierSyncSettings,
    private readonly polling: ServicePolling,
    private readonly updater: SupplierMasterUpdater,
    @Inject(LEGAL_ENTITY_LOOKUP) private readonly legalEntities: LegalEntityLookup,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const fusion = this.settings.fusion;
    if (!fusion) {
      this.logger.info('suppliers are not polled (FINMESH_ERP_AUTH not set): POST /v1/erp/suppliers only');
      return;
    }
    this.polling.poll(fusion, this.settings.erpPoll, (ctx) => [
      fusionPoll(ctx, { resource: 'suppliers', keyAttribute: 'SupplierId', expand: 'sites,addresses', handler: (record, tx) => this.apply(record, tx) }),
    ]);
  }

  async apply(record: PolledRecord<FusionItem>, tx: EntityManager): Promise<void> {
    const polled = supplierMasterFromFusion(record.data, this.legalEntities);
    const stored = 'bankAccounts' in record.data ? undefined : await this.store.find(tx, polled.record.supplierId);
    const master = stored ? { ...polled, record: { ...polled.record, bankAccounts: stored.record.bankAccounts } } : polled;
    await this.updater.applyIn(tx, master, 'fusion-suppliers-poll');
  }
}
