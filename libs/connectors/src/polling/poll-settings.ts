import type { Environment } from '../credentials/secret';

/** How often and how a service polls one platform. */
export interface PollSettings {
  readonly enabled: boolean;
  /** Pause between cycles once a cycle found nothing more. */
  readonly intervalMs: number;
  /** Re-read window behind the watermark (incremental polls), see IncrementalCycleOptions. */
  readonly overlapMs: number;
  readonly pageSize: number;
}

/**
 * Reads `<prefix>_POLL` (on | off, default on), `<prefix>_POLL_INTERVAL_MS` (default 5000),
 * `<prefix>_POLL_OVERLAP_MS` (default 120000: two minutes covers Fusion transactions that commit
 * late) and `<prefix>_POLL_PAGE_SIZE` (default `defaultPageSize`, at most `maxPageSize`).
 */
export function readPollSettings(
  env: Environment,
  prefix: string,
  limits: { readonly defaultPageSize: number; readonly maxPageSize: number },
): { settings?: PollSettings; problems: readonly string[] } {
  const problems: string[] = [];
  const flag = env[`${prefix}_POLL`] ?? 'on';
  if (flag !== 'on' && flag !== 'off') problems.push(`${prefix}_POLL: must be on or off (got '${flag}')`);
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) problems.push(`${name}: must be a whole number between ${min} and ${max} (got '${raw}')`);
    return value;
  };
  const intervalMs = int(`${prefix}_POLL_INTERVAL_MS`, 5000, 50, 3_600_000);
  const overlapMs = int(`${prefix}_POLL_OVERLAP_MS`, 120_000, 0, 86_400_000);
  const pageSize = int(`${prefix}_POLL_PAGE_SIZE`, limits.defaultPageSize, 1, limits.maxPageSize);
  if (problems.length > 0) return { problems };
  return { settings: { enabled: flag === 'on', intervalMs, overlapMs, pageSize }, problems };
}
