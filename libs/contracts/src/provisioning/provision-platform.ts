import { Kafka, logLevel } from 'kafkajs';
import { kafkaJsConnection, type KafkaClientSettings } from '../kafka-access/kafka-client-settings';
import { applyCatalogAcls } from '../kafka-access/topic-acls';
import { contractVersions } from './contracts';
import { RegistryAdmin } from '../registry/registry-admin';
import { registerContracts, type RegisteredSubject } from '../registry/contract-registration';
import { prefixedIngressTopics, prefixedTopics, subjectFor, topicNameFor } from '../topics/topic-catalog';
import { ensureTopics, type TopicState } from '../topics/topic-provisioning';

export interface ProvisionOptions {
  /** A super user's connection (the topics and ACLs need one): FINMESH_KAFKA_USERNAME=finmesh-admin. */
  readonly kafka: KafkaClientSettings;
  readonly registryUrl: string;
  readonly replicationFactor: number;
  /** Namespace prefix for topics and subjects (see topicNameFor); '' for the plain catalog. */
  readonly topicPrefix?: string;
}

export interface ProvisionResult {
  readonly topics: readonly TopicState[];
  /** Number of ACL bindings in place for the namespace (0 on a PLAINTEXT cluster, which has no authorizer). */
  readonly acls: number;
  readonly subjects: readonly RegisteredSubject[];
}

/**
 * Makes a broker and registry ready for finmesh: the catalog topics (canonical and ingress) exist
 * with their layout and every contract version is registered under its compatibility rule, on
 * every topic that carries it. Idempotent; run by
 * `npm start`, the integration-test setup and `npm run schemas:register` / `topics:create`.
 */
export async function provisionPlatform(options: ProvisionOptions): Promise<ProvisionResult> {
  const { topics, acls } = await provisionTopics(options);
  const prefix = options.topicPrefix ?? '';
  const subjects = await registerPlatformContracts(options.registryUrl, prefix);
  return { topics, acls, subjects };
}

/**
 * Registers every contract version under each subject it has: its canonical topic's, and each
 * ingress topic's that carries the event (TopicRecordNameStrategy, with the namespace prefix).
 */
export async function registerPlatformContracts(registryUrl: string, prefix = ''): Promise<RegisteredSubject[]> {
  const registry = new RegistryAdmin(registryUrl);
  const subjects = await registerContracts(registry, contractVersions(), {
    subjectOf: (event) => subjectFor(event, topicNameFor(event, prefix)),
  });
  for (const ingress of prefixedIngressTopics(prefix)) {
    const versions = contractVersions().filter((v) => ingress.events.includes(v.event));
    subjects.push(...(await registerContracts(registry, versions, { subjectOf: (event) => subjectFor(event, ingress.name) })));
  }
  return subjects;
}

/** The catalog topics of a namespace, and (on a SASL cluster) the ACLs that rest on them. */
export async function provisionTopics(options: Omit<ProvisionOptions, 'registryUrl'>): Promise<{ topics: TopicState[]; acls: number }> {
  const kafka = new Kafka({ clientId: 'finmesh-provisioning', ...kafkaJsConnection(options.kafka), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = await ensureTopics(admin, [...prefixedTopics(options.topicPrefix), ...prefixedIngressTopics(options.topicPrefix)], { replicationFactor: options.replicationFactor });
    const acls = options.kafka.securityProtocol === 'SASL_SSL' ? await applyCatalogAcls(admin, options.topicPrefix ?? '') : 0;
    return { topics, acls };
  } finally {
    await admin.disconnect();
  }
}
