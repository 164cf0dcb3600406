import { readPlatformConnection, type PlatformConnectionRules, type PlatformConnectionSettings } from '../connections/platform-connection';
import type { Environment } from '../credentials/secret';

/**
 * How hard finmesh may call one platform when writing back, shared by every sink of that
 * platform in a service: the token bucket's sustained rate and burst, and when its breaker opens.
 * Read from `<prefix>_DELIVERY_RATE_PER_SECOND`, `_DELIVERY_BURST`, `_DELIVERY_BREAKER_FAILURES`,
 * `_DELIVERY_BREAKER_COOLDOWN_MS`, e.g. FINMESH_COUPA_DELIVERY_RATE_PER_SECOND.
 */
export interface DeliverySettings {
  readonly ratePerSecond: number;
  readonly burst: number;
  /** Consecutive transient failures (5xx, timeouts) that open the breaker. */
  readonly breakerFailures: number;
  /** How long it stays open before one probe goes through. */
  readonly breakerCoolDownMs: number;
}

export function readDeliverySettings(env: Environment, prefix: string, defaults: DeliverySettings): { settings?: DeliverySettings; problems: readonly string[] } {
  const problems: string[] = [];
  const read = (suffix: string, fallback: number, min: number, max: number, whole: boolean): number => {
    const name = `${prefix}_DELIVERY_${suffix}`;
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max || (whole && !Number.isInteger(value))) {
      problems.push(`${name}: must be a ${whole ? 'whole number' : 'number'} between ${min} and ${max} (got '${raw}')`);
    }
    return value;
  };
  const settings: DeliverySettings = {
    ratePerSecond: read('RATE_PER_SECOND', defaults.ratePerSecond, 0.1, 10_000, false),
    burst: read('BURST', defaults.burst, 1, 10_000, true),
    breakerFailures: read('BREAKER_FAILURES', defaults.breakerFailures, 1, 1_000, true),
    breakerCoolDownMs: read('BREAKER_COOLDOWN_MS', defaults.breakerCoolDownMs, 100, 3_600_000, true),
  };
  return problems.length > 0 ? { problems } : { settings, problems };
}

/**
 * Coupa's budget as finmesh spends it by default: Coupa throttles an API client at about 25 calls
 * per second (answering 429 beyond); write-back keeps well under it, leaving room for the polls.
 * The AP platform speaks Coupa's API and takes the same defaults.
 */
export const COUPA_DELIVERY_DEFAULTS: DeliverySettings = { ratePerSecond: 10, burst: 20, breakerFailures: 5, breakerCoolDownMs: 10_000 };

/**
 * Fusion's budget for finmesh's ERP postings (invoice-sync, flow `invoice-postings`; one token per
 * invoice posted, which makes one to three calls). Oracle publishes no fixed per-client rate for
 * Fusion REST (UNCONFIRMED: pods throttle by load and answer 429/503); 20 postings/s with a burst
 * of 40 sits above the flow's measured ~15 invoices/s, so the budget is not what limits month-end,
 * and a tenant that needs less sets FINMESH_ERP_DELIVERY_*. Five consecutive 5xx/timeouts open the
 * breaker for 10 s.
 */
export const FUSION_DELIVERY_DEFAULTS: DeliverySettings = { ratePerSecond: 20, burst: 40, breakerFailures: 5, breakerCoolDownMs: 10_000 };

/** A platform finmesh writes back to: where it is, how to sign in, and the budget to keep to. */
export interface WriteBackTarget {
  readonly connection: PlatformConnectionSettings;
  readonly delivery: DeliverySettings;
}

/**
 * Reads an optional write-back target: none when `configuredBy` (e.g. FINMESH_AP_TOKEN_URL, the
 * client's token endpoint) is unset; otherwise the connection and delivery settings, every bad
 * setting listed by name.
 */
export function readWriteBackTarget(
  env: Environment,
  rules: PlatformConnectionRules,
  defaults: DeliverySettings,
  configuredBy: string,
): { target?: WriteBackTarget; problems: readonly string[] } {
  if (!env[configuredBy]) return { problems: [] };
  const connection = readPlatformConnection(env, rules);
  const delivery = readDeliverySettings(env, rules.prefix, defaults);
  const problems = [...connection.problems, ...delivery.problems];
  if (problems.length > 0 || !connection.settings || !delivery.settings) return { problems };
  return { target: { connection: connection.settings, delivery: delivery.settings }, problems };
}
