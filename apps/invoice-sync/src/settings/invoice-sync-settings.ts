import { ConfigError } from '@finmesh/service-kit';

/**
 * invoice-sync's own settings (the shared ones — Kafka, database, JWT — are service-kit's).
 * Read once at start; every bad setting is reported at once, one line each, as a service-kit
 * ConfigError so the process exits with code 2 like for any other bad setting.
 */
export interface InvoiceSyncSettings {
  readonly erp: {
    /** Base URL of the ERP (Fusion pod), without a trailing slash. */
    readonly baseUrl: string;
    /** Per-request timeout of ERP calls; a timed-out post counts as transient (outcome unknown). */
    readonly timeoutMs: number;
    /**
     * Supplier site invoices are posted to. The canonical supplier record has no ERP sites, so
     * one pay site per supplier is assumed (Fusion requires a site on every invoice).
     */
    readonly supplierSite: string;
  };
  /** Name recorded as approver of automatic approvals (InvoiceApproved.approvedBy). */
  readonly autoApprover: string;
  /** Rules files; undefined = the files in apps/invoice-sync/config. */
  readonly matchTolerancesFile: string | undefined;
  readonly taxCodesFile: string | undefined;
}

// The ERP simulator's default address (tools/erp-simulator), so `npm start` works without setup.
const DEFAULT_ERP_BASE_URL = 'http://127.0.0.1:3900';

export function loadInvoiceSyncSettings(env: Readonly<Record<string, string | undefined>> = process.env): InvoiceSyncSettings {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };

  const rawUrl = value('FINMESH_ERP_BASE_URL') ?? DEFAULT_ERP_BASE_URL;
  let baseUrl = rawUrl;
  try {
    const url = new URL(rawUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.push(`FINMESH_ERP_BASE_URL: must be an http(s) URL (got '${rawUrl}')`);
    baseUrl = rawUrl.replace(/\/+$/, '');
  } catch {
    problems.push(`FINMESH_ERP_BASE_URL: must be a URL such as http://erp.example.com (got '${rawUrl}')`);
  }

  const rawTimeout = value('FINMESH_ERP_TIMEOUT_MS') ?? '10000';
  const timeoutMs = Number(rawTimeout);
  if (!/^\d+$/.test(rawTimeout) || timeoutMs < 100 || timeoutMs > 120_000) {
    problems.push(`FINMESH_ERP_TIMEOUT_MS: must be a whole number of milliseconds between 100 and 120000 (got '${rawTimeout}')`);
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    erp: { baseUrl, timeoutMs, supplierSite: value('FINMESH_ERP_SUPPLIER_SITE') ?? 'MAIN' },
    autoApprover: 'invoice-sync',
    matchTolerancesFile: value('FINMESH_MATCH_TOLERANCES_FILE'),
    taxCodesFile: value('FINMESH_TAX_CODES_FILE'),
  };
}
