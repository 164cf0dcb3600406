import { authorizerFor } from '../auth/authorizer-for';
import { readPlatformAuthSettings, type PlatformAuthRules, type PlatformAuthSettings } from '../credentials/platform-auth-settings';
import type { Environment } from '../credentials/secret';
import { PlatformHttpClient } from '../http/platform-http-client';
import type { ConnectorObserver } from '../observability/connector-observer';

/** Where a platform is and how finmesh signs in to it. */
export interface PlatformConnectionSettings {
  readonly platform: string;
  readonly baseUrl: string;
  readonly auth: PlatformAuthSettings;
  readonly timeoutMs: number;
}

export interface PlatformConnectionRules extends PlatformAuthRules {
  readonly platform: string;
  /** Base URL when `<prefix>_BASE_URL` is not set (the local simulators); none = required. */
  readonly defaultBaseUrl?: string;
  /** Appended to the instance URL: Fusion's REST root, '' for Coupa (paths start with /api). */
  readonly basePath: string;
}

/** The variable naming the instance URL: `<prefix>_BASE_URL`. */
function urlVariable(rules: PlatformConnectionRules): string {
  return `${rules.prefix}_BASE_URL`;
}

/**
 * Fusion (the ERP) as finmesh reaches it: `FINMESH_ERP_BASE_URL` is the pod
 * (https://<pod>.oraclecloud.com), the REST root `/fscmRestApi/resources/11.13.18.05` is added;
 * `FINMESH_ERP_AUTH` basic (an integration user) or oauth2 (client credentials through the
 * identity domain's token endpoint).
 */
export const FUSION_CONNECTION: PlatformConnectionRules = {
  platform: 'fusion',
  prefix: 'FINMESH_ERP',
  allowed: ['basic', 'oauth2-client-credentials'],
  clientAuthentication: 'basic',
  basePath: '/fscmRestApi/resources/11.13.18.05',
  defaultBaseUrl: 'http://127.0.0.1:3900',
};

/**
 * Coupa as finmesh reaches it: `FINMESH_COUPA_BASE_URL` is the instance (https://<co>.coupahost.com);
 * OAuth 2.0 client credentials only (Coupa's API keys are no longer supported), scopes of the form
 * `service.object.right`, token endpoint `<instance>/oauth2/token`, client id and secret in the
 * form body (Compass, "OAuth 2.0 and OIDC"). Default scopes: the ones Coupa's NetSuite OAuth setup
 * page lists for POs, receiving and invoices (core.purchase_order, core.inventory.receiving,
 * core.invoice; read and write, write for marking records exported), and core.supplier (named in
 * UiPath's Coupa connector guide; not seen on a Compass page) for the supplier-hold write-back.
 */
export const COUPA_CONNECTION: PlatformConnectionRules = {
  platform: 'coupa',
  prefix: 'FINMESH_COUPA',
  allowed: ['oauth2-client-credentials'],
  clientAuthentication: 'body',
  basePath: '',
  defaultBaseUrl: 'http://127.0.0.1:3910',
  defaultScopes: [
    'core.purchase_order.read',
    'core.purchase_order.write',
    'core.inventory.receiving.read',
    'core.inventory.receiving.write',
    'core.invoice.read',
    'core.invoice.write',
    'core.supplier.read',
    'core.supplier.write',
  ],
};

/**
 * The AP automation platform as finmesh reaches it. It speaks Coupa's Core API (finmesh captures
 * AP invoices in Coupa's invoice shape, adapters `ap-automation/`), so the same rules as Coupa
 * with its own instance, credentials and budget: `FINMESH_AP_BASE_URL`, `FINMESH_AP_TOKEN_URL`,
 * `FINMESH_AP_CLIENT_ID`, `FINMESH_AP_CLIENT_SECRET`. Scopes: invoices (read the invoice, write
 * its fate: approval, void, payment information, custom fields, comments) and suppliers (the
 * supplier hold and master write-back).
 */
export const AP_CONNECTION: PlatformConnectionRules = {
  platform: 'ap',
  prefix: 'FINMESH_AP',
  allowed: ['oauth2-client-credentials'],
  clientAuthentication: 'body',
  basePath: '',
  defaultBaseUrl: 'http://127.0.0.1:3920',
  defaultScopes: ['core.invoice.read', 'core.invoice.write', 'core.supplier.read', 'core.supplier.write'],
};

/** Reads a platform's connection settings; every bad setting is listed, by name. */
export function readPlatformConnection(env: Environment, rules: PlatformConnectionRules): { settings?: PlatformConnectionSettings; problems: readonly string[] } {
  const problems: string[] = [];
  const rawUrl = env[urlVariable(rules)] || rules.defaultBaseUrl;
  let baseUrl: string | undefined;
  if (!rawUrl) problems.push(`${urlVariable(rules)}: required`);
  else if (!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(rawUrl)) problems.push(`${urlVariable(rules)}: must be an http(s) URL (got '${rawUrl}')`);
  else baseUrl = `${rawUrl.replace(/\/+$/, '')}${rules.basePath}`;
  const rawTimeout = env[`${rules.prefix}_TIMEOUT_MS`];
  const timeoutMs = rawTimeout ? Number(rawTimeout) : 10_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 300_000) problems.push(`${rules.prefix}_TIMEOUT_MS: must be a whole number of ms between 100 and 300000 (got '${rawTimeout}')`);
  const auth = readPlatformAuthSettings(env, rules);
  problems.push(...auth.problems);
  if (problems.length > 0 || !baseUrl || !auth.settings) return { problems };
  return { settings: { platform: rules.platform, baseUrl, auth: auth.settings, timeoutMs }, problems };
}

/** The authenticated HTTP client of a configured platform. */
export function platformClient(settings: PlatformConnectionSettings, observer?: ConnectorObserver): PlatformHttpClient {
  return new PlatformHttpClient({
    platform: settings.platform,
    baseUrl: settings.baseUrl,
    timeoutMs: settings.timeoutMs,
    authorizer: authorizerFor(settings.platform, settings.auth, observer),
    ...(observer ? { observer } : {}),
  });
}
