/**
 * Entry point of invoice-sync for tools, bench and other tests: the service definition built from
 * a given environment (main.ts runs it with the process's own) and its metric catalog.
 */
export { invoiceSyncService } from './invoice-sync-service';
export { INVOICE_SYNC_METRICS } from './metrics/invoice-sync-metrics';
