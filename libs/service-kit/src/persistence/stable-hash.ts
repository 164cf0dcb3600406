/**
 * The canonical content hash, for service code (record versions, change detection): the one
 * implementation lives in @finmesh/messaging (content/canonical-content.ts), shared with the
 * audit chain. (The inbox compares Avro content digests instead: EventCodec.contentDigest.)
 */
export { canonicalJson as stableStringify, contentHash as stableHash } from '@finmesh/messaging';
