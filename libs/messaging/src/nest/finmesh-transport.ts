import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { ReliableConsumer, type ReliableConsumerOptions } from '../consuming/reliable-consumer';
import type { EventHandler } from '../consuming/handler-context';
import { EVENT_NAMES, topicNameFor, type EventName } from '@finmesh/contracts';

export type FinmeshTransportOptions = Omit<ReliableConsumerOptions, 'handlers' | 'topics'> & {
  /** Topics to consume; by default the catalog topics of the events the handlers name. */
  readonly topics?: readonly string[];
  /** Namespace prefix of the catalog topics (ignored when `topics` is given). */
  readonly topicPrefix?: string;
};

function isEventName(pattern: string): pattern is EventName {
  return (EVENT_NAMES as readonly string[]).includes(pattern);
}

/**
 * A NestJS custom transport on the finmesh runtime, so a service's consumer is just
 *
 *   @EventPattern('InvoiceReceived')
 *   async onInvoiceReceived(@Payload() invoice: InvoiceReceived, @Ctx() ctx: HandlerContext) { … }
 *
 * and inherits idempotency (inbox), ordering, batching, retries and dead letters from
 * {@link ReliableConsumer}. Patterns must be finmesh event names: a typo fails at start-up, not
 * silently at run time.
 */
export class FinmeshKafkaTransport extends Server implements CustomTransportStrategy {
  private consumer: ReliableConsumer | undefined;

  constructor(private readonly options: FinmeshTransportOptions) {
    super();
  }

  listen(callback: (...optionalParams: unknown[]) => void): void {
    this.start().then(
      () => callback(),
      (err: unknown) => callback(err),
    );
  }

  async close(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = undefined;
  }

  on(): never {
    throw new Error('FinmeshKafkaTransport does not emit transport events');
  }

  unwrap<T>(): T {
    if (!this.consumer) throw new Error('FinmeshKafkaTransport is not listening yet');
    return this.consumer as T;
  }

  /** The running consumer (its stats feed health and metrics). */
  get reliableConsumer(): ReliableConsumer | undefined {
    return this.consumer;
  }

  private async start(): Promise<void> {
    const handlers: Partial<Record<EventName, EventHandler>> = {};
    for (const [pattern, messageHandler] of this.getHandlers()) {
      if (!isEventName(pattern)) {
        throw new Error(`@EventPattern('${pattern}') is not a finmesh event; expected one of ${EVENT_NAMES.join(', ')}`);
      }
      handlers[pattern] = async (value, context) => {
        const result = await messageHandler(value, context);
        await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
      };
    }
    const events = Object.keys(handlers) as EventName[];
    if (events.length === 0) return; // nothing to consume; the transport stays idle
    const topics = this.options.topics ?? [...new Set(events.map((e) => topicNameFor(e, this.options.topicPrefix)))];
    this.consumer = new ReliableConsumer({ ...this.options, topics, handlers });
    await this.consumer.start();
  }
}
