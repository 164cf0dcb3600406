import {
  inAuditedTransaction,
  OPS_AUDIT_SERVICE,
  type AuditEntryInput,
  type OperatorAuditOptions,
} from '@finmesh/messaging';
import type { CliContext } from '../cli-context';
import { CommandFailedError } from '../cli-errors';

/** Who runs an operator action: --actor, else the login name, else "unknown" (never empty). */
export function operatorOf(actor: string | undefined, env: NodeJS.ProcessEnv): string {
  const name = actor?.trim() || env['USER']?.trim() || env['LOGNAME']?.trim();
  return name && name.length > 0 ? name : 'unknown';
}

/**
 * The audit option handed to the library functions that record their own operator actions
 * (replayDeadLetters, resetConsumerGroup): they write the rows, the CLI only says where.
 */
export function auditOptions(ctx: CliContext): OperatorAuditOptions {
  return { schema: ctx.settings().auditSchema };
}

/**
 * Appends operator actions the libraries do not record themselves (a DLT purge), in one
 * transaction of their own. Called after the action succeeded: the trail records what was done,
 * and a failure here says so without hiding that the action itself happened.
 */
export async function recordOperatorActions(ctx: CliContext, what: string, entries: ReadonlyArray<Omit<AuditEntryInput, 'service' | 'causingEventId'>>): Promise<void> {
  const options = auditOptions(ctx);
  try {
    await inAuditedTransaction(ctx.pool(), options, async () => ({
      result: undefined,
      audit: entries.map((e) => ({ ...e, causingEventId: null, service: OPS_AUDIT_SERVICE })),
    }));
  } catch (e) {
    throw new CommandFailedError(`${what} was done, but recording it in the audit trail (${options.schema}) failed: ${(e as Error).message}`);
  }
}
