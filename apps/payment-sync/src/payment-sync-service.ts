import type { ServiceDefinition } from '@finmesh/service-kit';
import { PAYMENT_SYNC_MIGRATIONS } from './database/migrations';
import { createPaymentSyncModule } from './payment-sync.module';
import { loadPaymentSyncSettings } from './settings/payment-sync-settings';

/**
 * Payments from the ERP: knows the posted (payable) invoices, records Fusion payments (pushed or
 * polled) against them and publishes PaymentReleased / PaymentConfirmed / PaymentVoided; parks
 * payments for invoices it does not know yet. Reads its own settings from `env` (ConfigError
 * listing every problem); tests pass their own env, as they do to createServiceApp.
 */
export function paymentSyncService(env: Readonly<Record<string, string | undefined>> = process.env): ServiceDefinition {
  return {
    serviceName: 'payment-sync',
    httpPort: 3004,
    dbSchema: 'payment_sync',
    domainModule: createPaymentSyncModule(loadPaymentSyncSettings(env)),
    migrations: PAYMENT_SYNC_MIGRATIONS,
  };
}
