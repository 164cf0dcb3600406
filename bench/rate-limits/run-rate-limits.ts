/**
 * `npm run bench:rate-limits [-- --seconds 5 --rate 50 --burst 20 --concurrency 8]`
 *
 * The HTTP rate limits (service-kit http-api/rate-limits) on a real service (po-sync on the local
 * stack), measured in one run:
 *   1. limited: one platform client with `--rate`/s and bursts of `--burst` on reads sends GETs
 *      as fast as `--concurrency` connections allow for `--seconds`: admitted per second (expected
 *      ≈ rate + burst / seconds), 429s, and whether every 429 had a Retry-After;
 *   2. reference: the same requests from a client whose limit is out of the way, in the same run:
 *      what the service answers without the limiter refusing anything;
 *   3. isolation: while (1) runs flat out, a third client's writes are all admitted.
 * Prints the figures and writes bench/results/rate-limits.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { mintDevToken } from '@finmesh/service-kit';
import { PoSyncService } from '@finmesh/po-sync';
import { createTestSchema, dropTestSchema, provisionTestNamespace, startServiceUnderTest } from '@finmesh/testing';
import { cliInt, perSecond, REPO_ROOT, runCli } from '../backbone/bench-support';

const SECRET = 'bench-rate-limits-secret-0123456789abcdef01';

interface Burst {
  readonly sent: number;
  readonly admitted: number;
  readonly refused: number;
  readonly refusedWithRetryAfter: number;
  readonly retryAfterSeconds: readonly number[];
  readonly elapsedMs: number;
}

/** GETs for `seconds` over `concurrency` connections; 429s are counted apart from everything else. */
async function hammer(url: string, token: string, seconds: number, concurrency: number): Promise<Burst> {
  const until = Date.now() + seconds * 1000;
  const started = Date.now();
  let sent = 0;
  let admitted = 0;
  let refused = 0;
  let refusedWithRetryAfter = 0;
  const retryAfter = new Set<number>();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        sent++;
        const res = await fetch(`${url}/v1/purchase-orders/bench-unknown`, { headers: { authorization: `Bearer ${token}` } });
        await res.arrayBuffer();
        if (res.status === 429) {
          refused++;
          const header = res.headers.get('retry-after');
          if (header !== null && Number(header) >= 1) {
            refusedWithRetryAfter++;
            retryAfter.add(Number(header));
          }
        } else admitted++;
      }
    }),
  );
  return { sent, admitted, refused, refusedWithRetryAfter, retryAfterSeconds: [...retryAfter].sort((a, b) => a - b), elapsedMs: Date.now() - started };
}

async function main(): Promise<Record<string, unknown>> {
  const argv = process.argv.slice(2);
  const seconds = cliInt(argv, 'seconds', 5);
  const rate = cliInt(argv, 'rate', 50);
  const burst = cliInt(argv, 'burst', 20);
  const concurrency = cliInt(argv, 'concurrency', 8);
  const ns = await provisionTestNamespace();
  const schema = await createTestSchema();
  const limits = { 'bench-limited': { read: `${rate}/s:${burst}` }, 'bench-reference': { read: '1000000/s:1000000' }, 'bench-writer': { write: '1000/s:1000' } };
  const service = await startServiceUnderTest(PoSyncService, { topicPrefix: ns.prefix, dbSchema: schema, jwtSecret: SECRET }, {
    FINMESH_COUPA_POLL: 'off',
    FINMESH_RATE_LIMITS_BY_CLIENT: JSON.stringify(limits),
  });
  try {
    const token = (clientId: string, roles: ('procurement-platform' | 'ops')[]) => mintDevToken({ clientId, roles, secret: SECRET, expiresIn: '1h' });
    const reference = await hammer(service.url, await token('bench-reference', ['ops']), seconds, concurrency);
    const writer = await token('bench-writer', ['procurement-platform']);
    let writes = 0;
    let writesRefused = 0;
    const limitedRun = hammer(service.url, await token('bench-limited', ['ops']), seconds, concurrency);
    // Another client's writes meanwhile (bodies the request schema refuses with 422: nothing is written, but the limiter counted them).
    const writerUntil = Date.now() + seconds * 1000;
    while (Date.now() < writerUntil) {
      const res = await fetch(`${service.url}/v1/procurement/purchase-orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${writer}`, 'idempotency-key': `bench-${writes}` },
        body: '{}',
      });
      await res.arrayBuffer();
      writes++;
      if (res.status === 429) writesRefused++;
      await new Promise((r) => setTimeout(r, 20));
    }
    const limited = await limitedRun;
    const expectedAdmitted = burst + rate * (limited.elapsedMs / 1000);
    const result = {
      bench: 'rate-limits',
      at: new Date().toISOString(),
      settings: { seconds, rate_per_second: rate, burst, concurrency },
      limited: {
        sent_per_second: perSecond(limited.sent, limited.elapsedMs),
        admitted: limited.admitted,
        admitted_per_second: perSecond(limited.admitted, limited.elapsedMs),
        expected_admitted: Math.round(expectedAdmitted),
        admitted_over_expected: Math.round((limited.admitted / expectedAdmitted) * 1000) / 1000,
        refused_429: limited.refused,
        refused_with_retry_after: limited.refusedWithRetryAfter,
        retry_after_seconds_seen: limited.retryAfterSeconds,
      },
      reference_unlimited: { sent_per_second: perSecond(reference.sent, reference.elapsedMs), refused_429: reference.refused },
      other_client_writes: { sent: writes, refused_429: writesRefused },
    };
    process.stderr.write(
      `[bench:rate-limits] limited client (${rate}/s, burst ${burst}): ${result.limited.admitted_per_second} admitted/s of ${result.limited.sent_per_second} sent/s ` +
        `(${limited.admitted} admitted vs ${result.limited.expected_admitted} expected, ratio ${result.limited.admitted_over_expected}); ` +
        `${limited.refused} refused with 429, ${limited.refusedWithRetryAfter} of them with Retry-After ${JSON.stringify(limited.retryAfterSeconds)} s; ` +
        `reference (unlimited): ${result.reference_unlimited.sent_per_second} req/s, ${reference.refused} refused; other client's writes: ${writes} sent, ${writesRefused} refused\n`,
    );
    fs.mkdirSync(path.join(REPO_ROOT, 'bench/results'), { recursive: true });
    fs.writeFileSync(path.join(REPO_ROOT, 'bench/results/rate-limits.json'), `${JSON.stringify(result, null, 2)}\n`);
    return result;
  } finally {
    await service.app.close();
    await ns.cleanup();
    await dropTestSchema(schema);
  }
}

runCli(main);
