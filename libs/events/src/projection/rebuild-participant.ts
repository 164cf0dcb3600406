import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { EventCodec } from '../codec/event-codec';
import { bulkLoad } from './bulk-load';
import { HistoryReader, type OffsetTargets } from './history-reader';
import type { ProjectedEvent, ReadModelProjection } from './read-model-projection';
import { MemoryRowStore } from './row-store';
import { SqlRowStore } from './sql-row-store';

/** One reader of a rebuild: some of the topics, projected in memory, written to the staging tables. */
/** Where a participant's load time went (ms): reading+decoding+projecting, then COPY. */
export interface ParticipantTimings {
  readonly topics: readonly string[];
  readonly events: number;
  readonly readMs: number;
  readonly copyMs: number;
  readonly rows: number;
}

export interface RebuildParticipant {
  readonly eventsRead: number;
  readonly timings: ParticipantTimings | undefined;
  /** Reads its topics up to `targets`, projects them in memory and COPYs the rows into staging; keeps buffering after that. */
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
  readonly stagingSchema: string;
  readonly topics: readonly string[];
  readonly groupId: string;
}

/** A participant in this thread (also what each worker thread runs). */
export class LocalParticipant implements RebuildParticipant {
  private readonly reader: HistoryReader;
  private readonly pending: ProjectedEvent[] = [];
  timings: ParticipantTimings | undefined;

  constructor(private readonly o: LocalParticipantOptions) {
    this.reader = new HistoryReader(o.kafka, o.codec, o.topics, o.groupId);
  }

  get eventsRead(): number {
    return this.reader.eventsRead;
  }

  async load(targets: OffsetTargets, starts: OffsetTargets): Promise<void> {
    const started = Date.now();
    const memory = new MemoryRowStore();
    await this.reader.start((e) => this.o.projection.apply(memory, e));
    await this.reader.readUntil(targets, starts);
    await this.reader.redirect(async (e) => void this.pending.push(e));
    const read = Date.now();
    let rows = 0;
    const client = await this.o.pool.connect();
    try {
      for (const spec of this.o.projection.tables) {
        if (!spec.observational && memory.count(spec) > 0) rows += await bulkLoad(client, this.o.stagingSchema, spec, memory.rows(spec));
      }
    } finally {
      client.release();
    }
    this.timings = { topics: this.o.topics, events: this.eventsRead, readMs: read - started, copyMs: Date.now() - read, rows };
  }

  async drain(targets: OffsetTargets): Promise<void> {
    await this.reader.readUntil(targets);
    await this.reader.redirect(async () => undefined);
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
