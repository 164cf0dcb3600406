import { appendAudit, ensureAuditTable } from '@finmesh/events';
import type { CliContext } from '../cli-context';
import { CommandFailedError } from '../cli-errors';

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

/**
 * Appends an operator action to the audit trail, in its own transaction (appendAudit holds the
 * chain lock until commit). Called after the action succeeded: the trail records what was done,
 * and a failure here says so without hiding that the action itself happened.
 */
export async function recordOperatorAction(ctx: CliContext, action: OperatorAction): Promise<void> {
  const schema = ctx.settings().auditSchema;
  const client = await ctx.pool().connect();
  try {
    await ensureAuditTable(client, { schema });
    await client.query('BEGIN');
    await appendAudit(client, { ...action, causingEventId: null, service: 'finmesh-ops-cli' }, { schema });
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new CommandFailedError(`${action.action} ${action.entityId} was done, but recording it in the audit trail (${schema}) failed: ${(e as Error).message}`);
  } finally {
    client.release();
  }
}
