import { isoTimestamp } from '../codec/iso-time';

/**
 * Which of two versions of one document (a purchase order, a supplier record) wins: the one rule
 * every consumer applies, so that no two services ever hold different versions of the same
 * document.
 *
 *  1. The higher document revision wins (PurchaseOrderChanged raises it; SupplierUpserted carries
 *     the source's).
 *  2. At the same revision, the later event version wins: `occurredAt|eventId`, compared as
 *     text (ISO timestamps sort as text). A platform that sends the same revision twice with
 *     different content (a correction it did not number) is resolved the same way everywhere,
 *     whatever the order of arrival, including in a rebuild.
 *  3. The same version again (a redelivery) changes nothing.
 */

/**
 * The order of events of one aggregate that consumers agree on: occurredAt (ISO, UTC, with
 * milliseconds; given as an instant or as that ISO text already), then event id.
 */
export function eventVersion(occurredAt: Date | number | string, eventId: string): string {
  return `${typeof occurredAt === 'string' ? occurredAt : isoTimestamp(occurredAt)}|${eventId}`;
}

/** A document version as held or as received: its revision and the event version that carried it. */
export interface RevisionStamp {
  readonly revision: number | bigint | string;
  /** {@link eventVersion} of the event that carried it; null for a version held from before versions were kept. */
  readonly version: string | null;
}

/** True when `incoming` replaces `held` (see the rule above); always when nothing is held. */
export function supersedes(incoming: RevisionStamp, held: RevisionStamp | undefined | null): boolean {
  if (!held) return true;
  const a = BigInt(incoming.revision);
  const b = BigInt(held.revision);
  if (a !== b) return a > b;
  // A version held without its event version is replaced by any event at its revision.
  return (incoming.version ?? '') > (held.version ?? '');
}
