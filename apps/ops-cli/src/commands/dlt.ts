import type { Command } from 'commander';
import { EventCodec, localSchemaSource, maskSensitiveFields } from '@finmesh/contracts';
import {
  deadLetterSummary,
  formatDeadLetterPosition,
  purgeDeadLetters,
  readDeadLetters,
  replayDeadLetters,
  ReplayLedger,
  summarizeDeadLetters,
  type DeadLetterRecord,
  type PlannedReplay,
  type RawHeaderValue,
} from '@finmesh/ops';
import type { CliContext } from '../cli-context';
import { collect, deadLetterFilterFrom, parseOffset, type DeadLetterFilterFlags } from '../cli-arguments';
import { EXIT, UsageError } from '../cli-errors';
import { confirm } from '../output/confirm';
import { formatDuration } from '../output/progress-bar';
import { renderTable } from '../output/table';
import { resolveDeadLetterTopics } from './dead-letter-topics';
import { auditOptions, operatorOf, recordOperatorActions } from './operator-audit';

interface DltTopicFlags {
  readonly dltTopic?: string[];
}

function addFilterOptions(cmd: Command): Command {
  return cmd
    .option('--error-class <class>', 'PERMANENT or TRANSIENT_EXHAUSTED (repeatable)', collect)
    .option('--error-code <code>', 'error code, e.g. BUSINESS_RULE (repeatable)', collect)
    .option('--group <group>', 'consumer group that dead-lettered the record (repeatable)', collect)
    .option('--source-topic <topic>', 'original topic (repeatable)', collect)
    .option('--since <time>', 'dead-lettered at or after this ISO-8601 time')
    .option('--until <time>', 'dead-lettered before this ISO-8601 time')
    .option('--key <key>', 'record key (the aggregate id)')
    .option('--offset <position>', 'DLT position partition:offset or topic:partition:offset (repeatable)', collect);
}

function addTopicOption(cmd: Command): Command {
  return cmd.option('--dlt-topic <topic>', 'DLT topic to read (repeatable); default: every catalog DLT in the namespace', collect);
}

/** Asks the operator; a refusal (or no answer) is reported and ends the command with exit code 1. */
async function confirmedOrRefused(ctx: CliContext, question: string, nonInteractiveHint: string, nothingDone: string): Promise<boolean> {
  const ok = await confirm({ question, input: ctx.io.stdin, output: ctx.io.stderr, nonInteractiveHint });
  if (!ok) {
    ctx.note(`not confirmed: ${nothingDone}`);
    ctx.fail(EXIT.failure);
  }
  return ok;
}

/** One dead letter as `dlt list --records` shows it (the replay plan's shape): no payload bytes. */
function recordLine(r: DeadLetterRecord, alreadyReplayed: boolean | null): Omit<PlannedReplay, 'alreadyReplayed'> & { alreadyReplayed: boolean | null } {
  return { ...deadLetterSummary(r), alreadyReplayed };
}

function planTable(rows: ReadonlyArray<Omit<PlannedReplay, 'alreadyReplayed'> & { alreadyReplayed: boolean | null }>): string {
  return renderTable(rows, [
    { header: 'POSITION', value: (r) => `${r.dltTopic}:${r.dltPartition}:${r.dltOffset}` },
    { header: 'KEY', value: (r) => r.key },
    { header: 'GROUP', value: (r) => r.consumerGroup },
    { header: 'ERROR', value: (r) => `${r.errorClass}/${r.errorCode}` },
    { header: 'DEAD-LETTERED', value: (r) => r.deadLetteredAt.toISOString() },
    { header: '→ SOURCE', value: (r) => `${r.originalTopic}:${r.originalPartition}` },
    { header: 'REPLAYED', value: (r) => (r.alreadyReplayed === null ? null : r.alreadyReplayed ? 'yes' : 'no') },
  ]);
}

