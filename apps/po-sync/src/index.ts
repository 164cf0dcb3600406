/**
 * Entry point of po-sync for tools, bench and other tests: the service definition built from a
 * given environment (main.ts runs it with the process's own), and PoSyncService, the push-only
 * definition that needs no platform settings.
 */
export { PoSyncService, poSyncService } from './service';
