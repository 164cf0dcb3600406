import { runServiceMain } from '@finmesh/service-kit';
import { PaymentSyncService } from './service';

runServiceMain(PaymentSyncService);
