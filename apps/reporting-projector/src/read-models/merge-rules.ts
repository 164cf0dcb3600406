import type { ProjectedEvent, Row } from '@finmesh/projection';

/**
 * Merge rules that make the projection order-independent. Each group of columns that one kind
 * of event sets carries a version column: the event's `version`, `occurredAt|eventId` (ISO
 * timestamps sort as text).
 * A group is overwritten only by a later version (last-writer-wins) or only by an earlier one
 * (first occurrence, for milestones such as "first matched at"). Replaying the same event is a
 * no-op, and the order of arrival never matters.
 */

/** Applies `fields` if `e` is later than the group's current version. */
export function lastWriterWins(row: Row, versionColumn: string, e: ProjectedEvent, fields: Row): void {
  const current = row[versionColumn] as string | null | undefined;
  const version = e.version;
  if (current && current >= version) return;
  Object.assign(row, fields);
  row[versionColumn] = version;
}

/** Applies `fields` if `e` is earlier than the group's current version (first occurrence wins). */
export function firstOccurrenceWins(row: Row, versionColumn: string, e: ProjectedEvent, fields: Row): void {
  const current = row[versionColumn] as string | null | undefined;
  const version = e.version;
  if (current && current <= version) return;
  Object.assign(row, fields);
  row[versionColumn] = version;
}

/**
 * Document revisions (PO revision, supplier revision) order first; the event version breaks ties
 * so that two events claiming the same revision still resolve the same way everywhere.
 */
export function higherRevisionWins(row: Row, revisionColumn: string, versionColumn: string, revision: number, e: ProjectedEvent, fields: Row): boolean {
  const currentRevision = row[revisionColumn] === null || row[revisionColumn] === undefined ? null : BigInt(String(row[revisionColumn]));
  const current = row[versionColumn] as string | null | undefined;
  const version = e.version;
  const rev = BigInt(revision);
  if (currentRevision !== null && (currentRevision > rev || (currentRevision === rev && current && current >= version))) return false;
  Object.assign(row, fields);
  row[revisionColumn] = String(revision);
  row[versionColumn] = version;
  return true;
}
