import { runConfiguredServiceMain } from '@finmesh/service-kit';
import { poSyncService } from './po-sync-service';

runConfiguredServiceMain({ serviceName: 'po-sync', httpPort: 3002, dbSchema: 'po_sync' }, poSyncService);
