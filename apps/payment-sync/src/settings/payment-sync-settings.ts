import { FUSION_CONNECTION, readPlatformConnection, readPollSettings, type PlatformConnectionSettings, type PollSettings } from '@finmesh/connectors';
import { ConfigError } from '@finmesh/service-kit';

/**
 * payment-sync's own settings. Payments reach it two ways: pushed to POST /v1/erp/payments (an
 * integration layer in front of Fusion), or polled from Fusion's payablesPayments (Fusion raises
 * no payment event an integration can subscribe to). Polling runs when the ERP connection is
 * configured (FINMESH_ERP_AUTH and its credentials); FINMESH_ERP_POLL=off turns it off.
 */
export interface PaymentSyncSettings {
  /** The ERP as the payment poll reaches it; undefined = payments are only pushed. */
  readonly fusion: PlatformConnectionSettings | undefined;
  readonly erpPoll: PollSettings;
}

export function loadPaymentSyncSettings(env: Readonly<Record<string, string | undefined>> = process.env): PaymentSyncSettings {
  const problems: string[] = [];
  const erpPoll = readPollSettings(env, 'FINMESH_ERP', { defaultPageSize: 100, maxPageSize: 500 });
  problems.push(...erpPoll.problems);
  const configured = Boolean(env['FINMESH_ERP_AUTH']);
  if (!configured && env['FINMESH_ERP_POLL'] === 'on') problems.push('FINMESH_ERP_AUTH: required to poll payments from the ERP (FINMESH_ERP_POLL=on)');
  const fusion = configured ? readPlatformConnection(env, FUSION_CONNECTION) : undefined;
  if (fusion) problems.push(...fusion.problems);
  if (problems.length > 0 || !erpPoll.settings) throw new ConfigError(problems);
  return { fusion: fusion?.settings, erpPoll: erpPoll.settings };
}
