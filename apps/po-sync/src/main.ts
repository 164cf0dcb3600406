import { runServiceMain } from '@finmesh/service-kit';
import { PoSyncService } from './service';

runServiceMain(PoSyncService);
