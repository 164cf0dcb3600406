import { spawn } from 'node:child_process';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { ALL_TOPICS, createTopicsAndWait, INGRESS_TOPICS, localSchemaSource, RegistryAdmin, subjectFor, topicNameFor } from '@finmesh/contracts';
import { DEAD_LETTER_HEADERS, publishDeadLetter, type DeadLetterErrorClass } from '@finmesh/messaging';
import { PurgeLedger, ReplayLedger } from '@finmesh/ops';
import { eventually, provisionTestNamespace, sampleValue, testCodec, testEnvironment, testKafka, uniqueName, withPg } from '@finmesh/testing';
import { Pool } from 'pg';
import type { KafkaMessage } from 'kafkajs';
import { runCli } from './cli';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const IBAN = 'DE89370400440532013000';
const TAX_ID = 'DE123456789';

/** Runs the program in-process with captured streams (fast); stdin is empty and not a terminal. */
async function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  const capture = () => {
    const s = new PassThrough();
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    return { s, text: () => Buffer.concat(chunks).toString() };
  };
  const out = capture();
  const err = capture();
  const code = await runCli(args, { stdout: out.s, stderr: err.s, stdin: Readable.from([]), env });
  return { code, stdout: out.text(), stderr: err.text() };
}

/** Runs the real launcher (apps/ops-cli/bin/finmesh.js, what `npx finmesh` starts) as a child process. */
function spawnCli(args: string[], env: NodeJS.ProcessEnv, stdin: string | null): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'apps/ops-cli/bin/finmesh.js'), ...args], {
      cwd: REPO_ROOT,
      env,
      stdio: [stdin === null ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    if (stdin !== null) child.stdin?.end(stdin);
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('finmesh ops CLI on the real Kafka, registry and PostgreSQL', () => {
  const kafka = testKafka();
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const pool = new Pool({ connectionString: process.env['FINMESH_DB_URL'] ?? 'postgres://postgres@127.0.0.1:5432/finmesh', max: 2 });
  const opsSchema = uniqueName('ops_cli').replace(/-/g, '_');
  const auditSchema = uniqueName('ops_cli_audit').replace(/-/g, '_');
  const lagGroup = uniqueName('ops-cli-lag');
  let namespace: Awaited<ReturnType<typeof provisionTestNamespace>>;
  let env: NodeJS.ProcessEnv;
  let source: string;
  let dlt: string;
  /** The value bytes dead-lettered per key: a replay must re-publish exactly these. */
  const published = new Map<string, Buffer>();

  async function deadLetter(key: string, group: string, errorClass: DeadLetterErrorClass, value: Buffer, offset: string): Promise<void> {
    published.set(key, value);
    const message: KafkaMessage = { key: Buffer.from(key), value, headers: { 'finmesh-event-id': Buffer.from(`e-${key}`) }, offset, timestamp: String(Date.now()), attributes: 0 };
    await publishDeadLetter(producer, {
      deadLetterTopic: dlt,
      topic: source,
      partition: 0,
      message,
      consumerGroup: group,
      failure: { kind: errorClass === 'PERMANENT' ? 'permanent' : 'transient', code: errorClass === 'PERMANENT' ? 'BUSINESS_RULE' : 'DB_TIMEOUT', message: `supplier ${key} refused` },
      errorClass,
      attempts: errorClass === 'PERMANENT' ? 1 : 5,
      firstFailureAt: new Date(Date.now() - 60_000),
    });
  }

  async function supplierBytes(supplierId: string): Promise<Buffer> {
    const sample = sampleValue(localSchemaSource().latestSchema('SupplierUpserted'), 'logical') as Record<string, unknown> & { bankAccounts: Record<string, unknown>[]; taxIds: Record<string, unknown>[] };
    const value = {
      ...sample,
      supplierId,
      bankAccounts: [{ ...sample.bankAccounts[0], iban: IBAN }],
      taxIds: [{ ...sample.taxIds[0], value: TAX_ID }],
    };
    return (await testCodec().encode('SupplierUpserted', value, source)).bytes;
  }

  async function offsets(topic: string): Promise<Array<{ low: string; high: string }>> {
    return (await admin.fetchTopicOffsets(topic)).sort((a, b) => a.partition - b.partition).map((o) => ({ low: o.low, high: o.high }));
  }

  beforeAll(async () => {
    namespace = await provisionTestNamespace();
    source = topicNameFor('SupplierUpserted', namespace.prefix);
    dlt = `${source}.dlt`;
    env = { ...process.env, FINMESH_TOPIC_PREFIX: namespace.prefix, FINMESH_OPS_SCHEMA: opsSchema, FINMESH_AUDIT_SCHEMA: auditSchema, USER: 'ops-cli-test' };
    await admin.connect();
    await createTopicsAndWait(admin, [{ topic: dlt, numPartitions: 1 }]);
    await producer.connect();
    await deadLetter('S-1', 'supplier-sync', 'PERMANENT', await supplierBytes('S-1'), '10');
    await deadLetter('S-2', 'supplier-sync', 'PERMANENT', await supplierBytes('S-2'), '11');
    await deadLetter('S-3', 'reporting', 'TRANSIENT_EXHAUSTED', Buffer.from('not avro'), '12');
  });

  afterAll(async () => {
    await producer.disconnect();
    await admin.deleteGroups([lagGroup]).catch(() => undefined);
    await admin.disconnect();
    await namespace.cleanup();
    await withPg((pg) => pg.query(`DROP SCHEMA IF EXISTS "${opsSchema}" CASCADE; DROP SCHEMA IF EXISTS "${auditSchema}" CASCADE`));
    await pool.end();
  });

  it('exits 2 with a hint for an unknown command or flag (the real bin)', async () => {
    const unknownCommand = await spawnCli(['dlq', 'list'], env, null);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toContain("unknown command 'dlq'");
    expect(unknownCommand.stderr).toContain('finmesh --help lists the commands');
    const unknownFlag = await spawnCli(['lag', '--groups', 'x'], env, null);
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toContain("unknown option '--groups'");
    const badValue = await cli(['dlt', 'list', '--error-class', 'FATAL'], env);
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toContain('--error-class "FATAL" is not an error class');
  });

  it('topics --json: the catalog in the namespace, all present, with end offsets and the DLT depth', async () => {
    const r = await cli(['--json', 'topics'], env);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as { prefix: string; ok: boolean; topics: Array<Record<string, unknown>> };
    expect(body.prefix).toBe(namespace.prefix);
    expect(body.ok).toBe(true);
    // The canonical topics and the ingress topics.
    expect(body.topics).toHaveLength(ALL_TOPICS.length + INGRESS_TOPICS.length);
    const supplier = body.topics.find((t) => t['topic'] === source)!;
    expect(supplier).toMatchObject({ exists: true, partitions: 6, expectedPartitions: 6, retentionMs: -1, records: '0', problems: [], deadLetterTopic: { topic: dlt, records: '3' } });
    expect(supplier['endOffsets']).toHaveLength(6);
  });

  it('schemas diff --json: in sync after provisioning; a version registered by hand shows as extra (exit 1)', async () => {
    const r = await cli(['--json', 'schemas', 'diff'], env);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as { inSync: boolean; counts: Record<string, number>; entries: Array<{ subject: string; status: string }> };
    expect(body.inSync).toBe(true);
    expect(body.counts).toEqual({ same: body.entries.length, missing: 0, different: 0, extra: 0 });
    expect(body.entries.every((e) => e.subject.startsWith(namespace.prefix))).toBe(true);

    // Someone registers a version by hand that no local contract has: reported as extra, exit 1.
    const subject = subjectFor('SupplierBlocked', topicNameFor('SupplierBlocked', namespace.prefix));
    const local = localSchemaSource().latestSchema('SupplierBlocked') as { fields: object[] };
    const registry = new RegistryAdmin(testEnvironment().registryUrl);
    const before = await registry.listVersions(subject);
    await registry.register(subject, { ...local, fields: [...local.fields, { name: 'handAdded', type: ['null', 'string'], default: null }] });
    const drift = await cli(['--json', 'schemas', 'diff'], env);
    expect(drift.code).toBe(1);
    const driftBody = JSON.parse(drift.stdout) as { inSync: boolean; entries: Array<{ subject: string; version: number; status: string }> };
    expect(driftBody.inSync).toBe(false);
    expect(driftBody.entries.filter((e) => e.status !== 'same')).toEqual([expect.objectContaining({ subject, version: before.length + 1, status: 'extra' })]);
  });

  it('dlt list --json: dead letters grouped by topic, group and error class, with counts and ages', async () => {
    const r = await cli(['--json', 'dlt', 'list', '--records'], env);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as { dltTopics: string[]; total: number; groups: Array<Record<string, unknown>>; records: Array<Record<string, unknown>> };
    expect(body.dltTopics).toEqual([dlt]);
    expect(body.total).toBe(3);
    expect(body.groups).toEqual([
      expect.objectContaining({ dltTopic: dlt, consumerGroup: 'reporting', errorClass: 'TRANSIENT_EXHAUSTED', count: 1, replayed: 0 }),
      expect.objectContaining({ dltTopic: dlt, consumerGroup: 'supplier-sync', errorClass: 'PERMANENT', count: 2, replayed: 0 }),
    ]);
    expect(typeof body.groups[0]!['oldestAgeMs']).toBe('number');
    expect(Date.parse(body.groups[0]!['oldestDeadLetteredAt'] as string)).not.toBeNaN();
    expect(body.records.map((x) => [x['dltOffset'], x['key'], x['errorCode']])).toEqual([
      ['0', 'S-1', 'BUSINESS_RULE'],
      ['1', 'S-2', 'BUSINESS_RULE'],
      ['2', 'S-3', 'DB_TIMEOUT'],
    ]);
  });

  it('dlt show decodes the value and masks the IBAN and the tax id, in JSON and for humans', async () => {
    const json = await cli(['--json', 'dlt', 'show', `${dlt}:0:0`], env);
    expect(json.code).toBe(0);
    const body = JSON.parse(json.stdout) as { value: { event: string; fields: { supplierId: string; bankAccounts: Array<{ iban: string }>; taxIds: Array<{ value: string }> } }; headers: Record<string, string>; failure: Record<string, unknown> };
    expect(body.value.event).toBe('SupplierUpserted');
    expect(body.value.fields.supplierId).toBe('S-1');
    expect(body.value.fields.bankAccounts[0]!.iban).toBe('****3000');
    expect(body.value.fields.taxIds[0]!.value).toBe('****6789');
    expect(body.headers['finmesh-event-id']).toBe('e-S-1');
    expect(body.failure).toMatchObject({ errorClass: 'PERMANENT', errorCode: 'BUSINESS_RULE', consumerGroup: 'supplier-sync' });
    const human = await cli(['dlt', 'show', `${dlt}:0:0`], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('"iban": "****3000"');
    for (const out of [json.stdout, human.stdout]) {
      expect(out).not.toContain(IBAN);
      expect(out).not.toContain(TAX_ID);
    }
    // An undecodable value is reported, not dumped.
    const raw = await cli(['--json', 'dlt', 'show', '0:2', '--dlt-topic', dlt], env);
    expect(JSON.parse(raw.stdout)).toMatchObject({ value: null, valueBytes: 8 });
  });

  it('dlt replay --dry-run lists what would move and moves nothing', async () => {
    const before = await offsets(source);
    const r = await cli(['--json', 'dlt', 'replay', '--dry-run', '--group', 'supplier-sync'], env);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as { dryRun: boolean; replayed: number; planned: Array<Record<string, unknown>> };
    expect(body.dryRun).toBe(true);
    expect(body.replayed).toBe(0);
    expect(body.planned.map((p) => [p['key'], p['dltOffset'], p['originalTopic']])).toEqual([
      ['S-1', '0', source],
      ['S-2', '1', source],
    ]);
    expect(await offsets(source)).toEqual(before);
    expect(await new ReplayLedger(pool, opsSchema).list()).toEqual([]);
  });

  it('dlt replay without --yes and nobody to answer is refused (exit 2); with --yes it re-publishes to the source topic', async () => {
    const refused = await cli(['dlt', 'replay', '--key', 'S-1'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('pass --yes');

    const r = await cli(['--json', 'dlt', 'replay', '--key', 'S-1', '--yes', '--actor', 'alice'], env);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as { dryRun: boolean; replayed: number; replayId: string };
    expect(body).toMatchObject({ dryRun: false, replayed: 1 });

    // A consumer of the source topic sees the very record, marked as a replay of DLT offset 0.
    const consumer = kafka.consumer({ groupId: uniqueName('ops-cli-check') });
    const seen: KafkaMessage[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: source, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(message) });
    try {
      await eventually('the replayed record on the source topic', async () => seen.length > 0);
    } finally {
      await consumer.disconnect();
    }
    expect(seen).toHaveLength(1);
    expect(seen[0]!.key?.toString()).toBe('S-1');
    expect(seen[0]!.headers?.[DEAD_LETTER_HEADERS.replayedFrom]?.toString()).toBe(`${dlt}/0/0`);
    expect(seen[0]!.value).toEqual(published.get('S-1'));
    expect(await new ReplayLedger(pool, opsSchema).list()).toEqual([expect.objectContaining({ dltTopic: dlt, dltOffset: '0', actor: 'alice', replayId: body.replayId })]);
    // The replayed dead letter stays in the DLT (until purged), marked as replayed.
    const listed = JSON.parse((await cli(['--json', 'dlt', 'list', '--records', '--group', 'supplier-sync'], env)).stdout) as { groups: Array<{ count: number; replayed: number }>; records: Array<{ key: string; alreadyReplayed: boolean }> };
    expect(listed.groups).toEqual([expect.objectContaining({ count: 2, replayed: 1 })]);
    expect(listed.records.map((x) => [x.key, x.alreadyReplayed])).toEqual([
      ['S-1', true],
      ['S-2', false],
    ]);
  });

  it('lag --json and replay --group: a stopped group is reset to earliest and its catch-up total is the new lag', async () => {
    // The group has read everything (committed at the end of every partition).
    await admin.setOffsets({ groupId: lagGroup, topic: source, partitions: (await admin.fetchTopicOffsets(source)).map((p) => ({ partition: p.partition, offset: p.high })) });
    const lag = await cli(['--json', 'lag', '--group', lagGroup], env);
    expect(lag.code).toBe(0);
    const lagBody = JSON.parse(lag.stdout) as { groups: Array<{ groupId: string; state: string; totalLag: string; partitions: Array<Record<string, unknown>> }> };
    expect(lagBody.groups).toHaveLength(1);
    expect(lagBody.groups[0]).toMatchObject({ groupId: lagGroup, totalLag: '0' });
    expect(lagBody.groups[0]!.partitions).toHaveLength(6);
    expect(lagBody.groups[0]!.partitions[0]).toEqual({ groupId: lagGroup, topic: source, partition: 0, committedOffset: expect.any(String), endOffset: expect.any(String), lag: '0' });

    const replay = await cli(['--json', 'replay', '--group', lagGroup, '--from', 'earliest', '--no-wait'], env);
    expect(replay.code).toBe(0);
    const body = JSON.parse(replay.stdout) as { plan: { applied: boolean; to: string; partitions: unknown[] }; catchUp: { total: string; done: string } };
    expect(body.plan).toMatchObject({ applied: true, to: 'earliest' });
    expect(body.plan.partitions).toHaveLength(6);
    expect(body.catchUp).toMatchObject({ total: '1', done: '0' });
    const after = JSON.parse((await cli(['--json', 'lag', '--group', lagGroup], env)).stdout) as { groups: Array<{ totalLag: string }> };
    expect(after.groups[0]!.totalLag).toBe('1');
  });

  it('replay --group follows the catch-up until the restarted consumers have re-read everything', async () => {
    const groupId = uniqueName('ops-cli-catchup');
    await admin.setOffsets({ groupId, topic: source, partitions: (await admin.fetchTopicOffsets(source)).map((p) => ({ partition: p.partition, offset: p.high })) });
    const running = cli(['--json', 'replay', '--group', groupId, '--from', 'earliest', '--timeout', '60'], env);
    // Once the reset is committed, "restart the service": a consumer of the group reads and commits.
    await eventually('the reset of the group', async () => {
      const [t] = await admin.fetchOffsets({ groupId, topics: [source] });
      return t!.partitions.every((p) => p.offset === '0');
    });
    const consumer = kafka.consumer({ groupId });
    await consumer.connect();
    await consumer.subscribe({ topic: source, fromBeginning: true });
    await consumer.run({ eachMessage: async () => undefined });
    try {
      const r = await running;
      expect(r.code).toBe(0);
      const body = JSON.parse(r.stdout) as { catchUp: Record<string, unknown> };
      expect(body.catchUp).toMatchObject({ total: '1', done: '1', remaining: '0', finished: true, timedOut: false });
    } finally {
      await consumer.disconnect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
  });

  it('replay --group refuses a running group and says to stop it', async () => {
    const groupId = uniqueName('ops-cli-live');
    const consumer = kafka.consumer({ groupId });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.connect();
    await consumer.subscribe({ topic: source, fromBeginning: true });
    await consumer.run({ eachMessage: async () => undefined });
    try {
      await joined;
      const r = await cli(['replay', '--group', groupId, '--from', 'earliest', '--topic', source], env);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`consumer group ${groupId} is running (1 member(s)`);
      expect(r.stderr).toContain('stop the service that consumes as');
    } finally {
      await consumer.disconnect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
  });

  it('dlt purge needs a confirmation: refused without --yes on a non-terminal (exit 2), done with "y" on stdin, and with --yes', async () => {
    const before = await offsets(dlt);
    expect(before).toEqual([{ low: '0', high: '3' }]);

    const refused = await spawnCli(['dlt', 'purge'], env, null);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('pass --yes to purge without a prompt');
    expect(await offsets(dlt)).toEqual(before);

    const answered = await spawnCli(['dlt', 'purge'], env, 'y\n');
    expect(answered.stderr).toContain('Delete 3 dead letter(s) for good?');
    expect(answered.code).toBe(0);
    expect(answered.stdout).toContain('purged 3 dead letter(s)');
    expect(await offsets(dlt)).toEqual([{ low: '3', high: '3' }]);

    await deadLetter('S-4', 'supplier-sync', 'PERMANENT', Buffer.from('x'), '13');
    const dry = JSON.parse((await cli(['--json', 'dlt', 'purge', '--dry-run'], env)).stdout) as { dryRun: boolean; records: string };
    expect(dry).toMatchObject({ dryRun: true, records: '1' });
    const yes = await cli(['--json', 'dlt', 'purge', '--yes', '--actor', 'bob'], env);
    expect(yes.code).toBe(0);
    expect(JSON.parse(yes.stdout)).toMatchObject({ dryRun: false, purged: '1', partitions: [{ dltTopic: dlt, dltPartition: 0, fromOffset: '3', toOffset: '4', records: '1' }] });
    expect(await offsets(dlt)).toEqual([{ low: '4', high: '4' }]);
    expect((await new PurgeLedger(pool, opsSchema).list()).map((r) => [r.fromOffset, r.toOffset, r.actor])).toEqual([
      ['0', '3', 'ops-cli-test'],
      ['3', '4', 'bob'],
    ]);
  });

  it('operator actions are in the audit trail, and audit verify names the first tampered row', async () => {
    const rows = await withPg(async (pg) => (await pg.query<{ id: string; entity_type: string; action: string; actor: string }>(`SELECT id::text AS id, entity_type, action, actor FROM "${auditSchema}".audit_log ORDER BY id`)).rows);
    expect(rows.map((r) => [r.entity_type, r.action, r.actor])).toEqual([
      ['dead_letter', 'dead_letter.replayed', 'alice'],
      ['consumer_group', 'consumer_group.reset', 'ops-cli-test'],
      ['consumer_group', 'consumer_group.reset', 'ops-cli-test'],
      ['dead_letter', 'dead_letter.purged', 'ops-cli-test'],
      ['dead_letter', 'dead_letter.purged', 'bob'],
    ]);
    const intact = await cli(['--json', 'audit', 'verify'], env);
    expect(intact.code).toBe(0);
    expect(JSON.parse(intact.stdout)).toMatchObject({ schema: auditSchema, ok: true, rowsChecked: 5 });

    // Tampering needs the append-only triggers switched off (a superuser can); the hash chain still tells.
    await withPg((pg) =>
      pg.query(`ALTER TABLE "${auditSchema}".audit_log DISABLE TRIGGER USER; UPDATE "${auditSchema}".audit_log SET actor = 'mallory' WHERE id = ${rows[1]!.id}; ALTER TABLE "${auditSchema}".audit_log ENABLE TRIGGER USER`),
    );
    const tampered = await cli(['--json', 'audit', 'verify'], env);
    expect(tampered.code).toBe(1);
    expect(JSON.parse(tampered.stdout)).toMatchObject({ ok: false, firstBadRow: { id: rows[1]!.id } });
  });
});
