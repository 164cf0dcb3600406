import { Module } from '@nestjs/common';
import { LEGAL_ENTITY_LOOKUP, SuppliersController } from './http/suppliers.controller';
import { legalEntityDirectory } from '@finmesh/adapters';
import { SupplierMasterUpdater } from './suppliers/supplier-master-updater';

@Module({
  controllers: [SuppliersController],
  providers: [SupplierMasterUpdater, { provide: LEGAL_ENTITY_LOOKUP, useFactory: () => legalEntityDirectory() }],
})
export class SupplierSyncModule {}
