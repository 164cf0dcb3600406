import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { parsePositiveInt } from '../cli-arguments';
import { EXIT } from '../cli-errors';
import { formatDuration } from '../output/progress-bar';
import { renderTable } from '../output/table';
import { operatorToken } from '../projector/operator-token';
import { RebuildClient, type RebuildStatus } from '../projector/rebuild-client';
import { followProgress } from './wait-for-progress';

interface RebuildFlags {
  readonly projectorUrl?: string;
  readonly token?: string;
  readonly wait: boolean;
  readonly pollMs?: string;
  readonly timeout?: string;
}

export function registerRebuildCommand(program: Command, ctx: CliContext): void {
  const rebuild = program.command('rebuild').description('rebuild read models from the event history');
  rebuild
    .command('reporting')
    .description('rebuild the reporting read model through the reporting projector, following its progress')
    .option('--projector-url <url>', 'reporting projector base URL (env FINMESH_PROJECTOR_URL; default http://127.0.0.1:3005)')
    .option('--token <token>', 'bearer token with role ops (env FINMESH_TOKEN; default: minted from the local dev secret)')
    .option('--no-wait', 'start the rebuild and return its id')
    .option('--poll-ms <ms>', 'how often to ask for progress', '1000')
    .option('--timeout <seconds>', 'stop following after this long (the rebuild continues)')
    .action(async (flags: RebuildFlags) => {
      const pollMs = parsePositiveInt(flags.pollMs ?? '1000', '--poll-ms');
      const timeoutMs = flags.timeout === undefined ? null : parsePositiveInt(flags.timeout, '--timeout') * 1000;
      const settings = ctx.settings({ projectorUrl: flags.projectorUrl, token: flags.token });
      const client = new RebuildClient(settings.projectorUrl, await operatorToken(settings.token, ctx.io.env));
      const rebuildId = await client.start();
      if (!flags.wait) {
        ctx.print(() => `rebuild ${rebuildId} started; follow it with GET ${settings.projectorUrl}/v1/admin/rebuilds/${rebuildId}`, () => ({ rebuildId, status: 'running' }));
        return;
      }
      if (!ctx.json) ctx.io.stdout.write(`rebuild ${rebuildId} started at ${settings.projectorUrl}\n`);
      const { last, timedOut } = await followProgress(ctx, {
        label: 'reporting',
        pollMs,
        timeoutMs,
        sample: () => client.status(rebuildId),
        progressOf: (s, rate) => ({ done: s.eventsDone, total: s.eventsTotal, ratePerSec: s.ratePerSec > 0 ? s.ratePerSec : rate }),
        isDone: (s) => s.status !== 'running',
      });
      if (timedOut || last.status === 'failed') ctx.fail(EXIT.failure);
      ctx.print(() => rebuildSummary(last, timedOut), () => ({ ...last, timedOut }));
    });
}

/** The final summary of a rebuild: outcome, events, time, rate, and the tables with row counts and checksums. */
export function rebuildSummary(s: RebuildStatus, timedOut: boolean): string {
  const elapsedMs = (s.finishedAt ? Date.parse(s.finishedAt) : Date.now()) - Date.parse(s.startedAt);
  const head = timedOut
    ? `rebuild ${s.rebuildId} still running after ${formatDuration(elapsedMs)}: ${s.eventsDone}/${s.eventsTotal} events (it continues; follow it again later)`
    : s.status === 'succeeded'
      ? `rebuild ${s.rebuildId} succeeded: ${s.eventsDone} events in ${formatDuration(elapsedMs)} (${s.ratePerSec.toFixed(1)} ev/s)`
      : `rebuild ${s.rebuildId} FAILED after ${s.eventsDone}/${s.eventsTotal} events: ${s.error ?? 'no reason given'}`;
  if (s.tables.length === 0) return head;
  const table = renderTable(s.tables, [
    { header: 'TABLE', value: (t) => t.name },
    { header: 'ROWS', value: (t) => t.rows, align: 'right' },
    { header: 'CHECKSUM', value: (t) => t.checksum },
  ]);
  return `${head}\n${table}`;
}