export function registerDltCommand(program: Command, ctx: CliContext): void {
  const dlt = program.command('dlt').description('inspect, replay and purge dead letters');

  addFilterOptions(addTopicOption(dlt.command('list')))
    .description('dead letters grouped by DLT topic, consumer group and error class, with counts and ages')
    .option('--records', 'also list every dead letter (position, key, error)')
    .action(async (flags: DeadLetterFilterFlags & DltTopicFlags & { records?: boolean }) => {
      const filter = deadLetterFilterFrom(flags);
      const dltTopics = await resolveDeadLetterTopics(ctx, flags.dltTopic);
      const records = await readDeadLetters({ kafka: ctx.kafka(), dltTopics, filter });
      const now = new Date();
      // Replayed dead letters stay in the DLT until purged: say which ones, so the operator knows what is left.
      const replayed = await new ReplayLedger(ctx.pool(), ctx.settings().opsSchema).alreadyReplayed(records).catch((e: unknown) => {
        ctx.io.stderr.write(`finmesh: cannot read the replay ledger (${(e as Error).message}); replayed counts unknown\n`);
        return null;
      });
      const isReplayed = (r: DeadLetterRecord) => (replayed ? replayed.has(formatDeadLetterPosition(r)) : null);
      const groups = summarizeDeadLetters(records, now).map((g) => ({
        ...g,
        replayed: replayed
          ? records.filter((r) => r.dltTopic === g.dltTopic && r.consumerGroup === g.consumerGroup && r.errorClass === g.errorClass && isReplayed(r)).length
          : null,
      }));
      ctx.print(
        () => {
          if (records.length === 0) return `no dead letters in ${dltTopics.length} DLT topic(s)${dltTopics.length ? `: ${dltTopics.join(', ')}` : ''}`;
          const table = renderTable(groups, [
            { header: 'DLT TOPIC', value: (g) => g.dltTopic },
            { header: 'GROUP', value: (g) => g.consumerGroup },
            { header: 'ERROR CLASS', value: (g) => g.errorClass },
            { header: 'COUNT', value: (g) => g.count, align: 'right' },
            { header: 'REPLAYED', value: (g) => g.replayed, align: 'right' },
            { header: 'OLDEST', value: (g) => formatDuration(g.oldestAgeMs), align: 'right' },
            { header: 'NEWEST', value: (g) => formatDuration(g.newestAgeMs), align: 'right' },
          ]);
          const list = flags.records ? `\n\n${planTable(records.map((r) => recordLine(r, isReplayed(r))))}` : '';
          return `${table}\n${records.length} dead letter(s)${list}`;
        },
        () => ({ dltTopics, total: records.length, groups, ...(flags.records ? { records: records.map((r) => recordLine(r, isReplayed(r))) } : {}) }),
      );
    });

  addTopicOption(dlt.command('show'))
    .description('one dead letter: decoded value (bank details and tax ids masked), headers and failure')
    .argument('<position>', 'topic:partition:offset, or partition:offset with --dlt-topic')
    .action(async (position: string, flags: DltTopicFlags) => {
      const offset = parseOffset(position);
      if (!offset.dltTopic && (flags.dltTopic?.length ?? 0) !== 1) {
        throw new UsageError(`"${position}" does not name its DLT topic: use topic:partition:offset, or pass exactly one --dlt-topic`);
      }
      const dltTopics = await resolveDeadLetterTopics(ctx, offset.dltTopic ? [offset.dltTopic] : flags.dltTopic);
      const [record] = await readDeadLetters({ kafka: ctx.kafka(), dltTopics, filter: { offsets: [offset] } });
      if (!record) {
        ctx.io.stderr.write(`no dead letter at ${dltTopics[0]}:${offset.partition}:${offset.offset} (purged, or not written yet); see finmesh dlt list --records\n`);
        ctx.fail(EXIT.failure);
        return;
      }
      const shown = await describeRecord(ctx, record);
      ctx.print(() => humanRecord(shown), () => shown);
    });

  addFilterOptions(addTopicOption(dlt.command('replay')))
    .description('re-publish dead letters to their source topics (to the original partition, original bytes)')
    .option('--dry-run', 'list what would be replayed; replay nothing')
    .option('-y, --yes', 'replay without asking for confirmation')
    .option('--include-already-replayed', 'also replay dead letters the replay ledger shows as replayed before')
    .option('--actor <name>', 'who replays (recorded in the ledger and the audit trail); default $USER')
    .action(async (flags: DeadLetterFilterFlags & DltTopicFlags & { dryRun?: boolean; yes?: boolean; includeAlreadyReplayed?: boolean; actor?: string }) => {
      const filter = deadLetterFilterFrom(flags);
      const dltTopics = await resolveDeadLetterTopics(ctx, flags.dltTopic);
      const actor = operatorOf(flags.actor, ctx.io.env);
      const common = { kafka: ctx.kafka(), pool: ctx.pool(), dltTopics, actor, includeAlreadyReplayed: flags.includeAlreadyReplayed === true, ledgerSchema: ctx.settings().opsSchema };
      const plan = await replayDeadLetters({ ...common, filter, dryRun: true });
      const shownPlan = () => (plan.planned.length ? `${planTable(plan.planned)}\n` : '');
      if (flags.dryRun || plan.planned.length === 0) {
        ctx.print(
          () =>
            `${shownPlan()}${plan.planned.length} dead letter(s) would be replayed` +
            (plan.skippedAlreadyReplayed ? `, ${plan.skippedAlreadyReplayed} skipped as already replayed (--include-already-replayed to replay them again)` : '') +
            (flags.dryRun ? ' (dry run: nothing moved)' : ''),
          () => ({ ...plan, replayId: null }),
        );
        return;
      }
      if (!flags.yes) {
        if (!ctx.json) ctx.io.stderr.write(shownPlan());
        const question = `Replay ${plan.planned.length} dead letter(s) to their source topics?`;
        if (!(await confirmedOrRefused(ctx, question, 'pass --yes to replay without a prompt (check the plan first with --dry-run)', 'nothing replayed'))) return;
      }
      // Exactly the confirmed records: dead letters arriving after the prompt wait for the next run.
      const confirmed = plan.planned.map((p) => ({ dltTopic: p.dltTopic, partition: p.dltPartition, offset: p.dltOffset }));
      // The library appends one audit row per replayed dead letter, in the ledger row's transaction.
      const result = await replayDeadLetters({ ...common, filter: { ...filter, offsets: confirmed }, dryRun: false, audit: auditOptions(ctx) });
      ctx.print(
        () => `replayed ${result.replayed} dead letter(s) (replay ${result.replayId})` + (result.skippedAlreadyReplayed ? `; ${result.skippedAlreadyReplayed} skipped as already replayed` : ''),
        () => result,
      );
    });

  addTopicOption(dlt.command('purge'))
    .description('delete every dead letter now in the DLT topics (Kafka deletes whole partition prefixes)')
    .option('--dry-run', 'show what would be deleted; delete nothing')
    .option('-y, --yes', 'purge without asking for confirmation (required when stdin is not a terminal)')
    .option('--actor <name>', 'who purges (recorded in the purge ledger and the audit trail); default $USER')
    .action(async (flags: DltTopicFlags & { dryRun?: boolean; yes?: boolean; actor?: string }) => {
      const dltTopics = await resolveDeadLetterTopics(ctx, flags.dltTopic);
      const actor = operatorOf(flags.actor, ctx.io.env);
      const admin = await ctx.admin();
      const ledgerSchema = ctx.settings().opsSchema;
      const plan = await purgeDeadLetters({ admin, pool: ctx.pool(), dltTopics, actor, dryRun: true, ledgerSchema });
      const table = () =>
        renderTable(plan.partitions, [
          { header: 'DLT TOPIC', value: (p) => p.dltTopic },
          { header: 'PARTITION', value: (p) => p.dltPartition, align: 'right' },
          { header: 'OFFSETS', value: (p) => `${p.fromOffset}..${BigInt(p.toOffset) - 1n}` },
          { header: 'RECORDS', value: (p) => p.records, align: 'right' },
        ]);
      if (flags.dryRun || plan.partitions.length === 0) {
        ctx.print(
          () => (plan.partitions.length ? `${table()}\n${plan.records} dead letter(s) would be deleted (dry run: nothing deleted)` : 'no dead letters to purge'),
          () => ({ ...plan, purgeId: null, purged: '0' }),
        );
        return;
      }
      if (!flags.yes) {
        if (!ctx.json) ctx.io.stderr.write(`${table()}\n`);
        const question = `Delete ${plan.records} dead letter(s) for good? Kafka cannot undo this.`;
        if (!(await confirmedOrRefused(ctx, question, 'pass --yes to purge without a prompt (see what would go with --dry-run)', 'nothing purged'))) return;
      }
      const result = await purgeDeadLetters({ admin, pool: ctx.pool(), dltTopics, actor, dryRun: false, limitTo: plan.partitions, ledgerSchema });
      await recordOperatorActions(
        ctx,
        `purge ${result.purgeId}`,
        result.partitions.map((p) => ({
          entityType: 'dead_letter' as const,
          entityId: `${p.dltTopic}/${p.dltPartition}`,
          action: 'dead_letter.purged',
          actor,
          before: { dltTopic: p.dltTopic, dltPartition: p.dltPartition, fromOffset: p.fromOffset, toOffset: p.toOffset },
          after: { purgeId: result.purgeId, records: p.records },
        })),
      );
      ctx.print(
        () => `purged ${result.records} dead letter(s) from ${new Set(result.partitions.map((p) => p.dltTopic)).size} DLT topic(s) (purge ${result.purgeId})`,
        () => ({ ...result, purged: result.records }),
      );
    });

}

