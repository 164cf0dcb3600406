import type { ServiceDefinition } from '@finmesh/service-kit';

/** Invoice validation, matching and ERP posting (domain rules arrive with issue 4). */
export const InvoiceSyncService: ServiceDefinition = {
  serviceName: 'invoice-sync',
  httpPort: 3003,
  dbSchema: 'invoice_sync',
};
