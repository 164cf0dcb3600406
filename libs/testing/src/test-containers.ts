import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';

/**
 * Testcontainers mode (FINMESH_INFRA=containers) for developers with a Docker engine: the same
 * Kafka (KRaft), Apicurio and PostgreSQL as the local scripts, on the same ports, so tests and
 * services need no other configuration. Not used on machines without Docker (the default).
 */
const KAFKA_IMAGE = process.env['FINMESH_KAFKA_IMAGE'] ?? 'apache/kafka:4.1.1';
const REGISTRY_IMAGE = process.env['FINMESH_REGISTRY_IMAGE'] ?? 'apicurio/apicurio-registry:3.0.9';
const POSTGRES_IMAGE = process.env['FINMESH_POSTGRES_IMAGE'] ?? 'postgres:15';

const started: StartedTestContainer[] = [];

export async function startTestContainers(): Promise<void> {
  const postgres = await new GenericContainer(POSTGRES_IMAGE)
    .withEnvironment({ POSTGRES_PASSWORD: 'postgres', POSTGRES_HOST_AUTH_METHOD: 'trust' })
    .withExposedPorts({ container: 5432, host: 5432 })
    .withCopyFilesToContainer([{ source: `${__dirname}/../../../infra/postgres/init.sql`, target: '/docker-entrypoint-initdb.d/init.sql' }])
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .start();
  started.push(postgres);

  const kafka = await new GenericContainer(KAFKA_IMAGE)
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093',
      KAFKA_ADVERTISED_LISTENERS: 'PLAINTEXT://127.0.0.1:9092',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    })
    .withExposedPorts({ container: 9092, host: 9092 })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .start();
  started.push(kafka);

  const registry = await new GenericContainer(REGISTRY_IMAGE)
    .withEnvironment({
      APICURIO_STORAGE_KIND: 'sql',
      APICURIO_STORAGE_SQL_KIND: 'postgresql',
      APICURIO_DATASOURCE_URL: 'jdbc:postgresql://host.docker.internal:5432/finmesh_registry',
      APICURIO_DATASOURCE_USERNAME: 'finmesh_registry',
      APICURIO_DATASOURCE_PASSWORD: 'finmesh-dev', // trust auth: ignored
    })
    .withExtraHosts([{ host: 'host.docker.internal', ipAddress: 'host-gateway' }])
    .withExposedPorts({ container: 8080, host: 8081 })
    .withWaitStrategy(Wait.forHttp('/apis/ccompat/v7/subjects', 8080))
    .start();
  started.push(registry);

  process.env['FINMESH_KAFKA_BROKERS'] = '127.0.0.1:9092';
  // The container broker is PLAINTEXT: no SASL users or ACLs there (the script-started stack has them).
  process.env['FINMESH_KAFKA_SECURITY_PROTOCOL'] = 'PLAINTEXT';
  process.env['FINMESH_REGISTRY_URL'] = 'http://127.0.0.1:8081/apis/ccompat/v7';
  process.env['FINMESH_DB_URL'] = 'postgres://postgres@127.0.0.1:5432/finmesh';
}

export async function stopTestContainers(): Promise<void> {
  for (const c of started.reverse()) await c.stop();
  started.length = 0;
}
