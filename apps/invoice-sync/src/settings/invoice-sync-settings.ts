import {
  AP_CONNECTION,
  COUPA_DELIVERY_DEFAULTS,
  FUSION_CONNECTION,
  FUSION_DELIVERY_DEFAULTS,
  readDeliverySettings,
  readPlatformConnection,
  readPollSettings,
  readWriteBackTarget,
  type DeliverySettings,
  type PlatformConnectionSettings,
  type PollSettings,
  type WriteBackTarget,
} from '@finmesh/connectors';
import { legalEntityDirectory, type LegalEntityLookup } from '@finmesh/adapters';
import { ConfigError } from '@finmesh/service-kit';

/**
 * invoice-sync's own settings (the shared ones — Kafka, database, JWT — are service-kit's).
 * Read once at start; every bad setting is reported at once, one line each, as a service-kit
 * ConfigError so the process exits with code 2 like for any other bad setting.
 */
export interface InvoiceSyncSettings {
  readonly erp: {
    /**
     * Supplier site for suppliers whose master came without ERP sites (SupplierUpserted v1, a
     * platform without sites): FINMESH_ERP_SUPPLIER_SITE, default MAIN. Suppliers with sites are
     * posted to their pay site in the invoice's legal entity (posting/supplier-pay-site.ts).
     */
    readonly supplierSite: string;
  };
  /** Business units -> legal entities (FINMESH_LEGAL_ENTITIES), to pick a supplier's pay site. */
  readonly legalEntities: LegalEntityLookup;
  /**
   * The ERP (Fusion) as invoice-sync reaches it, for posting and for the read-back polls:
   * FINMESH_ERP_BASE_URL (the pod), FINMESH_ERP_TIMEOUT_MS (per request; a timed-out post counts
   * as transient, outcome unknown) and the credentials FINMESH_ERP_AUTH, ... (connectors).
   */
  readonly fusion: PlatformConnectionSettings;
  /**
   * The budget and breaker of ERP postings (the sink `fusion:invoice-postings`):
   * FINMESH_ERP_DELIVERY_RATE_PER_SECOND, _BURST, _BREAKER_FAILURES, _BREAKER_COOLDOWN_MS.
   */
  readonly erpDelivery: DeliverySettings;
  /** Polling of the invoices finmesh posted (validation status, holds): FINMESH_ERP_POLL*. */
  readonly erpPoll: PollSettings;
  /**
   * The AP platform, which invoice-sync tells each invoice's fate (write-back/ap-invoice-status.ts):
   * FINMESH_AP_TOKEN_URL and the other FINMESH_AP_* connection settings, FINMESH_AP_DELIVERY_*
   * (connectors). Undefined when FINMESH_AP_TOKEN_URL is not set: then nothing is written back.
   */
  readonly ap: WriteBackTarget | undefined;
  /** Name recorded as approver of automatic approvals (InvoiceApproved.approvedBy). */
  readonly autoApprover: string;
  /** Rules files; undefined = the files in apps/invoice-sync/config. */
  readonly matchTolerancesFile: string | undefined;
  readonly taxCodesFile: string | undefined;
}

export function loadInvoiceSyncSettings(env: Readonly<Record<string, string | undefined>> = process.env): InvoiceSyncSettings {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };

  let legalEntities: LegalEntityLookup | undefined;
  try {
    legalEntities = legalEntityDirectory(env);
  } catch (err) {
    problems.push((err as Error).message);
  }
  const fusion = readPlatformConnection(env, FUSION_CONNECTION);
  problems.push(...fusion.problems);
  // Fusion pages at most 500 rows per request; 100 keeps each poll transaction short.
  const erpPoll = readPollSettings(env, 'FINMESH_ERP', { defaultPageSize: 100, maxPageSize: 500 });
  problems.push(...erpPoll.problems);
  const erpDelivery = readDeliverySettings(env, FUSION_CONNECTION.prefix, FUSION_DELIVERY_DEFAULTS);
  problems.push(...erpDelivery.problems);
  const ap = readWriteBackTarget(env, AP_CONNECTION, COUPA_DELIVERY_DEFAULTS, 'FINMESH_AP_TOKEN_URL');
  problems.push(...ap.problems);

  if (problems.length > 0 || !fusion.settings || !erpPoll.settings || !erpDelivery.settings || !legalEntities) throw new ConfigError(problems);
  return {
    erp: { supplierSite: value('FINMESH_ERP_SUPPLIER_SITE') ?? 'MAIN' },
    legalEntities,
    fusion: fusion.settings,
    erpDelivery: erpDelivery.settings,
    erpPoll: erpPoll.settings,
    ap: ap.target,
    autoApprover: 'invoice-sync',
    matchTolerancesFile: value('FINMESH_MATCH_TOLERANCES_FILE'),
    taxCodesFile: value('FINMESH_TAX_CODES_FILE'),
  };
}
