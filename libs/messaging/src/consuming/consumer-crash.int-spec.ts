import { publishEvent } from '../producing/publish-event';
import { eventually, exited, invoiceReceived, openMessagingTestBed, printed, spawnTestProcess, uniqueName, type MessagingTestBed } from '@finmesh/testing';

/** The consumer process is killed without warning in the middle of a batch, then restarted. */
describe('consumer killed with SIGKILL mid-batch', () => {
  let bed: MessagingTestBed;
  beforeAll(async () => {
    bed = await openMessagingTestBed();
  });
  afterAll(() => bed.teardown());

  async function effectCount(): Promise<{ rows: number; distinct: number }> {
    const [r] = (await bed.ds.query('SELECT count(*)::int AS rows, count(DISTINCT event_id)::int AS distinct FROM effects')) as {
      rows: number;
      distinct: number;
    }[];
    return r!;
  }

  it('applies every event exactly once after the restart', async () => {
    const total = 600;
    const expected = new Set<string>();
    for (let k = 0; k < total; k++) {
      const value = invoiceReceived(`INV-${k % 37}`);
      expected.add(value.envelope.eventId);
      await publishEvent(bed.producer, bed.codec, { event: 'InvoiceReceived', key: value.invoiceId as string, value, eventId: value.envelope.eventId, topic: bed.topic });
    }
    const group = uniqueName('crash-group');
    const processEnv = { CONSUMER_SCHEMA: bed.schema, CONSUMER_TOPIC: bed.topic, CONSUMER_GROUP: group, CONSUMER_DELAY_MS: '3', CONSUMER_MAX_RUN: '50' };

    const first = spawnTestProcess('consumer-process', processEnv);
    await printed(first, 'consumer-started');
    await eventually('the first process is part-way through', async () => (await effectCount()).rows >= 150, 60_000);
    first.kill('SIGKILL');
    expect(await exited(first)).toBe('SIGKILL');
    const atCrash = await effectCount();
    expect(atCrash.rows).toBeLessThan(total);

    const second = spawnTestProcess('consumer-process', { ...processEnv, CONSUMER_DELAY_MS: '0' });
    await printed(second, 'consumer-started');
    await eventually('every event applied', async () => (await effectCount()).distinct === total, 90_000);
    await new Promise((r) => setTimeout(r, 1000)); // a late duplicate would show up now
    second.kill('SIGTERM');
    await exited(second);

    const final = await effectCount();
    expect(final).toEqual({ rows: total, distinct: total });
    const ids = (await bed.ds.query('SELECT event_id FROM effects')) as { event_id: string }[];
    expect(new Set(ids.map((r) => r.event_id))).toEqual(expected);
  });
});
