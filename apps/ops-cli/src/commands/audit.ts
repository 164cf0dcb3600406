import type { Command } from 'commander';
import { auditTableExists, verifyAuditChain } from '@finmesh/messaging';
import type { CliContext } from '../cli-context';
import { CommandFailedError, EXIT } from '../cli-errors';

export function registerAuditCommand(program: Command, ctx: CliContext): void {
  const audit = program.command('audit').description('the append-only audit trail');
  audit
    .command('verify')
    .description('re-check the hash chain of the audit trail and name the first row that breaks it (exit 1)')
    .action(async () => {
      const schema = ctx.settings().auditSchema;
      const pool = ctx.pool();
      if (!(await auditTableExists(pool, { schema }))) throw new CommandFailedError(`no audit trail in schema ${schema}: the services create it on start (or set FINMESH_AUDIT_SCHEMA)`);
      const progress = !ctx.json && ctx.io.stdout.isTTY === true;
      const result = await verifyAuditChain(pool, {
        schema,
        ...(progress ? { onProgress: (n: number) => void ctx.io.stdout.write(`\r\x1b[2Kchecked ${n} row(s)`) } : {}),
      });
      if (progress) ctx.io.stdout.write('\n');
      if (!result.ok) ctx.fail(EXIT.failure);
      ctx.print(
        () =>
          result.ok
            ? `audit trail ${schema}: ${result.rowsChecked} row(s), chain intact (last hash ${result.lastHash ?? 'none'}; keep it elsewhere to detect removal of the newest rows)`
            : `audit trail ${schema}: TAMPERED at row ${result.firstBadRow?.id}: ${result.firstBadRow?.reason} (${result.rowsChecked} row(s) checked)`,
        () => ({ schema, ...result }),
      );
    });
}
