import { runConfiguredServiceMain } from '@finmesh/service-kit';
import { supplierSyncService } from './supplier-sync-service';

runConfiguredServiceMain({ serviceName: 'supplier-sync', httpPort: 3001, dbSchema: 'supplier_sync' }, supplierSyncService);
