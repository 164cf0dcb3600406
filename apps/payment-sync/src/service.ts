import type { ServiceDefinition } from '@finmesh/service-kit';
import { paymentSyncService } from './payment-sync-service';

export { paymentSyncService } from './payment-sync-service';

/**
 * payment-sync with the settings of this process's environment (tests, the services health
 * check). main.ts builds it through paymentSyncService() itself so that a bad setting exits with
 * code 2 instead of failing at import.
 */
export const PaymentSyncService: ServiceDefinition = paymentSyncService(process.env);
