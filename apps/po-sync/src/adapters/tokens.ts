/** Injection token of the MappingContext (id resolution + legal entities) the Coupa mappers get. */
export const PO_MAPPING_CONTEXT = Symbol('po-sync.mapping-context');
