import { createTableSql } from '@finmesh/projection';
import type { SchemaMigration } from '@finmesh/service-kit';
import { REPORTING_TABLES } from '../read-models/reporting-tables';
import { BUSINESS_RULE_CLEANUP_SQL } from './business-rule-cleanup';

/**
 * The read-model tables, created before the service reports ready. A later change to a table
 * spec ships as a new migration (ALTER) or, simpler for read models, as a rebuild, which creates
 * the tables from the current specs and switches them in.
 */
export const REPORTING_MIGRATIONS: readonly SchemaMigration[] = [
  { id: '001-reporting-read-models', sql: REPORTING_TABLES.flatMap((t) => createTableSql(null, t)).join(';\n') },
  // Rows the events' business rules forbid, reported in business_rule_removals and removed.
  { id: '002-business-rule-cleanup', sql: BUSINESS_RULE_CLEANUP_SQL },
];
