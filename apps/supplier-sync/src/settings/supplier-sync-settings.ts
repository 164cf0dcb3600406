import { COUPA_CONNECTION, FUSION_CONNECTION, readPlatformConnection, readPollSettings, type PlatformConnectionSettings, type PollSettings } from '@finmesh/connectors';
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
  /** The procurement platform supplier holds are written back to (FINMESH_COUPA_*); undefined = none. */
  readonly coupa: PlatformConnectionSettings | undefined;
}

export function loadSupplierSyncSettings(env: Readonly<Record<string, string | undefined>> = process.env): SupplierSyncSettings {
  const problems: string[] = [];
  const erpPoll = readPollSettings(env, 'FINMESH_ERP', { defaultPageSize: 100, maxPageSize: 500 });
  problems.push(...erpPoll.problems);
  const configured = Boolean(env['FINMESH_ERP_AUTH']);
  if (!configured && env['FINMESH_ERP_POLL'] === 'on') problems.push('FINMESH_ERP_AUTH: required to poll suppliers from the ERP (FINMESH_ERP_POLL=on)');
  const fusion = configured ? readPlatformConnection(env, FUSION_CONNECTION) : undefined;
  if (fusion) problems.push(...fusion.problems);
  // Write-back to procurement runs when its client is configured (the token URL is the sign).
  const coupa = env['FINMESH_COUPA_TOKEN_URL'] ? readPlatformConnection(env, COUPA_CONNECTION) : undefined;
  if (coupa) problems.push(...coupa.problems);
  if (problems.length > 0 || !erpPoll.settings) throw new ConfigError(problems);
  return { fusion: fusion?.settings, erpPoll: erpPoll.settings, coupa: coupa?.settings };
}

export const SUPPLIER_SYNC_SETTINGS = Symbol('supplier-sync.settings');
