import type { ServiceDefinition } from '@finmesh/service-kit';
import { PO_SYNC_MIGRATIONS } from './database/migrations';
import { PoSyncModule } from './po-sync.module';

/** Purchase orders, changes, closures and goods receipts from procurement; invoiced quantities from invoice-sync's events. */
export const PoSyncService: ServiceDefinition = {
  serviceName: 'po-sync',
  httpPort: 3002,
  dbSchema: 'po_sync',
  domainModule: PoSyncModule,
  migrations: PO_SYNC_MIGRATIONS,
};
