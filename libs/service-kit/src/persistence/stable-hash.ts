/**
 * The canonical content hash, for service code (record versions, change detection): the one
 * implementation lives in @finmesh/messaging (content/canonical-content.ts), shared with the
 * inbox's content hash and the audit chain.
 */
export { canonicalJson as stableStringify, contentHash as stableHash } from '@finmesh/messaging';
