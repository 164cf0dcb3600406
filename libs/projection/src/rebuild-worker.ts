/**
 * Body of a rebuild worker thread: one {@link LocalParticipant} over its share of the topics,
 * driven by messages from the rebuild in the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { EventCodec, kafkaJsConnection, localSchemaSource } from '@finmesh/contracts';
import type { ReadModelProjection } from './read-model-projection';
import { LocalParticipant } from './rebuild-participant';
import type { FromWorker, RebuildWorkerData, ToWorker } from './rebuild-worker-protocol';

const data = workerData as RebuildWorkerData;
const port = parentPort;
if (!port) throw new Error('rebuild-worker must run in a worker thread');

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the projection module is named at run time
const projection = (require(data.projection.modulePath) as Record<string, ReadModelProjection>)[data.projection.exportName];
if (!projection) throw new Error(`${data.projection.modulePath} does not export '${data.projection.exportName}'`);

// Two connections load tables at once: while this thread is the last one still loading, its
// COPYs and key builds then keep both cores busy instead of one.
const LOAD_CONNECTIONS = 2;
const pool = new Pool({ connectionString: data.databaseUrl, max: LOAD_CONNECTIONS });
const participant = new LocalParticipant({
  kafka: new Kafka({ clientId: `${data.groupId}-worker`, ...kafkaJsConnection(data.kafka), logLevel: logLevel.NOTHING }),
  codec: EventCodec.create(data.registryUrl, localSchemaSource()),
  pool,
  projection,
  stagingSchema: data.stagingSchema,
  loadSchema: data.loadSchema,
  topics: data.topics,
  groupId: data.groupId,
  loadConnections: LOAD_CONNECTIONS,
});

const send = (message: FromWorker) => port.postMessage(message);
const progress = setInterval(() => send({ type: 'progress', eventsRead: participant.eventsRead }), 250);

port.on('message', (message: ToWorker) => {
  const step = async () => {
    if (message.type === 'load') await participant.load(message.targets, message.starts);
    else if (message.type === 'drain') await participant.drain(message.targets);
    else {
      clearInterval(progress);
      await participant.close();
      await pool.end();
    }
  };
  step().then(
    () => send({ type: 'done', step: message.type, eventsRead: participant.eventsRead, timings: participant.timings }),
    (err: unknown) => send({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
  );
});
