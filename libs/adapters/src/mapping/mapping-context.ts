/**
 * What a mapper needs from its caller besides the payload: how platform business keys become
 * finmesh ids, and which legal entity a document belongs to. Both are lookups the services own
 * (cross-reference tables, configuration); the mappers stay pure functions.
 */
import { createHash } from 'node:crypto';
import type { FinmeshEventMap, LegalEntityRef, SourcePlatform } from '@finmesh/contracts';

/** Canonical payload of an event without its envelope (the service adds the envelope). */
export type EventPayload<K extends keyof FinmeshEventMap> = Omit<FinmeshEventMap[K], 'envelope'>;

/**
 * A mapper's result: the payload, plus the two envelope facts only the source payload knows.
 * The service builds the envelope (eventId, correlation, causation...) from these.
 */
export interface Mapped<K extends keyof FinmeshEventMap> {
  readonly payload: EventPayload<K>;
  /** Legal entity whose books the fact belongs to (envelope.legalEntity). */
  readonly legalEntity: LegalEntityRef;
  /** When the fact happened in the source platform (envelope.occurredAt). */
  readonly occurredAt: Date;
}

export type FinmeshIdKind = 'supplier' | 'purchase-order' | 'goods-receipt' | 'invoice' | 'payment';

/**
 * A business key of a platform record. The keys are chosen so that the same record gets the same
 * key on every platform: suppliers by ERP supplier number (Coupa `supplier.number`, the capture
 * platform's supplier id, Fusion `SupplierNumber`), purchase orders by PO number. Records that
 * exist on one platform only are keyed by that platform's id.
 */
export interface BusinessKey {
  readonly kind: FinmeshIdKind;
  readonly key: string;
  /** Platform the key was read from. */
  readonly source: SourcePlatform;
}

/** finmesh id for a business key, or undefined when the record is not known to finmesh. */
export type IdResolver = (key: BusinessKey) => string | undefined;

/** Where a legal entity was read from: the hint kinds the platforms offer. */
export type LegalEntityHintKind = 'chart-of-accounts' | 'business-unit' | 'legal-entity-name' | 'company-code';

export interface LegalEntityHint {
  readonly kind: LegalEntityHintKind;
  readonly value: string;
}

/** Legal entity for a hint from the payload, or undefined when none is configured for it. */
export type LegalEntityLookup = (hint: LegalEntityHint) => LegalEntityRef | undefined;

export interface MappingContext {
  readonly ids: IdResolver;
  readonly legalEntities: LegalEntityLookup;
}

// RFC 4122 namespace for finmesh name-based ids (a fixed random UUID; never change it).
const FINMESH_NAMESPACE = '6f1d2c1e-8a4b-4c55-9e0a-3c7d2b9f5a10';

/**
 * Deterministic UUID v5 of `kind:key`: the same business key always yields the same finmesh id,
 * without a lookup table. Suitable for facts that originate on the platform being mapped; NOT for
 * ids that must point at a record created elsewhere (e.g. an ERP invoice id -> the finmesh invoice
 * id assigned at capture): those need a real cross-reference and a resolver returning undefined
 * for unknown keys.
 */
export function nameBasedId(kind: FinmeshIdKind, key: string): string {
  const ns = Buffer.from(FINMESH_NAMESPACE.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(`${kind}:${key}`, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** An IdResolver that knows every key: name-based ids (see {@link nameBasedId}). */
export const nameBasedIds: IdResolver = (key) => nameBasedId(key.kind, key.key);
