import { runServiceMain } from '@finmesh/service-kit';
import { InvoiceSyncService } from './service';

runServiceMain(InvoiceSyncService);
