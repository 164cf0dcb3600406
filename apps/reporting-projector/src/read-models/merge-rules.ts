import { supersedes } from '@finmesh/contracts';
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
 * Document revisions (PO revision, supplier revision): the contracts' one rule (`supersedes`,
 * document-revision.ts): the higher revision wins, the later event at the same revision, as in
 * every other consumer.
 */
export function higherRevisionWins(row: Row, revisionColumn: string, versionColumn: string, revision: number, e: ProjectedEvent, fields: Row): boolean {
  const heldRevision = row[revisionColumn];
  const held = heldRevision === null || heldRevision === undefined ? undefined : { revision: String(heldRevision), version: (row[versionColumn] as string | null | undefined) ?? null };
  if (!supersedes({ revision, version: e.version }, held)) return false;
  Object.assign(row, fields);
  row[revisionColumn] = String(revision);
  row[versionColumn] = e.version;
  return true;
}
