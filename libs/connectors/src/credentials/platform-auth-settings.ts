import { readSecret, type Environment, type Secret } from './secret';

/** HTTP Basic over TLS: Fusion's integration users. */
export interface BasicAuthSettings {
  readonly kind: 'basic';
  readonly username: string;
  readonly password: Secret;
}

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4): Fusion through its identity domain, Coupa's
 * OIDC client. `clientAuthentication` says how the client proves itself to the token endpoint:
 * an HTTP Basic header (RFC 6749 §2.3.1, Oracle identity domains) or client_id/client_secret in
 * the form body (Coupa's documented request).
 */
export interface ClientCredentialsSettings {
  readonly kind: 'oauth2-client-credentials';
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: Secret;
  readonly scopes: readonly string[];
  readonly clientAuthentication: 'basic' | 'body';
}

export type PlatformAuthSettings = BasicAuthSettings | ClientCredentialsSettings;

export interface PlatformAuthSettingsResult {
  readonly settings?: PlatformAuthSettings;
  /** One message per bad setting, each naming the variable; never a secret's value. */
  readonly problems: readonly string[];
}

export interface PlatformAuthRules {
  /** Variable prefix, e.g. `FINMESH_FUSION` reads FINMESH_FUSION_AUTH, FINMESH_FUSION_USERNAME... */
  readonly prefix: string;
  /** Which kinds the platform offers (Coupa: OAuth only; its API keys are deprecated). */
  readonly allowed: readonly PlatformAuthSettings['kind'][];
  /** How this platform's token endpoint authenticates clients. */
  readonly clientAuthentication: ClientCredentialsSettings['clientAuthentication'];
  /** Scopes used when `${prefix}_SCOPES` is not set. */
  readonly defaultScopes?: readonly string[];
}

const KIND_NAMES: Readonly<Record<string, PlatformAuthSettings['kind']>> = {
  basic: 'basic',
  oauth2: 'oauth2-client-credentials',
  'oauth2-client-credentials': 'oauth2-client-credentials',
};

/**
 * Reads one platform's credentials from the environment (secrets also from `_FILE` variables):
 *
 *   <P>_AUTH            basic | oauth2            (default: the first allowed kind)
 *   <P>_USERNAME, <P>_PASSWORD[_FILE]             for basic
 *   <P>_TOKEN_URL, <P>_CLIENT_ID, <P>_CLIENT_SECRET[_FILE], <P>_SCOPES (space-separated)  for oauth2
 *
 * Every problem is reported at once, so one deployment pass fixes them all.
 */
export function readPlatformAuthSettings(env: Environment, rules: PlatformAuthRules): PlatformAuthSettingsResult {
  const p = rules.prefix;
  const problems: string[] = [];
  const rawKind = env[`${p}_AUTH`];
  const kind = rawKind ? KIND_NAMES[rawKind] : rules.allowed[0];
  if (!kind || !rules.allowed.includes(kind)) {
    const names = rules.allowed.map((k) => (k === 'basic' ? 'basic' : 'oauth2'));
    return { problems: [`${p}_AUTH: must be one of ${names.join(', ')} (got '${rawKind ?? ''}')`] };
  }
  const required = (name: string): string | undefined => {
    const value = env[name];
    if (!value) problems.push(`${name}: required when ${p}_AUTH is ${kind === 'basic' ? 'basic' : 'oauth2'}`);
    return value || undefined;
  };
  const secret = (name: string): Secret | undefined => {
    const read = readSecret(env, name);
    if (read.problem) problems.push(read.problem);
    else if (!read.secret) problems.push(`${name}: required (or ${name}_FILE) when ${p}_AUTH is ${kind === 'basic' ? 'basic' : 'oauth2'}`);
    return read.secret;
  };

  if (kind === 'basic') {
    const username = required(`${p}_USERNAME`);
    const password = secret(`${p}_PASSWORD`);
    if (problems.length > 0 || !username || !password) return { problems };
    return { settings: { kind, username, password }, problems };
  }
  const tokenUrl = required(`${p}_TOKEN_URL`);
  if (tokenUrl && !/^https?:\/\/[^\s]+$/.test(tokenUrl)) problems.push(`${p}_TOKEN_URL: must be an http(s) URL (got '${tokenUrl}')`);
  const clientId = required(`${p}_CLIENT_ID`);
  const clientSecret = secret(`${p}_CLIENT_SECRET`);
  const rawScopes = env[`${p}_SCOPES`];
  const scopes = rawScopes ? rawScopes.split(/\s+/).filter((s) => s.length > 0) : [...(rules.defaultScopes ?? [])];
  if (problems.length > 0 || !tokenUrl || !clientId || !clientSecret) return { problems };
  return {
    settings: { kind, tokenUrl, clientId, clientSecret, scopes, clientAuthentication: rules.clientAuthentication },
    problems,
  };
}
