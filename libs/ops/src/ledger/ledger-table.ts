import type { Pool } from 'pg';
import { ensureSchema, quoteIdentifier } from '@finmesh/persistence';

/**
 * The table of one operator ledger (replays, purges) in the ops schema, and what every ledger does
 * with it: create it on first write, and answer "nothing recorded" rather than fail when a read
 * comes before any write (a fresh installation, or a CLI pointed at another schema).
 */
export class LedgerTable {
  /** `"<schema>"."<table>"`, for the ledgers' own statements. */
  readonly name: string;

  constructor(
    private readonly pool: Pool,
    readonly schema: string,
    table: string,
  ) {
    // Identifiers cannot be bound parameters: quoteIdentifier admits plain lower-case names only.
    this.name = `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
  }

  /** Creates the schema and the table (`columns`: the column and key definitions) if missing. */
  async create(columns: string): Promise<void> {
    await ensureSchema(this.pool, this.schema);
    await this.pool.query(`CREATE TABLE IF NOT EXISTS ${this.name} (${columns})`);
  }

  async exists(): Promise<boolean> {
    const found = await this.pool.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [this.name]);
    return Boolean(found.rows[0]?.t);
  }
}
