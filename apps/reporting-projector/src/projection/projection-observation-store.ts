import { topicForEvent, type EventEnvelope } from '@finmesh/contracts';
import type { SqlExecutor } from '@finmesh/persistence';
import { qualified, type ProjectedEvent } from '@finmesh/projection';
import { EVENT_FRESHNESS, PROJECTION_LATENCY } from '../read-models/reporting-tables';

/** Channel the projector NOTIFYs after each committed batch; the dashboard stream listens to it. */
export const READ_MODELS_CHANGED_CHANNEL = 'finmesh_reporting_changed';

/** Latency observations older than this are pruned (they feed "recent" percentiles only). */
const LATENCY_RETENTION = '7 days';

/**
 * SQL for what the projector observes about itself: projection latency per event, the change
 * notification the dashboard listens to, and the freshness per domain the metrics report. The
 * write methods run inside the projection batch's transaction (its hot path: one statement each).
 */
export class ProjectionObservationStore {
  /** One latency row per event (occurred → projected); a redelivered event keeps its first row. */
  async recordLatencies(exec: SqlExecutor, schema: string, events: readonly ProjectedEvent[]): Promise<void> {
    const latencyTable = qualified(schema, PROJECTION_LATENCY.name);
    const values: string[] = [];
    const params: unknown[] = [];
    for (const e of events) {
      const platform = (e.value as { envelope: EventEnvelope }).envelope.sourcePlatform;
      const i = params.length;
      values.push(`($${i + 1}, $${i + 2}, $${i + 3}, $${i + 4}, $${i + 5}::timestamptz, clock_timestamp())`);
      params.push(e.eventId, topicForEvent(e.event).aggregate, platform, e.event, e.occurredAt);
    }
    if (values.length > 0) {
      await exec.query(
        `INSERT INTO ${latencyTable} (event_id, domain, source_platform, event_type, occurred_at, projected_at)
         VALUES ${values.join(', ')} ON CONFLICT (event_id) DO NOTHING`,
        params,
      );
    }
  }

  async pruneLatencies(exec: SqlExecutor, schema: string): Promise<void> {
    await exec.query(`DELETE FROM ${qualified(schema, PROJECTION_LATENCY.name)} WHERE projected_at < now() - interval '${LATENCY_RETENTION}'`);
  }

  /** Tells the dashboards listening on this schema that the read models changed (sent at commit). */
  async notifyChanged(exec: SqlExecutor, schema: string): Promise<void> {
    await exec.query(`SELECT pg_notify($1, $2)`, [READ_MODELS_CHANGED_CHANNEL, schema]);
  }

  /** Seconds since the newest event projected per domain (the service's search_path is its schema). */
  async freshnessByDomain(db: SqlExecutor): Promise<{ domain: string; age: number }[]> {
    return (await db.query(
      `SELECT domain, extract(epoch FROM now() - max(last_occurred_at))::float8 AS age FROM ${EVENT_FRESHNESS.name} GROUP BY domain`,
    )) as { domain: string; age: number }[];
  }
}

/** The one shared instance: a store holds no state, so every caller may use it. */
export const projectionObservations = new ProjectionObservationStore();
