import type { ServiceDefinition } from '@finmesh/service-kit';

/** Purchase orders, changes, closures and goods receipts from procurement (domain rules arrive with issue 4). */
export const PoSyncService: ServiceDefinition = {
  serviceName: 'po-sync',
  httpPort: 3002,
  dbSchema: 'po_sync',
};
