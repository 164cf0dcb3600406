import type { ServiceDefinition } from '@finmesh/service-kit';

/** Reporting read models in PostgreSQL, rebuilt from the event history (read models arrive with issue 5). */
export const ReportingProjectorService: ServiceDefinition = {
  serviceName: 'reporting-projector',
  httpPort: 3005,
  dbSchema: 'reporting',
};
