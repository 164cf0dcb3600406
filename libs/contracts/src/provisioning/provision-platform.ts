import { Kafka, logLevel } from 'kafkajs';
import { contractVersions } from './contracts';
import { RegistryAdmin } from '../registry/registry-admin';
import { registerContracts, type RegisteredSubject } from '../registry/contract-registration';
import { prefixedTopics, subjectFor, topicNameFor } from '../topics/topic-catalog';
import { ensureTopics, type TopicState } from '../topics/topic-provisioning';

export interface ProvisionOptions {
  readonly kafkaBrokers: readonly string[];
  readonly registryUrl: string;
  readonly replicationFactor: number;
  /** Namespace prefix for topics and subjects (see topicNameFor); '' for the plain catalog. */
  readonly topicPrefix?: string;
}

export interface ProvisionResult {
  readonly topics: readonly TopicState[];
  readonly subjects: readonly RegisteredSubject[];
}

/**
 * Makes a broker and registry ready for finmesh: the catalog topics exist with their layout and
 * every contract version is registered under its compatibility rule. Idempotent; run by
 * `npm start`, the integration-test setup and `npm run schemas:register` / `topics:create`.
 */
export async function provisionPlatform(options: ProvisionOptions): Promise<ProvisionResult> {
  const topics = await provisionTopics(options);
  const prefix = options.topicPrefix ?? '';
  const subjects = await registerContracts(new RegistryAdmin(options.registryUrl), contractVersions(), {
    subjectOf: (event) => subjectFor(event, topicNameFor(event, prefix)),
  });
  return { topics, subjects };
}

export async function provisionTopics(options: Omit<ProvisionOptions, 'registryUrl'>): Promise<TopicState[]> {
  const kafka = new Kafka({ clientId: 'finmesh-provisioning', brokers: [...options.kafkaBrokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await ensureTopics(admin, prefixedTopics(options.topicPrefix), { replicationFactor: options.replicationFactor });
  } finally {
    await admin.disconnect();
  }
}
