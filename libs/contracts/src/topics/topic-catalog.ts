/**
 * The topic catalog: the one place that says which topic carries which event,
 * how it is keyed, partitioned and retained, and how its schemas are named in the registry.
 *
 * One topic per aggregate, keyed by the aggregate's business id, so that every event of one
 * supplier / purchase order / invoice / payment lands on one partition and stays in order.
 * Goods receipts travel on the purchase-order topic (keyed by PO id) because matching needs
 * "PO issued" to be seen before "receipt recorded" for the same order.
 *
 * Several record types share a topic, so subjects follow Confluent's
 * TopicRecordNameStrategy: `<topic>-<record full name>`.
 *
 * Partitioning contract (PARTITIONER): a keyed record goes to murmur2(key) mod partitions, as the
 * Java client's default partitioner computes it (kafkajs' DefaultPartitioner, librdkafka's
 * `partitioner=murmur2_random`). Any other partitioner (librdkafka's default `consistent_random`
 * is crc32) splits one aggregate across partitions and breaks its order, so every finmesh
 * consumer checks it and dead-letters a misrouted record as WRONG_PARTITION.
 */
export const PARTITIONER = 'murmur2' as const;
export type Aggregate = 'supplier' | 'purchase-order' | 'invoice' | 'payment';

export interface TopicSpec {
  readonly aggregate: Aggregate;
  readonly name: string;
  readonly partitions: number;
  /** Retention in ms; -1 keeps the history forever (reporting rebuilds replay it). */
  readonly retentionMs: number;
  /** What the record key holds. */
  readonly key: string;
  /** Record full names (Avro) that may appear on this topic. */
  readonly events: readonly EventName[];
}

export const EVENT_NAMES = [
  'SupplierUpserted',
  'SupplierBlocked',
  'SupplierUnblocked',
  'PurchaseOrderIssued',
  'PurchaseOrderChanged',
  'PurchaseOrderClosed',
  'GoodsReceiptRecorded',
  'InvoiceReceived',
  'InvoiceMatched',
  'MatchExceptionRaised',
  'InvoiceApproved',
  'InvoicePosted',
  'InvoicePostingFailed',
  'InvoiceErpValidationReported',
  'InvoiceCancelled',
  'PaymentReleased',
  'PaymentConfirmed',
  'PaymentVoided',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/** Avro namespace per aggregate; record full name = `${namespace}.${EventName}`. */
export const AGGREGATE_NAMESPACE: Readonly<Record<Aggregate, string>> = {
  supplier: 'finmesh.supplier',
  'purchase-order': 'finmesh.purchaseorder',
  invoice: 'finmesh.invoice',
  payment: 'finmesh.payment',
};

const KEEP_FOREVER = -1;

export const TOPICS: Readonly<Record<Aggregate, TopicSpec>> = {
  supplier: {
    aggregate: 'supplier',
    name: 'finmesh.supplier.v1',
    partitions: 6,
    retentionMs: KEEP_FOREVER,
    key: 'supplierId',
    events: ['SupplierUpserted', 'SupplierBlocked', 'SupplierUnblocked'],
  },
  'purchase-order': {
    aggregate: 'purchase-order',
    name: 'finmesh.purchase-order.v1',
    partitions: 12,
    retentionMs: KEEP_FOREVER,
    key: 'purchaseOrderId',
    events: ['PurchaseOrderIssued', 'PurchaseOrderChanged', 'PurchaseOrderClosed', 'GoodsReceiptRecorded'],
  },
  invoice: {
    aggregate: 'invoice',
    name: 'finmesh.invoice.v1',
    partitions: 12,
    retentionMs: KEEP_FOREVER,
    key: 'invoiceId',
    events: [
      'InvoiceReceived',
      'InvoiceMatched',
      'MatchExceptionRaised',
      'InvoiceApproved',
      'InvoicePosted',
      'InvoicePostingFailed',
      'InvoiceErpValidationReported',
      'InvoiceCancelled',
    ],
  },
  payment: {
    aggregate: 'payment',
    name: 'finmesh.payment.v1',
    partitions: 6,
    retentionMs: KEEP_FOREVER,
    key: 'paymentId',
    events: ['PaymentReleased', 'PaymentConfirmed', 'PaymentVoided'],
  },
};

export const ALL_TOPICS: readonly TopicSpec[] = Object.values(TOPICS);

/**
 * System of record per object: who owns the truth, and the one service that writes its canonical
 * topic. External platforms never write canonical topics; they hand facts to the owner on its
 * ingress topics (below), or by its HTTP API or its poller, and the owner validates, decides and
 * publishes the canonical event through its outbox. Kafka ACLs (issue 17) rest on this table.
 */
export const SYSTEM_OF_RECORD = {
  supplier: { owner: 'ERP', writer: 'supplier-sync' },
  'purchase-order': { owner: 'PROCUREMENT', writer: 'po-sync', note: 'purchase orders and goods receipts' },
  invoice: { owner: 'AP_AUTOMATION', writer: 'invoice-sync', note: 'capture from AP; matching, approval and posting outcomes (the posting itself from the ERP) by invoice-sync' },
  payment: { owner: 'ERP', writer: 'payment-sync' },
} as const satisfies Record<Aggregate, { owner: string; writer: string; note?: string }>;

/**
 * The finmesh services that consume each canonical topic (their @EventPattern handlers, live
 * projections and write-back flows). Kafka ACLs give each of them READ on the topic and WRITE on
 * its dead-letter topic, and nothing else; a handler added without a line here fails at start
 * with TOPIC_AUTHORIZATION_FAILED.
 */
export const CANONICAL_CONSUMERS: Readonly<Record<Aggregate, readonly string[]>> = {
  supplier: ['supplier-sync', 'po-sync', 'invoice-sync', 'reporting-projector'],
  'purchase-order': ['po-sync', 'invoice-sync', 'reporting-projector'],
  invoice: ['invoice-sync', 'po-sync', 'payment-sync', 'reporting-projector'],
  payment: ['invoice-sync', 'reporting-projector'],
};

/** A platform that produces facts onto ingress topics. */
export type IngressPlatform = 'procurement' | 'ap' | 'erp';

/** A topic on which one external platform hands facts to their owning service. */
export interface IngressTopicSpec extends TopicSpec {
  readonly platform: IngressPlatform;
  /** The service that consumes it, validates the records and publishes the canonical events. */
  readonly consumer: string;
}

const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Ingress topics, one per producing platform and aggregate. Records are the canonical Avro
 * contracts (same subjects strategy, registered per topic), keyed and partitioned as the canonical
 * topic is. They are a hand-over, not the history: seven days of retention, the canonical topic
 * keeps the history.
 *
 * Procurement states an order as a whole: `PurchaseOrderIssued` with the order's current revision
 * (po-sync decides whether that issues it, changes it, is a re-send, or is refused), as Coupa's
 * own API returns whole orders. PurchaseOrderChanged is po-sync's to derive and is not accepted.
 *
 * The ERP states a supplier as a whole too (SupplierUpserted), with its holds placed and lifted
 * (SupplierBlocked, SupplierUnblocked); supplier-sync derives the canonical events. ERP payments
 * have no ingress topic: payment-sync keys them by the ERP's own ids (CheckId, InvoiceId,
 * SupplierNumber), which the canonical payment events do not carry.
 */
