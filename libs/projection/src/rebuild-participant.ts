import type { Kafka } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import type { EventCodec, EventName, FieldPaths } from '@finmesh/contracts';
import { quoteIdentifier } from '@finmesh/persistence';
import { HistoryReader, type OffsetTargets } from './history-reader';
import { PROJECTED_EVENT_FIELDS } from './projected-event';
import type { ProjectedEvent, ReadModelProjection } from './read-model-projection';
import { MemoryRowStore } from './row-store';
import { SqlRowStore } from './sql-row-store';
import { buildStagingKeys, loadStagingTable } from './staging-load';

/** Where a participant's load time went (ms): reading+decoding+projecting, COPY, then the key builds still running after it. */
export interface ParticipantTimings {
  readonly topics: readonly string[];
  readonly events: number;
  readonly readMs: number;
  readonly copyMs: number;
  readonly keysMs: number;
  readonly rows: number;
  /** The tables it loaded (into its load schema). */
  readonly tables: readonly string[];
}

/** One reader of a rebuild: some of the topics, projected in memory, written to tables of its own. */
export interface RebuildParticipant {
  readonly eventsRead: number;
  readonly timings: ParticipantTimings | undefined;
  /**
   * Reads its topics up to `targets`, projects them in memory, COPYs the rows into keyed tables in
   * its load schema (see staging-load.ts); keeps buffering what arrives after that.
   */
  load(targets: OffsetTargets, starts: OffsetTargets): Promise<void>;
  /** Reads on up to `targets` and applies everything that arrived since the load to the staging tables. */
  drain(targets: OffsetTargets): Promise<void>;
  close(): Promise<void>;
}

export interface LocalParticipantOptions {
  readonly kafka: Kafka;
  readonly codec: EventCodec;
  readonly pool: Pool;
  readonly projection: ReadModelProjection;
  /** Where the rebuild gathers every table; `drain` writes here. */
  readonly stagingSchema: string;
  /** This participant's own schema for `load` (dropped and created by it). */
  readonly loadSchema: string;
  readonly topics: readonly string[];
  readonly groupId: string;
  /**
   * Connections that load tables at the same time (default 2), each COPYing a table and then
   * building its keys. The pool must have them free (a worker thread sizes its own pool for it).
   * With one, a thread that is the last one still loading keeps only one core busy: measured on
   * the rebuild benchmark, two cut that tail by about a second (of 6-8).
   */
  readonly loadConnections?: number;
}

function withProjectedEventFields(reads: Partial<Record<EventName, FieldPaths>>): Partial<Record<EventName, FieldPaths>> {
  return Object.fromEntries(Object.entries(reads).map(([event, paths]) => [event, [...PROJECTED_EVENT_FIELDS, ...(paths ?? [])]]));
}

/** A participant in this thread (also what each worker thread runs); it uses `loadConnections` (two) of the pool's connections. */
export class LocalParticipant implements RebuildParticipant {
  private readonly reader: HistoryReader;
  private readonly pending: ProjectedEvent[] = [];
  timings: ParticipantTimings | undefined;

  constructor(private readonly o: LocalParticipantOptions) {
    // Decode only what the projection reads (plus what makes a ProjectedEvent), if it says so.
    const codec = o.projection.reads ? o.codec.narrowed(withProjectedEventFields(o.projection.reads)) : o.codec;
    this.reader = new HistoryReader(o.kafka, codec, o.topics, o.groupId);
  }

  get eventsRead(): number {
    return this.reader.eventsRead;
  }

  async load(targets: OffsetTargets, starts: OffsetTargets): Promise<void> {
    const started = Date.now();
    const memory = new MemoryRowStore();
    await this.reader.start((e) => this.o.projection.apply(memory, e));
    await this.reader.readUntil(targets, starts);
    await this.reader.redirect((e) => void this.pending.push(e));
    const read = Date.now();
    const clients: PoolClient[] = [];
    const tables: string[] = [];
    let rows = 0;
    let copied = read; // when the last COPY ended
    try {
      for (let i = 0; i < Math.max(1, this.o.loadConnections ?? 2); i++) clients.push(await this.o.pool.connect());
      const [first] = clients as [PoolClient];
      await first.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(this.o.loadSchema)} CASCADE`);
      await first.query(`CREATE SCHEMA ${quoteIdentifier(this.o.loadSchema)}`);
      // Largest first, so that the connections finish close together.
      const queue = this.o.projection.tables.filter((spec) => !spec.observational && memory.count(spec) > 0).sort((a, b) => memory.count(b) - memory.count(a));
      const loadNext = async (client: PoolClient): Promise<void> => {
        await client.query(`SET maintenance_work_mem = '256MB'`); // sorts for key builds in memory
        for (let spec = queue.shift(); spec; spec = queue.shift()) {
          try {
            const loaded = await loadStagingTable(client, this.o.loadSchema, spec, memory.rows(spec));
            rows += loaded; // after the await: the connections add to it in turn
            copied = Math.max(copied, Date.now());
            memory.release(spec);
            await buildStagingKeys(client, this.o.loadSchema, spec);
            tables.push(spec.name);
          } catch (err) {
            queue.length = 0; // the other connections stop after their current table
            throw err;
          }
        }
      };
      // Every connection is waited for before any is released, even when one fails.
      const failed = (await Promise.allSettled(clients.map(loadNext))).find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    } finally {
      // Pooled connections go back with the server's defaults.
      for (const client of clients) {
        await client.query('RESET maintenance_work_mem').catch(() => undefined);
        client.release();
      }
    }
    this.timings = { topics: this.o.topics, events: this.eventsRead, readMs: read - started, copyMs: copied - read, keysMs: Date.now() - copied, rows, tables };
  }

  async drain(targets: OffsetTargets): Promise<void> {
    await this.reader.readUntil(targets);
    await this.reader.redirect(() => undefined);
    const client = await this.o.pool.connect();
    try {
      await client.query('BEGIN');
      const store = new SqlRowStore(client, this.o.stagingSchema);
      for (const e of this.pending) await this.o.projection.apply(store, e);
      await store.flush();
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.reader.close();
  }
}
