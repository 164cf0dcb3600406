import { runConfiguredServiceMain } from '@finmesh/service-kit';
import { paymentSyncService } from './payment-sync-service';

runConfiguredServiceMain({ serviceName: 'payment-sync', httpPort: 3004, dbSchema: 'payment_sync' }, paymentSyncService);
