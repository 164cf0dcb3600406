/** Injection tokens of payment-sync's own providers. */
export const PAYMENT_SYNC_SETTINGS = Symbol('payment-sync.settings');
