import { runConfiguredServiceMain } from '@finmesh/service-kit';
import { invoiceSyncService } from './invoice-sync-service';

runConfiguredServiceMain({ serviceName: 'invoice-sync', httpPort: 3003, dbSchema: 'invoice_sync' }, invoiceSyncService);
