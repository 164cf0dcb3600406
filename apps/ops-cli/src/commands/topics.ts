import type { Command } from 'commander';
import { prefixedIngressTopics, prefixedTopics } from '@finmesh/contracts';
import { inspectTopics } from '@finmesh/ops';
import type { CliContext } from '../cli-context';
import { EXIT } from '../cli-errors';
import { renderTable } from '../output/table';

export function registerTopicsCommand(program: Command, ctx: CliContext): void {
  program
    .command('topics')
    .description('the topic catalog and its state in the broker (exit 1 when a topic is missing or differs)')
    .action(async () => {
      const prefix = ctx.settings().topicPrefix;
      const topics = await inspectTopics(await ctx.admin(), [...prefixedTopics(prefix), ...prefixedIngressTopics(prefix)]);
      const ok = topics.every((t) => t.problems.length === 0);
      if (!ok) ctx.fail(EXIT.failure);
      ctx.print(
        () => {
          const table = renderTable(topics, [
            { header: 'TOPIC', value: (t) => t.topic },
            { header: 'EXISTS', value: (t) => (t.exists ? 'yes' : 'MISSING') },
            { header: 'PARTITIONS', value: (t) => `${t.partitions ?? '-'}/${t.expectedPartitions}`, align: 'right' },
            { header: 'RETENTION', value: (t) => (t.retentionMs === null ? '-' : t.retentionMs === -1 ? 'forever' : `${t.retentionMs} ms`) },
            { header: 'RECORDS', value: (t) => t.records, align: 'right' },
            { header: 'END OFFSETS', value: (t) => t.endOffsets.map((o) => o.high).join(',') || null },
            { header: 'DLT', value: (t) => (t.deadLetterTopic ? `${t.deadLetterTopic.records} record(s)` : null), align: 'right' },
          ]);
          const problems = topics.flatMap((t) => t.problems.map((p) => `  ! ${t.topic}: ${p}`));
          return `${table}\n${problems.length ? `${problems.join('\n')}\n` : ''}${topics.length} catalog topic(s)${prefix ? ` in namespace ${prefix}` : ''}: ${ok ? 'all as the catalog says' : `${problems.length} problem(s)`}`;
        },
        () => ({ prefix, ok, topics }),
      );
    });
}
