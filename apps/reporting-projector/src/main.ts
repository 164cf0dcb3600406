import { runServiceMain } from '@finmesh/service-kit';
import { ReportingProjectorService } from './service';

runServiceMain(ReportingProjectorService);
