/**
 * Entry point of reporting-projector for tools, bench and other tests: its service definition and
 * the reporting projection (a rebuild's worker threads load it through REPORTING_PROJECTION_MODULE).
 */
export { ReportingProjectorService } from './service';
export { REPORTING_PROJECTION, REPORTING_PROJECTION_MODULE } from './read-models/reporting-projection';
