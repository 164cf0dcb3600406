import type { Counter, Histogram } from 'prom-client';
import type {
  ConsumedEventObservation,
  DeadLetterObservation,
  EventIdConflictObservation,
  HandlerObservation,
  MessagingObserver,
  ProducedEventObservation,
  RetryObservation,
} from '@finmesh/messaging';
import { defineMetric, type ServiceMetrics } from './service-metrics';

/** Technical metrics every service has, fed by the messaging runtime (@finmesh/messaging observer hooks). */
export const MESSAGING_METRICS = {
  eventsConsumed: defineMetric({
    name: 'finmesh_events_consumed_total',
    help: 'Events consumed, by outcome: applied (handler ran and committed), duplicate (skipped by the inbox), dead_lettered.',
    labelNames: ['topic', 'event', 'outcome'],
  }),
  eventsProduced: defineMetric({
    name: 'finmesh_events_produced_total',
    help: 'Events the outbox relay published and the broker acknowledged.',
    labelNames: ['topic', 'event'],
  }),
  handlerDuration: defineMetric({
    name: 'finmesh_event_handler_duration_seconds',
    help: 'Wall time of event handler calls (inside the consumer transaction), by outcome ok/error.',
    labelNames: ['topic', 'event', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  }),
  retries: defineMetric({
    name: 'finmesh_event_retries_total',
    help: 'Retries scheduled after a transient handler failure, by failure code.',
    labelNames: ['topic', 'event', 'code'],
  }),
  deadLetters: defineMetric({
    name: 'finmesh_dead_letters_total',
    help: 'Records this service published to a dead-letter topic, by error class (PERMANENT, TRANSIENT_EXHAUSTED).',
    labelNames: ['topic', 'event', 'error_class'],
  }),
  eventIdConflicts: defineMetric({
    name: 'finmesh_event_id_conflicts_total',
    help: 'Events whose id was applied before with other content (dead-lettered as EVENT_ID_CONFLICT).',
    labelNames: ['topic', 'event'],
  }),
  deadLetterDepth: defineMetric({
    name: 'finmesh_dead_letter_topic_depth',
    help: 'Records held by the dead-letter topics of the topics this service consumes (end minus start offset).',
    labelNames: ['topic'],
  }),
  consumerLag: defineMetric({
    name: 'finmesh_consumer_lag',
    help: "Records on a partition not yet committed by this service's consumer group.",
    labelNames: ['consumer_group', 'topic', 'partition'],
  }),
  outboxBacklog: defineMetric({
    name: 'finmesh_outbox_backlog',
    help: 'Outbox rows committed but not yet published to Kafka.',
    labelNames: [],
  }),
  outboxOldestPendingAge: defineMetric({
    name: 'finmesh_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest unpublished outbox row (0 when none is pending).',
    labelNames: [],
  }),
} as const;

/** The MessagingObserver of a service, recording into its registry. */
export class MessagingMetrics implements MessagingObserver {
  private readonly consumed: Counter<'topic' | 'event' | 'outcome'>;
  private readonly produced: Counter<'topic' | 'event'>;
  private readonly handlerDuration: Histogram<'topic' | 'event' | 'outcome'>;
  private readonly retries: Counter<'topic' | 'event' | 'code'>;
  private readonly deadLetters: Counter<'topic' | 'event' | 'error_class'>;
  private readonly conflicts: Counter<'topic' | 'event'>;

  constructor(metrics: ServiceMetrics) {
    this.consumed = metrics.counter(MESSAGING_METRICS.eventsConsumed);
    this.produced = metrics.counter(MESSAGING_METRICS.eventsProduced);
    this.handlerDuration = metrics.histogram(MESSAGING_METRICS.handlerDuration);
    this.retries = metrics.counter(MESSAGING_METRICS.retries);
    this.deadLetters = metrics.counter(MESSAGING_METRICS.deadLetters);
    this.conflicts = metrics.counter(MESSAGING_METRICS.eventIdConflicts);
  }

  eventsConsumed({ topic, event, outcome, count }: ConsumedEventObservation): void {
    this.consumed.inc({ topic, event, outcome }, count);
  }

  handlerFinished({ topic, event, seconds, failed }: HandlerObservation): void {
    this.handlerDuration.observe({ topic, event, outcome: failed ? 'error' : 'ok' }, seconds);
  }

  retryScheduled({ topic, event, code }: RetryObservation): void {
    this.retries.inc({ topic, event, code });
  }

  deadLettered({ topic, event, errorClass }: DeadLetterObservation): void {
    this.deadLetters.inc({ topic, event, error_class: errorClass });
  }

  eventIdConflict({ topic, event }: EventIdConflictObservation): void {
    this.conflicts.inc({ topic, event });
  }

  eventsProduced({ topic, event, count }: ProducedEventObservation): void {
    this.produced.inc({ topic, event }, count);
  }
}
