import type { ServiceDefinition } from '@finmesh/service-kit';
import { SUPPLIER_SYNC_MIGRATIONS } from './database/migrations';
import { SupplierSyncModule } from './supplier-sync.module';

/** Supplier master sync: the ERP is the system of record for suppliers; finmesh publishes its changes and holds. */
export const SupplierSyncService: ServiceDefinition = {
  serviceName: 'supplier-sync',
  httpPort: 3001,
  dbSchema: 'supplier_sync',
  domainModule: SupplierSyncModule,
  migrations: SUPPLIER_SYNC_MIGRATIONS,
};