interface ShownRecord {
  readonly position: string;
  readonly key: string | null;
  readonly failure: {
    readonly errorClass: string;
    readonly errorCode: string;
    readonly errorMessage: string;
    readonly consumerGroup: string;
    readonly attempts: number;
    readonly firstFailureAt: Date;
    readonly deadLetteredAt: Date;
    readonly previouslyReplayedFrom: string | null;
  };
  readonly source: { readonly topic: string; readonly partition: number; readonly offset: string; readonly timestamp: string };
  readonly headers: Readonly<Record<string, string | string[]>>;
  /** The decoded event, sensitive fields masked; null when the bytes could not be decoded. */
  readonly value: { readonly event: string; readonly schemaId: number; readonly fields: unknown } | null;
  readonly decodeError: string | null;
  readonly valueBytes: number;
}

async function describeRecord(ctx: CliContext, r: DeadLetterRecord): Promise<ShownRecord> {
  let value: ShownRecord['value'] = null;
  let decodeError: string | null = null;
  try {
    const decoded = await EventCodec.create(ctx.settings().registryUrl, localSchemaSource()).decode(r.value);
    value = { event: decoded.event, schemaId: decoded.schemaId, fields: maskSensitiveFields(decoded.value) };
  } catch (e) {
    // An undecodable record is a common reason to be here; its raw bytes are not shown (they may hold bank details).
    decodeError = (e as Error).message;
  }
  const headerText = (v: RawHeaderValue): string | string[] => (Array.isArray(v) ? (v as Buffer[]).map(printable) : printable(v as Buffer));
  return {
    position: `${r.dltTopic}:${r.dltPartition}:${r.dltOffset}`,
    key: r.key === null ? null : r.key.toString('utf8'),
    failure: {
      errorClass: r.errorClass,
      errorCode: r.errorCode,
      errorMessage: r.errorMessage,
      consumerGroup: r.consumerGroup,
      attempts: r.attempts,
      firstFailureAt: r.firstFailureAt,
      deadLetteredAt: r.deadLetteredAt,
      previouslyReplayedFrom: r.previouslyReplayedFrom,
    },
    source: { topic: r.originalTopic, partition: r.originalPartition, offset: r.originalOffset, timestamp: r.originalTimestamp },
    headers: Object.fromEntries(Object.entries(r.originalHeaders).map(([k, v]) => [k, headerText(v)])),
    value,
    decodeError,
    valueBytes: r.value?.length ?? 0,
  };
}

