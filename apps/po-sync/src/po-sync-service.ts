import type { ServiceDefinition } from '@finmesh/service-kit';
import { PO_SYNC_MIGRATIONS } from './database/migrations';
import { createPoSyncModule } from './po-sync.module';
import { loadPoSyncSettings } from './settings/po-sync-settings';

/**
 * Purchase orders, changes, closures and goods receipts from procurement (pushed, or polled from
 * Coupa), created in the ERP; invoiced quantities from invoice-sync's events.
 *
 * Reads its own settings (FINMESH_COUPA_*, FINMESH_ERP_*, FINMESH_ERP_PO_SYNC) from `env`; throws
 * service-kit's ConfigError listing every problem. Tests pass their own env, as they do to
 * createServiceApp.
 */
export function poSyncService(env: Readonly<Record<string, string | undefined>> = process.env): ServiceDefinition {
  return {
    serviceName: 'po-sync',
    httpPort: 3002,
    dbSchema: 'po_sync',
    domainModule: createPoSyncModule(loadPoSyncSettings(env)),
    migrations: PO_SYNC_MIGRATIONS,
  };
}
