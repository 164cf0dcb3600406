/**
 * Who may call the simulated Fusion REST API. Fusion takes HTTP Basic (a Fusion user) or an
 * OAuth 2.0 bearer token from the pod's identity domain; both are configured here.
 *
 * Dev defaults (when `auth.users` / `auth.clients` are not given): user `finmesh` / `finmesh-dev`
 * and OAuth client `finmesh` / `finmesh-dev`, both with access to every resource.
 */
export interface SimulatorUser {
  readonly username: string;
  readonly password: string;
  /** Fusion resources (e.g. 'invoices', 'payablesPayments') the user may call; absent = all. */
  readonly resources?: readonly string[];
}

export interface SimulatorClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Fusion resources its tokens may call; absent = all. */
  readonly resources?: readonly string[];
}

export interface AuthOptions {
  readonly users?: readonly SimulatorUser[];
  readonly clients?: readonly SimulatorClient[];
  /**
   * Serve Fusion routes without credentials (calls are recorded as 'anonymous'). Off by default;
   * for callers that do not authenticate yet.
   */
  readonly allowAnonymous?: boolean;
}

export const DEV_USERS: readonly SimulatorUser[] = [{ username: 'finmesh', password: 'finmesh-dev' }];
export const DEV_CLIENTS: readonly SimulatorClient[] = [{ clientId: 'finmesh', clientSecret: 'finmesh-dev' }];

/**
 * `name:secret` pairs separated by commas or new lines, optionally `name:secret:resource1|resource2`
 * to restrict the resources (the format of ERP_SIM_USERS / ERP_SIM_CLIENTS and their _FILE forms).
 */
export function parseCredentialList(text: string, what: string): Array<{ name: string; secret: string; resources?: string[] }> {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== '' && !s.startsWith('#'))
    .map((entry) => {
      const [name, secret, resources] = entry.split(':');
      if (!name || !secret) throw new Error(`${what}: "${entry.split(':')[0]}:…" must be name:secret[:resource|resource]`);
      return { name, secret, ...(resources ? { resources: resources.split('|').filter((r) => r !== '') } : {}) };
    });
}

export function mayAccess(resources: readonly string[] | undefined, resource: string | null): boolean {
  return resources === undefined || resource === null || resources.includes(resource);
}
