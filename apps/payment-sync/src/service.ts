import type { ServiceDefinition } from '@finmesh/service-kit';
import { PAYMENT_SYNC_MIGRATIONS } from './database/migrations';
import { PaymentSyncModule } from './payment-sync.module';

/**
 * Payments from the ERP: knows the posted (payable) invoices, records Fusion payments against them
 * and publishes PaymentReleased / PaymentConfirmed / PaymentVoided; parks payments for invoices it does not know yet.
 */
export const PaymentSyncService: ServiceDefinition = {
  serviceName: 'payment-sync',
  httpPort: 3004,
  dbSchema: 'payment_sync',
  domainModule: PaymentSyncModule,
  migrations: PAYMENT_SYNC_MIGRATIONS,
};
