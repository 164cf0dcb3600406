/** Injection tokens of invoice-sync's own providers. */
export const INVOICE_SYNC_SETTINGS = Symbol('invoice-sync.settings');
export const INVOICE_RULES = Symbol('invoice-sync.rules');
