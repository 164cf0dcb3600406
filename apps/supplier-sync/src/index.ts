/** Entry point of supplier-sync for tools, bench and other tests: its service definition (main.ts runs it). */
export { SupplierSyncService, supplierSyncService } from './service';
