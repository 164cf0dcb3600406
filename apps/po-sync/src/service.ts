import type { ServiceDefinition } from '@finmesh/service-kit';
import { poSyncService } from './po-sync-service';

export { poSyncService } from './po-sync-service';

/**
 * po-sync with its push endpoints and invoice consumers only: no Coupa polling, no ERP sync, so
 * it needs no platform credentials. For callers that start po-sync without platform settings
 * (the services health check, the source-to-pay demo); main.ts runs poSyncService(process.env).
 */
export const PoSyncService: ServiceDefinition = poSyncService({ FINMESH_COUPA_POLL: 'off', FINMESH_ERP_PO_SYNC: 'off' });
