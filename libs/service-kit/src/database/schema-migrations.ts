import type { DataSource } from 'typeorm';
import { advisoryLockKey, ensureSchema } from '@finmesh/persistence';

export interface SchemaMigration {
  /** Stable, ordered id, e.g. '001-suppliers'. Never edit a migration that has run; add a new one. */
  readonly id: string;
  readonly sql: string;
}

/**
 * Applies a service's pending migrations in order, each once, recording them in
 * `<schema>.finmesh_migrations`. All of them run in ONE transaction, under the schema's
 * migrations advisory lock (which serialises concurrent starts of the same service): if any
 * migration fails, none of this start's migrations (nor their records) is kept, so the schema
 * never ends up half-migrated and the next start retries them all.
 */
export async function runSchemaMigrations(dataSource: DataSource, schema: string, migrations: readonly SchemaMigration[]): Promise<string[]> {
  const applied: string[] = [];
  await dataSource.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [advisoryLockKey(schema, 'migrations')]);
    await ensureSchema(tx, schema);
    await tx.query(`CREATE TABLE IF NOT EXISTS "${schema}".finmesh_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set(((await tx.query(`SELECT id FROM "${schema}".finmesh_migrations`)) as { id: string }[]).map((r) => r.id));
    for (const m of migrations) {
      if (done.has(m.id)) continue;
      await tx.query(m.sql);
      await tx.query(`INSERT INTO "${schema}".finmesh_migrations (id) VALUES ($1)`, [m.id]);
      applied.push(m.id);
    }
  });
  return applied;
}
