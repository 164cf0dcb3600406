import type { ServiceDefinition } from '@finmesh/service-kit';

/** Supplier master sync: the ERP is the system of record for suppliers (domain rules arrive with issue 4). */
export const SupplierSyncService: ServiceDefinition = {
  serviceName: 'supplier-sync',
  httpPort: 3001,
  dbSchema: 'supplier_sync',
};
