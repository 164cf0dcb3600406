import type { ServiceDefinition } from '@finmesh/service-kit';
import { invoiceSyncService } from './invoice-sync-service';

export { invoiceSyncService } from './invoice-sync-service';

/**
 * invoice-sync with the settings of this process's environment (what `npm start` and the
 * services health check run). main.ts builds it through invoiceSyncService() itself so that a bad
 * setting exits with code 2 instead of failing at import.
 */
export const InvoiceSyncService: ServiceDefinition = invoiceSyncService(process.env);
