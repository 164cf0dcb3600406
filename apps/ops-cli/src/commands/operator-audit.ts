import type { CliContext } from '../cli-context';

/** Who runs an operator action: --actor, else the login name, else "unknown" (never empty). */
export function operatorOf(actor: string | undefined, env: NodeJS.ProcessEnv): string {
  const name = actor?.trim() || env['USER']?.trim() || env['LOGNAME']?.trim();
  return name && name.length > 0 ? name : 'unknown';
}

export interface OperatorAction {
  readonly entityType: 'dead_letter' | 'consumer_group' | 'read_model';
  readonly entityId: string;
  readonly action: string;
  readonly actor: string;
  readonly before: Record<string, unknown>;
  readonly after: Record<string, unknown>;
}

/** Appends an operator action to the audit trail (wired once libs/events/src/audit has landed). */
export async function recordOperatorAction(_ctx: CliContext, _action: OperatorAction): Promise<void> {
  // Intentionally empty until the audit library is available.
}
