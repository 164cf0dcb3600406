import type { ServiceDefinition } from '@finmesh/service-kit';

/** Payment runs from the ERP: released and confirmed payments (domain rules arrive with issue 4). */
export const PaymentSyncService: ServiceDefinition = {
  serviceName: 'payment-sync',
  httpPort: 3004,
  dbSchema: 'payment_sync',
};
