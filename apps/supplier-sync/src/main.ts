import { runServiceMain } from '@finmesh/service-kit';
import { SupplierSyncService } from './service';

runServiceMain(SupplierSyncService);
