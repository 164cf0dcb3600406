import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { ReliableConsumer, type ReliableConsumerOptions } from '../consuming/reliable-consumer';
import type { EventHandler } from '../consuming/handler-context';
import { EVENT_NAMES, ingressTopicFor, parseIngressPattern, topicNameFor, type EventName } from '@finmesh/contracts';

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
 *
 * A pattern made by `ingressPattern(platform, event)` reads the event from that platform's ingress
 * topic instead (the owning service's door for facts a platform produces). Ingress records are
 * consumed by a second consumer in its own group (`<group>.ingress`): one event name can then mean
 * a canonical event to one handler and a platform's proposal to another, and neither waits for
 * the other's partitions.
 */
export class FinmeshKafkaTransport extends Server implements CustomTransportStrategy {
  private consumer: ReliableConsumer | undefined;
  private ingress: ReliableConsumer | undefined;

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
    await Promise.all([this.consumer?.stop(), this.ingress?.stop()]);
    this.consumer = undefined;
    this.ingress = undefined;
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

  /** The consumer of the ingress topics, when the service has ingress handlers. */
  get ingressConsumer(): ReliableConsumer | undefined {
    return this.ingress;
  }

  private async start(): Promise<void> {
    const handlers: Partial<Record<EventName, EventHandler>> = {};
    const ingressHandlers: Partial<Record<EventName, EventHandler>> = {};
    const ingressTopics = new Set<string>();
    for (const [pattern, messageHandler] of this.getHandlers()) {
      const handler: EventHandler = async (value, context) => {
        const result = await messageHandler(value, context);
        await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
      };
      const ingress = parseIngressPattern(pattern);
      if (ingress) {
        ingressHandlers[ingress.event] = handler;
        ingressTopics.add(ingressTopicFor(ingress.platform, ingress.event, this.options.topicPrefix)!);
        continue;
      }
      if (!isEventName(pattern)) {
        throw new Error(`@EventPattern('${pattern}') is not a finmesh event or ingress pattern; expected one of ${EVENT_NAMES.join(', ')}`);
      }
      handlers[pattern] = handler;
    }
    const events = Object.keys(handlers) as EventName[];
    if (events.length > 0) {
      const topics = this.options.topics ?? [...new Set(events.map((e) => topicNameFor(e, this.options.topicPrefix)))];
      this.consumer = new ReliableConsumer({ ...this.options, topics, handlers });
      await this.consumer.start();
    }
    if (ingressTopics.size > 0) {
      this.ingress = new ReliableConsumer({ ...this.options, groupId: `${this.options.groupId}.ingress`, topics: [...ingressTopics], handlers: ingressHandlers });
      await this.ingress.start();
    }
  }
}
