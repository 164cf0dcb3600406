import type { Command } from 'commander';
import {
  ConsumerGroupActiveError,
  fetchConsumerLag,
  resetConsumerGroup,
  type ConsumerGroupResetPlan,
} from '@finmesh/ops';
import type { CliContext } from '../cli-context';
import { collect, parsePositiveInt, parseResetTarget } from '../cli-arguments';
import { CommandFailedError, EXIT, UsageError } from '../cli-errors';
import { formatDuration, type Progress } from '../output/progress-bar';
import { renderTable } from '../output/table';
import { followProgress } from './wait-for-progress';
import { auditOptions, operatorOf } from './operator-audit';

interface ReplayFlags {
  readonly group: string;
  readonly from: string;
  readonly topic?: string[];
  readonly dryRun?: boolean;
  readonly force?: boolean;
  readonly wait: boolean;
  readonly timeout?: string;
  readonly actor?: string;
}

export function registerReplayCommand(program: Command, ctx: CliContext): void {
  program
    .command('replay')
    .description("reset a stopped consumer group's offsets, then follow its catch-up (events done / total, rate, ETA)")
    .requiredOption('--group <group>', 'the consumer group to reset (its consumers must be stopped)')
    .requiredOption('--from <earliest|latest|time>', 'earliest, latest, or an ISO-8601 time (first record at or after it)')
    .option('--topic <topic>', 'only these topics (repeatable); default every topic the group has committed offsets for', collect)
    .option('--dry-run', 'show the offsets it would set; change nothing')
    .option('--force', 'wait up to 45 s for members that are shutting down instead of refusing at once')
    .option('--no-wait', 'reset and return; do not follow the catch-up')
    .option('--timeout <seconds>', 'give up following the catch-up after this long (the reset stays)')
    .option('--actor <name>', 'who resets (recorded in the audit trail); default $USER')
    .action(async (flags: ReplayFlags) => {
      const to = parseResetTarget(flags.from);
      const timeoutMs = flags.timeout === undefined ? null : parsePositiveInt(flags.timeout, '--timeout') * 1000;
      const admin = await ctx.admin();
      const topics = flags.topic?.length ? flags.topic : (await admin.fetchOffsets({ groupId: flags.group })).map((t) => t.topic);
      if (topics.length === 0) {
        throw new UsageError(`consumer group ${flags.group} has no committed offsets: name the topics to reset with --topic (see finmesh lag for the groups that exist)`);
      }
      const actor = operatorOf(flags.actor, ctx.io.env);
      let plan: ConsumerGroupResetPlan;
      try {
        // The library appends the audit row itself, once the reset is applied and verified.
        plan = await resetConsumerGroup({
          admin,
          groupId: flags.group,
          topics,
          to,
          dryRun: flags.dryRun === true,
          force: flags.force === true,
          ...(flags.dryRun ? {} : { audit: { ...auditOptions(ctx), pool: ctx.pool(), actor } }),
        });
      } catch (e) {
        if (e instanceof ConsumerGroupActiveError) {
          throw new CommandFailedError(
            `consumer group ${flags.group} is running (${e.memberCount} member(s), state ${e.state}): stop the service that consumes as ${flags.group} ` +
              '(e.g. npm run stop, or stop that one process), then run this again; nothing was changed' +
              (flags.force ? '' : '. Members that are already shutting down: add --force to wait up to 45 s for them to leave'),
          );
        }
        throw e;
      }
      const planTable = () =>
        renderTable(plan.partitions, [
          { header: 'TOPIC', value: (p) => p.topic },
          { header: 'PARTITION', value: (p) => p.partition, align: 'right' },
          { header: 'FROM OFFSET', value: (p) => p.currentOffset, align: 'right' },
          { header: 'TO OFFSET', value: (p) => p.targetOffset, align: 'right' },
        ]);
      if (plan.dryRun) {
        ctx.print(
          () => `${planTable()}\ndry run: ${flags.group} would be reset to ${plan.to}${plan.liveMembers ? ` — but it has ${plan.liveMembers} live member(s) now; stop them first` : ''}`,
          () => ({ plan, catchUp: null }),
        );
        return;
      }
      const lagNow = async () => {
        const [g] = await fetchConsumerLag({ admin, groupIds: [flags.group], topicFilter: (t) => topics.includes(t) });
        return { lag: BigInt(g?.totalLag ?? '0'), members: g?.members ?? 0 };
      };
      const total = (await lagNow()).lag;
      if (!ctx.json) ctx.io.stdout.write(`${planTable()}\nreset ${flags.group} to ${plan.to}: ${total} event(s) to re-read\n`);
      if (!flags.wait || total === 0n) {
        ctx.print(
          () => (flags.wait ? 'nothing to catch up' : `not waiting (--no-wait); start the consumers of ${flags.group} and follow with: finmesh lag --group ${flags.group}`),
          () => ({ plan, catchUp: { total: total.toString(), done: '0', remaining: total.toString(), finished: total === 0n, timedOut: false, elapsedMs: 0 } }),
        );
        return;
      }
      if (!ctx.json) ctx.io.stdout.write(`start the consumers of ${flags.group} now; following the catch-up (Ctrl-C stops following, not the replay)\n`);
      const started = Date.now();
      const toProgress = (lag: bigint, rate: number | null): Progress => ({ done: Number(total - (lag > total ? total : lag)), total: Number(total), ratePerSec: rate });
      const { last, timedOut } = await followProgress(ctx, {
        label: flags.group,
        pollMs: 1000,
        timeoutMs,
        sample: lagNow,
        progressOf: (s, rate) => toProgress(s.lag, rate),
        isDone: (s) => s.lag === 0n,
      });
      const elapsedMs = Date.now() - started;
      const done = total - (last.lag > total ? total : last.lag);
      if (timedOut) ctx.fail(EXIT.failure);
      ctx.print(
        () =>
          timedOut
            ? `stopped following after ${formatDuration(elapsedMs)}: ${done}/${total} re-read, ${last.lag} to go${last.members === 0 ? ' (the group has no members: are its consumers running?)' : ''}; the reset stays`
            : `${flags.group} caught up: ${total} event(s) re-read in ${formatDuration(elapsedMs)} (${elapsedMs > 0 ? ((Number(total) * 1000) / elapsedMs).toFixed(1) : '?'} ev/s)`,
        () => ({ plan, catchUp: { total: total.toString(), done: done.toString(), remaining: last.lag.toString(), finished: !timedOut, timedOut, elapsedMs } }),
      );
    });
}
