import type { Command } from 'commander';
import { fetchConsumerLag } from '@finmesh/ops';
import type { CliContext } from '../cli-context';
import { collect } from '../cli-arguments';
import { renderTable } from '../output/table';

export function registerLagCommand(program: Command, ctx: CliContext): void {
  program
    .command('lag')
    .description('consumer lag per group and partition (committed offset vs end of partition)')
    .option('--group <group>', 'only this consumer group (repeatable); default every group', collect)
    .action(async (flags: { group?: string[] }) => {
      const admin = await ctx.admin();
      const prefix = ctx.settings().topicPrefix;
      const groups = await fetchConsumerLag({
        admin,
        ...(flags.group?.length ? { groupIds: flags.group } : {}),
        // In a namespace, only its topics: other namespaces' lag is someone else's business.
        ...(prefix ? { topicFilter: (t: string) => t.startsWith(prefix) } : {}),
      });
      ctx.print(
        () => {
          if (groups.length === 0) return flags.group?.length ? `no committed offsets for ${flags.group.join(', ')}` : 'no consumer groups with committed offsets';
          const rows = groups.flatMap((g) => g.partitions.map((p) => ({ ...p, state: g.state })));
          const totals = groups
            .map((g) => `${g.groupId}: ${g.partitions.length ? `${g.totalLag} behind` : 'no committed offsets'} (${g.state}, ${g.members} member(s))`)
            .join('\n');
          if (rows.length === 0) return totals;
          const table = renderTable(rows, [
            { header: 'GROUP', value: (r) => r.groupId },
            { header: 'STATE', value: (r) => r.state },
            { header: 'TOPIC', value: (r) => r.topic },
            { header: 'PARTITION', value: (r) => r.partition, align: 'right' },
            { header: 'COMMITTED', value: (r) => r.committedOffset, align: 'right' },
            { header: 'END', value: (r) => r.endOffset, align: 'right' },
            { header: 'LAG', value: (r) => r.lag, align: 'right' },
          ]);
          return `${table}\n\n${totals}`;
        },
        () => ({ groups }),
      );
    });
}
