import type { Pool } from 'pg';
import { DataSource, type DataSourceOptions, type EntitySchema } from 'typeorm';
import { ensureSchema, postgresPoolOf } from '@finmesh/persistence';
import type { DependencyCheck } from '../health/dependency-check';

export interface DatabaseConnectionOptions {
  readonly url: string;
  /** The service's own schema in the shared `finmesh` database; created on first start. */
  readonly schema: string;
  readonly poolSize: number;
  readonly applicationName: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly entities?: ReadonlyArray<Function | EntitySchema>;
}

/**
 * A TypeORM DataSource bound to the service's own schema. Each service owns its tables; no service
 * reads another's schema (integration happens through events, not shared tables).
 */
export class DatabaseConnection implements DependencyCheck {
  readonly dependency = 'postgres';
  readonly dataSource: DataSource;
  private initializing: Promise<DataSource> | undefined;

  constructor(private readonly options: DatabaseConnectionOptions) {
    const dsOptions: DataSourceOptions = {
      type: 'postgres',
      url: options.url,
      schema: options.schema,
      applicationName: options.applicationName,
      entities: options.entities ? [...options.entities] : [],
      synchronize: false,
      logging: false,
      // search_path: a service's SQL names its own tables without repeating its schema.
      extra: { max: options.poolSize, connectionTimeoutMillis: 5000, options: `-c search_path=${options.schema},public` },
    };
    this.dataSource = new DataSource(dsOptions);
  }

  /** Connects (once) and makes sure the service schema exists. Safe to call concurrently. */
  async initialize(): Promise<DataSource> {
    if (this.dataSource.isInitialized) return this.dataSource;
    this.initializing ??= (async () => {
      try {
        await this.dataSource.initialize();
        await ensureSchema(this.dataSource, this.options.schema);
        return this.dataSource;
      } catch (err) {
        this.initializing = undefined;
        if (this.dataSource.isInitialized) await this.dataSource.destroy();
        throw err;
      }
    })();
    return this.initializing;
  }

  /**
   * The raw pg pool under the DataSource: the one sanctioned way to reach it, for hot paths that
   * TypeORM cannot serve (COPY, LISTEN, a session-level lock, the relay's own session, pool
   * back-pressure). Everything else uses `dataSource` (transactions, query runners, migrations).
   * Call it after `initialize()`: the pool is created when TypeORM connects.
   */
  pgPool(): Pool {
    const pool = postgresPoolOf(this.dataSource);
    if (!pool) throw new Error('the database connection is not initialised (no pg pool yet)');
    return pool;
  }

  async check(): Promise<void> {
    const ds = await this.initialize();
    await ds.query('SELECT 1');
  }

  async close(): Promise<void> {
    this.initializing = undefined;
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