export const INGRESS_TOPICS: readonly IngressTopicSpec[] = [
  {
    platform: 'procurement',
    aggregate: 'purchase-order',
    name: 'finmesh.ingress.procurement.purchase-order.v1',
    partitions: 12,
    retentionMs: SEVEN_DAYS_MS,
    key: 'purchaseOrderId',
    events: ['PurchaseOrderIssued', 'PurchaseOrderClosed', 'GoodsReceiptRecorded'],
    consumer: 'po-sync',
  },
  {
    platform: 'ap',
    aggregate: 'invoice',
    name: 'finmesh.ingress.ap.invoice.v1',
    partitions: 12,
    retentionMs: SEVEN_DAYS_MS,
    key: 'invoiceId',
    events: ['InvoiceReceived'],
    consumer: 'invoice-sync',
  },
  {
    platform: 'erp',
    aggregate: 'supplier',
    name: 'finmesh.ingress.erp.supplier.v1',
    partitions: 6,
    retentionMs: SEVEN_DAYS_MS,
    key: 'supplierId',
    events: ['SupplierUpserted', 'SupplierBlocked', 'SupplierUnblocked'],
    consumer: 'supplier-sync',
  },
];

/** The ingress topic of `platform` that carries `event` (with the namespace prefix), or undefined. */
export function ingressTopicFor(platform: IngressPlatform, event: EventName, prefix = ''): string | undefined {
  const spec = INGRESS_TOPICS.find((t) => t.platform === platform && t.events.includes(event));
  return spec && `${prefix}${spec.name}`;
}

export function prefixedIngressTopics(prefix = ''): IngressTopicSpec[] {
  return INGRESS_TOPICS.map((t) => ({ ...t, name: `${prefix}${t.name}` }));
}

/**
 * A NestJS `@EventPattern` for an event read from a platform's ingress topic rather than from its
 * canonical topic: `ingressPattern('procurement', 'PurchaseOrderIssued')`.
 */
export function ingressPattern(platform: IngressPlatform, event: EventName): string {
  return `ingress.${platform}.${event}`;
}

/** The platform and event of an {@link ingressPattern}, or undefined for any other pattern. */
export function parseIngressPattern(pattern: string): { platform: IngressPlatform; event: EventName } | undefined {
  const match = /^ingress\.([a-z-]+)\.([A-Za-z]+)$/.exec(pattern);
  if (!match) return undefined;
  const [, platform, event] = match as unknown as [string, IngressPlatform, EventName];
  return INGRESS_TOPICS.some((t) => t.platform === platform && t.events.includes(event)) ? { platform, event } : undefined;
}

export function topicForEvent(event: EventName): TopicSpec {
  const spec = ALL_TOPICS.find((t) => t.events.includes(event));
  if (!spec) throw new Error(`Event ${event} is not assigned to any topic in the catalog`);
  return spec;
}

export function recordFullName(event: EventName): string {
  return `${AGGREGATE_NAMESPACE[topicForEvent(event).aggregate]}.${event}`;
}

/** TopicRecordNameStrategy subject for an event on its catalog topic. */
export function subjectFor(event: EventName, topicName: string = topicForEvent(event).name): string {
  return `${topicName}-${recordFullName(event)}`;
}

/**
 * An isolated namespace of the catalog on a shared cluster (an environment, a tenant, one test
 * run): every topic name gets the prefix, and so does every subject (TopicRecordNameStrategy).
 */
export function topicNameFor(event: EventName, prefix = ''): string {
  return `${prefix}${topicForEvent(event).name}`;
}

export function prefixedTopics(prefix = ''): TopicSpec[] {
  return ALL_TOPICS.map((t) => ({ ...t, name: `${prefix}${t.name}` }));
}

export const TOPIC_PREFIX_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}\.$/;
