import { quoteIdentifier, resultRows, type SqlExecutor } from '@finmesh/persistence';
import { qualified, type TableSpec } from './read-model-table';

export interface TableChecksum {
  readonly table: string;
  readonly rows: number;
  /** md5 over every row's text, in primary-key order: equal tables have equal checksums. */
  readonly checksum: string;
}

/**
 * A content checksum of a read-model table computed by PostgreSQL itself, so two tables can be
 * compared without moving their rows (a rebuilt table against the incrementally maintained one).
 */
export async function tableChecksum(exec: SqlExecutor, schema: string, spec: TableSpec): Promise<TableChecksum> {
  const columns = spec.columns.map((c) => quoteIdentifier(c.name)).join(', ');
  const order = spec.primaryKey.map(quoteIdentifier).join(', ');
  const rows = resultRows<{ rows: number; checksum: string }>(await exec.query(
    `SELECT count(*)::int AS rows,
            coalesce(md5(string_agg(md5(row_text), '' ORDER BY ord)), md5('')) AS checksum
       FROM (SELECT row_number() OVER (ORDER BY ${order}) AS ord, ROW(${columns})::text AS row_text
               FROM ${qualified(schema, spec.name)}) AS t`,
  ));
  const first = rows[0] ?? { rows: 0, checksum: '' };
  return { table: spec.name, rows: first.rows, checksum: first.checksum };
}
