/** Entry point of po-sync for tools, bench and other tests: its service definition (main.ts runs it). */
export { PoSyncService } from './service';
