import pino from 'pino';
import type { DataSource } from 'typeorm';
import { type EventCodec } from '@finmesh/contracts';
import { ReliableConsumer } from '@finmesh/messaging';
import { loadServiceConfig } from '../config/service-config';
import { DatabaseConnection } from '../database/database-connection';
import { KafkaConnection } from '../kafka/kafka-connection';
import { MessagingMetrics } from '../metrics/messaging-metrics';
import { ServiceMetrics } from '../metrics/service-metrics';
import { MessagingRuntime } from './messaging-runtime';

describe('MessagingRuntime metrics wiring', () => {
  const config = loadServiceConfig(
    { serviceName: 'reporting-projector', httpPort: 3005, dbSchema: 'reporting' },
    { FINMESH_JWT_SECRET: 'unit-test-secret-0123456789abcdef0123', FINMESH_TOPIC_PREFIX: 'ns.' },
  );
  const logger = pino({ level: 'silent' });
  const kafka = new KafkaConnection({ ...config.kafka, clientId: 'unit' }, logger);
  const database = new DatabaseConnection({ url: config.database.url, schema: 'reporting', poolSize: 1, applicationName: 'unit' });

  it('hands its observer to consumers a service builds itself and reports their subscriptions', () => {
    const observer = new MessagingMetrics(new ServiceMetrics('reporting-projector', { defaultMetrics: false }));
    const runtime = new MessagingRuntime(config, kafka, database, logger, observer);
    expect(runtime.metricsObserver).toBe(observer);
    expect(runtime.subscriptions()).toEqual([]);

    const consumer = new ReliableConsumer({
      kafka: kafka.kafka,
      groupId: 'reporting-projector',
      topics: ['ns.finmesh.invoice.v1', 'ns.finmesh.payment.v1'],
      dataSource: {} as DataSource,
      schema: 'reporting',
      codec: {} as EventCodec,
      handlers: {},
      logger,
      observer: runtime.metricsObserver,
    });
    runtime.registerConsumer(consumer);
    runtime.registerConsumer(consumer);
    expect(runtime.subscriptions()).toEqual([
      {
        groupId: 'reporting-projector',
        topics: ['ns.finmesh.invoice.v1', 'ns.finmesh.payment.v1'],
        deadLetterTopics: ['ns.finmesh.invoice.v1.dlt', 'ns.finmesh.payment.v1.dlt'],
      },
    ]);
  });
});
