import type { ServiceDefinition } from '@finmesh/service-kit';
import { REPORTING_MIGRATIONS } from './database/migrations';
import { ReportingProjectorModule } from './reporting-projector.module';

/**
 * Reporting read models in PostgreSQL: projects every canonical event (own consumer group) into
 * fact tables, serves reports (JSON/CSV) and the dashboard, and rebuilds them from the history.
 */
export const ReportingProjectorService: ServiceDefinition = {
  serviceName: 'reporting-projector',
  httpPort: 3005,
  dbSchema: 'reporting',
  domainModule: ReportingProjectorModule,
  migrations: REPORTING_MIGRATIONS,
};
