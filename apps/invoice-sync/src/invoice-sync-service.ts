import type { ServiceDefinition } from '@finmesh/service-kit';
import { INVOICE_SYNC_MIGRATIONS } from './database/migrations';
import { createInvoiceSyncModule } from './invoice-sync.module';
import { loadInvoiceRules } from './settings/invoice-rules';
import { loadInvoiceSyncSettings } from './settings/invoice-sync-settings';

/**
 * Invoice validation, matching, approval, ERP posting and payment status.
 *
 * Reads its own settings (FINMESH_ERP_BASE_URL, FINMESH_ERP_TIMEOUT_MS, rules file paths) and the
 * rules files from `env`; throws service-kit's ConfigError listing every problem. Tests pass
 * their own env, as they do to createServiceApp.
 */
export function invoiceSyncService(env: Readonly<Record<string, string | undefined>> = process.env): ServiceDefinition {
  const settings = loadInvoiceSyncSettings(env);
  const rules = loadInvoiceRules(settings);
  return {
    serviceName: 'invoice-sync',
    httpPort: 3003,
    dbSchema: 'invoice_sync',
    domainModule: createInvoiceSyncModule(settings, rules),
    migrations: INVOICE_SYNC_MIGRATIONS,
  };
}
