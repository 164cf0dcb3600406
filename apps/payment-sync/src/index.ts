/** Entry point of payment-sync for tools, bench and other tests: its service definition (main.ts runs it) and metric catalog. */
export { PaymentSyncService, paymentSyncService } from './service';
export { PAYMENT_SYNC_METRICS } from './metrics/payment-sync-metrics';
