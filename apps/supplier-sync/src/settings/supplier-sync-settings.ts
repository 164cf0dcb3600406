import {
  AP_CONNECTION,
  COUPA_CONNECTION,
  COUPA_DELIVERY_DEFAULTS,
  FUSION_CONNECTION,
  readPlatformConnection,
  readPollSettings,
  readWriteBackTarget,
  type PlatformConnectionSettings,
  type PollSettings,
  type WriteBackTarget,
} from '@finmesh/connectors';
import { ConfigError } from '@finmesh/service-kit';

/**
 * supplier-sync's own settings. Suppliers reach it pushed to POST /v1/erp/suppliers, or polled
 * from Fusion's `suppliers` resource (with its sites and addresses). Fusion does raise supplier
 * business events, but an integration receives them through an Oracle Integration (OIC)
 * subscription, which finmesh does not run; without one, polling is the way in. Polling runs when
 * the ERP connection is configured (FINMESH_ERP_AUTH and its credentials).
 */
export interface SupplierSyncSettings {
  readonly fusion: PlatformConnectionSettings | undefined;
  readonly erpPoll: PollSettings;
  /** The procurement platform supplier holds and master data are written back to (FINMESH_COUPA_*); undefined = none. */
  readonly coupa: WriteBackTarget | undefined;
  /** The AP platform, the same (FINMESH_AP_*); undefined = none. */
  readonly ap: WriteBackTarget | undefined;
}

export function loadSupplierSyncSettings(env: Readonly<Record<string, string | undefined>> = process.env): SupplierSyncSettings {
  const problems: string[] = [];
  const erpPoll = readPollSettings(env, 'FINMESH_ERP', { defaultPageSize: 100, maxPageSize: 500 });
  problems.push(...erpPoll.problems);
  const configured = Boolean(env['FINMESH_ERP_AUTH']);
  if (!configured && env['FINMESH_ERP_POLL'] === 'on') problems.push('FINMESH_ERP_AUTH: required to poll suppliers from the ERP (FINMESH_ERP_POLL=on)');
  const fusion = configured ? readPlatformConnection(env, FUSION_CONNECTION) : undefined;
  if (fusion) problems.push(...fusion.problems);
  // Write-back to a platform runs when its client is configured (the token URL is the sign).
  const coupa = readWriteBackTarget(env, COUPA_CONNECTION, COUPA_DELIVERY_DEFAULTS, 'FINMESH_COUPA_TOKEN_URL');
  const ap = readWriteBackTarget(env, AP_CONNECTION, COUPA_DELIVERY_DEFAULTS, 'FINMESH_AP_TOKEN_URL');
  problems.push(...coupa.problems, ...ap.problems);
  if (problems.length > 0 || !erpPoll.settings) throw new ConfigError(problems);
  return { fusion: fusion?.settings, erpPoll: erpPoll.settings, coupa: coupa.target, ap: ap.target };
}

export const SUPPLIER_SYNC_SETTINGS = Symbol('supplier-sync.settings');
