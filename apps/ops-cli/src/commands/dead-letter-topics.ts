import { prefixedIngressTopics, prefixedTopics } from '@finmesh/contracts';
import { defaultDeadLetterTopic } from '@finmesh/messaging';
import type { CliContext } from '../cli-context';
import { UsageError } from '../cli-errors';

/**
 * The DLT topics a `dlt` command works on: the ones named with --dlt-topic (they must exist), or
 * else the default dead-letter topic of every catalog topic in the namespace that exists (a
 * consumer creates its DLT on start, so a missing one simply holds nothing).
 */
export async function resolveDeadLetterTopics(ctx: CliContext, named: readonly string[] | undefined): Promise<string[]> {
  const admin = await ctx.admin();
  const existing = new Set(await admin.listTopics());
  if (named && named.length > 0) {
    const unknown = named.filter((t) => !existing.has(t));
    if (unknown.length > 0) throw new UsageError(`no such topic: ${unknown.join(', ')} (check --prefix / FINMESH_TOPIC_PREFIX, or list them with finmesh topics)`);
    return [...new Set(named)];
  }
  const prefix = ctx.settings().topicPrefix;
  return [...prefixedTopics(prefix), ...prefixedIngressTopics(prefix)]
    .map((t) => defaultDeadLetterTopic(t.name))
    .filter((t) => existing.has(t));
}
