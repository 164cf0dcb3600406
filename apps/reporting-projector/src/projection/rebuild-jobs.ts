import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { rebuildReadModels, type RebuildProgress, type TableChecksum } from '@finmesh/projection';
import { KafkaConnection, LOGGER, MessagingRuntime, SERVICE_CONFIG, type ServiceConfig } from '@finmesh/service-kit';
import { REPORTING_PROJECTION, REPORTING_PROJECTION_MODULE } from '../read-models/reporting-projection';
import { LiveProjection } from './live-projection';
import { projectionObservations } from './projection-observation-store';

export interface RebuildJob {
  readonly rebuildId: string;
  status: 'running' | 'succeeded' | 'failed';
  phase: RebuildProgress['phase'];
  eventsDone: number;
  eventsTotal: number;
  ratePerSec: number;
  readonly startedAt: string;
  finishedAt: string | null;
  error: string | null;
  requestedBy: string;
  tables: TableChecksum[];
}

/** Rebuilds requested through the API; one at a time, progress kept for operators to poll. */
@Injectable()
export class RebuildJobs {
  private readonly jobs = new Map<string, RebuildJob>();

  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly kafka: KafkaConnection,
    private readonly messaging: MessagingRuntime,
    private readonly live: LiveProjection,
  ) {}

  running(): RebuildJob | undefined {
    return [...this.jobs.values()].find((j) => j.status === 'running');
  }

  get(rebuildId: string): RebuildJob | undefined {
    return this.jobs.get(rebuildId);
  }

  /** Starts a rebuild in the background and returns its job at once. */
  start(requestedBy: string): RebuildJob {
    const job: RebuildJob = {
      rebuildId: randomUUID(),
      status: 'running',
      phase: 'loading',
      eventsDone: 0,
      eventsTotal: 0,
      ratePerSec: 0,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      error: null,
      requestedBy,
      tables: [],
    };
    this.jobs.set(job.rebuildId, job);
    void this.run(job);
    return job;
  }

  private async run(job: RebuildJob): Promise<void> {
    const log = this.logger.child({ rebuildId: job.rebuildId });
    log.info({ requestedBy: job.requestedBy }, 'reporting rebuild started');
    try {
      const result = await rebuildReadModels({
        kafka: this.kafka.kafka,
        pool: this.live.pool,
        codec: this.messaging.codec,
        projection: REPORTING_PROJECTION,
        schema: this.live.schema,
        topics: this.live.topics,
        logger: log,
        // Worker threads split the topics: the reporting projection writes each row from one topic's events.
        workers: {
          kafka: this.config.kafka,
          registryUrl: this.config.registry.url,
          databaseUrl: this.config.database.url,
          projection: REPORTING_PROJECTION_MODULE,
        },
        // Open dashboards refresh at once onto the new tables.
        afterSwitch: (exec) => projectionObservations.notifyChanged(exec, this.live.schema),
        onProgress: (p) => Object.assign(job, { phase: p.phase, eventsDone: p.eventsDone, eventsTotal: p.eventsTotal, ratePerSec: p.ratePerSec }),
      });
      Object.assign(job, { status: 'succeeded', tables: [...result.tables], eventsDone: result.events, ratePerSec: result.eventsPerSecond });
    } catch (err) {
      job.status = 'failed';
      job.error = err instanceof Error ? err.message : String(err);
      log.error({ err }, 'reporting rebuild failed');
    } finally {
      job.finishedAt = new Date().toISOString();
    }
  }
}
