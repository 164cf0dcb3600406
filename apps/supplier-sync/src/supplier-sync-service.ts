import type { ServiceDefinition } from '@finmesh/service-kit';
import { SUPPLIER_SYNC_MIGRATIONS } from './database/migrations';
import { loadSupplierSyncSettings } from './settings/supplier-sync-settings';
import { createSupplierSyncModule } from './supplier-sync.module';

/**
 * Supplier master sync: the ERP is the system of record for suppliers; finmesh publishes its
 * changes and holds (pushed or polled). Reads its own settings from `env` (ConfigError listing
 * every problem); tests pass their own env, as they do to createServiceApp.
 */
export function supplierSyncService(env: Readonly<Record<string, string | undefined>> = process.env): ServiceDefinition {
  return {
    serviceName: 'supplier-sync',
    httpPort: 3001,
    dbSchema: 'supplier_sync',
    domainModule: createSupplierSyncModule(loadSupplierSyncSettings(env)),
    migrations: SUPPLIER_SYNC_MIGRATIONS,
  };
}
