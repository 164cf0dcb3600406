import type { ServiceDefinition } from '@finmesh/service-kit';
import { supplierSyncService } from './supplier-sync-service';

export { supplierSyncService } from './supplier-sync-service';

/** supplier-sync with the settings of this process's environment (tests, the services health check). */
export const SupplierSyncService: ServiceDefinition = supplierSyncService(process.env);
