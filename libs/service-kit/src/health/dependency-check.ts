/** Something a service needs in order to do its work; readiness reports each one separately. */
export interface DependencyCheck {
  readonly dependency: string;
  /** Resolves when the dependency answers; rejects with the reason otherwise. */
  check(): Promise<void>;
}

export const DEPENDENCY_CHECKS = Symbol('finmesh.dependency-checks');

export interface DependencyStatus {
  readonly status: 'up' | 'down';
  readonly latencyMs: number;
  readonly error?: string;
}

export interface ReadinessReport {
  readonly status: 'ready' | 'not-ready';
  readonly service: string;
  readonly dependencies: Readonly<Record<string, DependencyStatus>>;
}

/** Runs every check concurrently, each bounded by `timeoutMs`, so one hung dependency cannot hang the probe. */
export async function assessReadiness(
  service: string,
  checks: readonly DependencyCheck[],
  timeoutMs: number,
): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async (c): Promise<[string, DependencyStatus]> => {
      const started = Date.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          c.check(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return [c.dependency, { status: 'up', latencyMs: Date.now() - started }];
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        return [c.dependency, { status: 'down', latencyMs: Date.now() - started, error }];
      } finally {
        if (timer) clearTimeout(timer);
      }
    }),
  );
  const dependencies = Object.fromEntries(results);
  const ready = results.every(([, r]) => r.status === 'up');
  return { status: ready ? 'ready' : 'not-ready', service, dependencies };
}
