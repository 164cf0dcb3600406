import { Kafka, logLevel } from 'kafkajs';
import { provisionTestNamespace, testEnvironment } from '@finmesh/testing';
import { prefixedIngressTopics, prefixedTopics, TOPICS } from '../topics/topic-catalog';
import { allKafkaPrincipals, KAFKA_ADMIN_PRINCIPAL, KAFKA_BROKER_PRINCIPAL, KAFKA_SUBSCRIBER_PRINCIPAL, servicePrincipal } from './kafka-principals';
import { kafkaJsConnection, localPrincipalSettings } from './kafka-client-settings';
import { catalogAcls } from './topic-acls';

/**
 * Kafka security on the real broker (SASL_SSL, SCRAM-SHA-512, StandardAuthorizer): who gets in,
 * and the write matrix principal x catalog topic, against the ACLs provisioning derived.
 */
const env = testEnvironment();

function clientAs(principal: string): Kafka {
  return new Kafka({ clientId: `acl-test-${principal}`, ...kafkaJsConnection(localPrincipalSettings(principal)), logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 3000 });
}

async function tryProduce(principal: string, topic: string): Promise<{ allowed: boolean; error?: string }> {
  const producer = clientAs(principal).producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: [{ key: 'acl-probe', value: Buffer.from('acl-probe') }] });
    return { allowed: true };
  } catch (err) {
    return { allowed: false, error: `${(err as { type?: string }).type ?? ''} ${(err as Error).message}` };
  } finally {
    await producer.disconnect();
  }
}

describe('Kafka access on the real broker', () => {
  let ns: Awaited<ReturnType<typeof provisionTestNamespace>>;
  beforeAll(async () => {
    ns = await provisionTestNamespace();
  });
  afterAll(() => ns.cleanup());

  it('refuses a client that does not authenticate, and one with a wrong password', async () => {
    const settings = localPrincipalSettings(KAFKA_SUBSCRIBER_PRINCIPAL);
    const tlsOnly = new Kafka({ clientId: 'acl-test-anonymous', brokers: [...env.kafkaBrokers], ssl: { ca: [settings.caPem ?? ''] }, logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 3000, requestTimeout: 3000 });
    const anonymous = tlsOnly.admin();
    await expect(anonymous.connect().then(() => anonymous.listTopics())).rejects.toThrow();
    await anonymous.disconnect();
    const plaintext = new Kafka({ clientId: 'acl-test-plaintext', brokers: [...env.kafkaBrokers], logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 3000, requestTimeout: 3000 }).admin();
    await expect(plaintext.connect().then(() => plaintext.listTopics())).rejects.toThrow();
    await plaintext.disconnect();
    const wrong = new Kafka({ ...kafkaJsConnection({ ...settings, sasl: { username: KAFKA_SUBSCRIBER_PRINCIPAL, password: 'not-the-password' } }), clientId: 'acl-test-wrong', logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
    await expect(wrong.connect()).rejects.toThrow(/SASL SCRAM SHA512 authentication failed/);
  });

  it("refuses po-sync's principal a write to the invoice topic, naming the authorization failure", async () => {
    const result = await tryProduce(servicePrincipal('po-sync'), `${ns.prefix}${TOPICS.invoice.name}`);
    expect(result.allowed).toBe(false);
    expect(result.error).toMatch(/TOPIC_AUTHORIZATION_FAILED/);
    expect(result.error).toMatch(/Not authorized to access topics/);
  });

  it('lets the downstream subscriber read a canonical topic but write none', async () => {
    const kafka = clientAs(KAFKA_SUBSCRIBER_PRINCIPAL);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(`${ns.prefix}${TOPICS.supplier.name}`);
      expect(offsets.length).toBe(TOPICS.supplier.partitions);
    } finally {
      await admin.disconnect();
    }
    for (const spec of prefixedTopics(ns.prefix)) {
      const result = await tryProduce(KAFKA_SUBSCRIBER_PRINCIPAL, spec.name);
      expect({ topic: spec.name, ...result, error: undefined }).toEqual({ topic: spec.name, allowed: false, error: undefined });
    }
  });

  it('enforces the write matrix principal x catalog topic exactly as the catalog ACLs say', async () => {
    const topics = [...prefixedTopics(ns.prefix), ...prefixedIngressTopics(ns.prefix)].map((t) => t.name);
    const acls = catalogAcls(ns.prefix);
    const principals = allKafkaPrincipals().filter((p) => p !== KAFKA_BROKER_PRINCIPAL && p !== KAFKA_ADMIN_PRINCIPAL);
    const rows: Array<{ principal: string; topic: string; expected: boolean; actual: boolean }> = [];
    for (const principal of principals) {
      for (const topic of topics) {
        const expected = acls.some((a) => a.principal === principal && a.name === topic && a.operation === 'WRITE');
        rows.push({ principal, topic: topic.slice(ns.prefix.length), expected, actual: (await tryProduce(principal, topic)).allowed });
      }
    }
    console.log(`Kafka WRITE matrix (${rows.length} cells, ${rows.filter((r) => r.actual).length} allowed):\n${rows.map((r) => `${r.principal.padEnd(32)} ${r.topic.padEnd(50)} ${r.actual ? 'ALLOW' : 'deny'}`).join('\n')}`);
    expect(rows.filter((r) => r.expected !== r.actual)).toEqual([]);
    // Each canonical topic has exactly one writer among the services, and each ingress topic one platform.
    expect(rows.filter((r) => r.actual && r.principal.startsWith('finmesh-') && !r.principal.startsWith('finmesh-platform-') && r.principal !== 'finmesh-ops').map((r) => `${r.principal} ${r.topic}`).sort()).toEqual(
      [`finmesh-invoice-sync ${TOPICS.invoice.name}`, `finmesh-payment-sync ${TOPICS.payment.name}`, `finmesh-po-sync ${TOPICS['purchase-order'].name}`, `finmesh-supplier-sync ${TOPICS.supplier.name}`].sort(),
    );
  }, 120_000);
});
