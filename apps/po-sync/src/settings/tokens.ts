/** Injection tokens of po-sync's own providers. */
export const PO_SYNC_SETTINGS = Symbol('po-sync.settings');
