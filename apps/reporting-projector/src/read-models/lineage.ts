import type { ColumnSpec, ProjectedEvent, Row } from '@finmesh/projection';

/**
 * Lineage columns every read-model row carries: the event that last changed it, and where that
 * event is (topic, partition, offset), so an analyst can trace any figure back to its source.
 */
export const LINEAGE_COLUMNS: readonly ColumnSpec[] = [
  { name: 'last_event_id', type: 'text' },
  { name: 'last_event_type', type: 'text' },
  { name: 'last_occurred_at', type: 'timestamptz' },
  { name: 'last_topic', type: 'text' },
  { name: 'last_partition', type: 'int' },
  { name: 'last_offset', type: 'bigint' },
];

/**
 * "Last" is decided by the events themselves, not by arrival: the greatest (occurredAt, eventId),
 * and for two copies of one event the earliest record. Any delivery order gives the same answer,
 * which is what makes a rebuild equal to the live tables.
 */
export function isLaterThanLineage(e: ProjectedEvent, row: Row): boolean {
  const at = row['last_occurred_at'] as string | null;
  const id = row['last_event_id'] as string | null;
  if (at === null || id === null) return true;
  if (e.occurredAt !== at) return e.occurredAt > at;
  if (e.eventId !== id) return e.eventId > id;
  const sameTopicPartition = e.topic === row['last_topic'] && e.partition === row['last_partition'];
  return sameTopicPartition ? BigInt(e.offset) < BigInt(String(row['last_offset'])) : `${e.topic}:${e.partition}` < `${String(row['last_topic'])}:${String(row['last_partition'])}`;
}

/** Records `e` as the row's lineage if it is the latest event that touched the row. */
export function stampLineage(row: Row, e: ProjectedEvent): void {
  if (!isLaterThanLineage(e, row)) return;
  row['last_event_id'] = e.eventId;
  row['last_event_type'] = e.event;
  row['last_occurred_at'] = e.occurredAt;
  row['last_topic'] = e.topic;
  row['last_partition'] = e.partition;
  row['last_offset'] = e.offset;
}