/** Header bytes as text when they are printable UTF-8, else as base64 (trace ids, binary flags). */
function printable(b: Buffer): string {
  const text = b.toString('utf8');
  return /^[\x20-\x7e\u00a0-\uffff]*$/.test(text) && !text.includes('\ufffd') ? text : `base64:${b.toString('base64')}`;
}

function humanRecord(s: ShownRecord): string {
  const f = s.failure;
  const lines = [
    `dead letter ${s.position}   key ${s.key ?? '(null)'}`,
    `  failed in group ${f.consumerGroup}: ${f.errorClass}/${f.errorCode} after ${f.attempts} attempt(s)`,
    `  message: ${f.errorMessage || '(none)'}`,
    `  first failure ${f.firstFailureAt.toISOString()}, dead-lettered ${f.deadLetteredAt.toISOString()}`,
    `  source ${s.source.topic}:${s.source.partition}:${s.source.offset} (record time ${new Date(Number(s.source.timestamp)).toISOString()})`,
  ];
  if (f.previouslyReplayedFrom) lines.push(`  this record was itself a replay of ${f.previouslyReplayedFrom}`);
  lines.push('headers:');
  for (const [k, v] of Object.entries(s.headers)) lines.push(`  ${k}: ${Array.isArray(v) ? v.join(', ') : v}`);
  if (s.value) {
    lines.push(`value: ${s.value.event} (schema id ${s.value.schemaId}; bank details and tax ids masked)`);
    lines.push(JSON.stringify(s.value.fields, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2).replace(/^/gm, '  '));
  } else {
    lines.push(`value: ${s.valueBytes} byte(s), not decodable: ${s.decodeError}`);
  }
  return lines.join('\n');
}
