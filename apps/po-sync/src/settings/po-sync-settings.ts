import {
  COUPA_CONNECTION,
  FUSION_CONNECTION,
  readPlatformConnection,
  readPollSettings,
  type Environment,
  type PlatformConnectionSettings,
  type PollSettings,
} from '@finmesh/connectors';
import { ConfigError } from '@finmesh/service-kit';

/**
 * po-sync's own settings (the shared ones — Kafka, database, JWT — are service-kit's). Read once
 * at start; every bad setting is reported at once, one line each, as a service-kit ConfigError
 * (exit code 2, like any other bad setting).
 */
export interface PoSyncSettings {
  /**
   * Coupa polling (POs and receiving transactions with the exported flag): FINMESH_COUPA_POLL
   * (on | off, default on), FINMESH_COUPA_POLL_INTERVAL_MS, FINMESH_COUPA_POLL_PAGE_SIZE (<= 50) and
   * the connection FINMESH_COUPA_BASE_URL / TOKEN_URL / CLIENT_ID / CLIENT_SECRET / SCOPES.
   * Undefined when polling is off (the connection is then not read either).
   */
  readonly coupa: { readonly connection: PlatformConnectionSettings; readonly poll: PollSettings } | undefined;
  /**
   * Creating POs and receipts in the ERP (Fusion): FINMESH_ERP_PO_SYNC (on | off, default on) and
   * the connection FINMESH_ERP_BASE_URL / AUTH / USERNAME / PASSWORD ... Undefined when off.
   */
  readonly erp: { readonly connection: PlatformConnectionSettings; readonly supplierSite: string | null } | undefined;
}

export function loadPoSyncSettings(env: Environment = process.env): PoSyncSettings {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };

  // Coupa pages at most 50 records per call.
  const poll = readPollSettings(env, 'FINMESH_COUPA', { defaultPageSize: 50, maxPageSize: 50 });
  problems.push(...poll.problems);
  let coupa: PoSyncSettings['coupa'];
  if (poll.settings?.enabled) {
    const connection = readPlatformConnection(env, COUPA_CONNECTION);
    problems.push(...connection.problems);
    if (connection.settings) coupa = { connection: connection.settings, poll: poll.settings };
  }

  const erpFlag = value('FINMESH_ERP_PO_SYNC') ?? 'on';
  let erp: PoSyncSettings['erp'];
  if (erpFlag !== 'on' && erpFlag !== 'off') problems.push(`FINMESH_ERP_PO_SYNC: must be on or off (got '${erpFlag}')`);
  else if (erpFlag === 'on') {
    const connection = readPlatformConnection(env, FUSION_CONNECTION);
    problems.push(...connection.problems);
    // Fusion requires a supplier site on a PO; the canonical PO carries none, so it is configured (or left to the ERP's default).
    if (connection.settings) erp = { connection: connection.settings, supplierSite: value('FINMESH_ERP_SUPPLIER_SITE') ?? null };
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return { coupa, erp };
}
