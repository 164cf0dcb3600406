import { Module, type Type } from '@nestjs/common';
import { legalEntityDirectory } from '@finmesh/adapters';
import { LEGAL_ENTITY_LOOKUP, SuppliersController } from './http/suppliers.controller';
import { ErpSupplierIngressHandler } from './ingress/erp-supplier-ingress.handler';
import { SUPPLIER_SYNC_SETTINGS, type SupplierSyncSettings } from './settings/supplier-sync-settings';
import { FusionSupplierPoll } from './suppliers/fusion-supplier-poll';
import { SupplierMasterUpdater } from './suppliers/supplier-master-updater';
import { SupplierWriteBack } from './write-back/supplier-write-back';

/** supplier-sync's domain module, built from settings validated before Nest starts. */
export function createSupplierSyncModule(settings: SupplierSyncSettings): Type<unknown> {
  @Module({
    controllers: [SuppliersController, ErpSupplierIngressHandler],
    providers: [
      { provide: SUPPLIER_SYNC_SETTINGS, useValue: settings },
      SupplierMasterUpdater,
      FusionSupplierPoll,
      SupplierWriteBack,
      { provide: LEGAL_ENTITY_LOOKUP, useFactory: () => legalEntityDirectory() },
    ],
  })
  class SupplierSyncModule {}
  return SupplierSyncModule;
}
