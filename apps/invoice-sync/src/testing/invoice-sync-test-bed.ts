import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import {
  Decimal,
  decimal,
  MONEY_SCALE,
  QUANTITY_SCALE,
  UNIT_PRICE_SCALE,
  type EventCodec,
  type EventName,
  type FinmeshEventMap,
  ingressTopicFor,
  type IngressPlatform,
  type LegalEntityRef,
  type MatchType,
  newEnvelope,
  type PurchaseOrderLine,
  topicNameFor,
} from '@finmesh/contracts';
import { publishEvent } from '@finmesh/messaging';
import {
  createServiceApp,
  DatabaseConnection,
  MessagingRuntime,
  mintDevToken,
  type Role,
  ServiceActivation,
} from '@finmesh/service-kit';
import {
  createTestSchema,
  dropTestSchema,
  env,
  provisionTestNamespace,
  testCodec,
  testKafka,
  uniqueName,
  serviceKafkaEnv,
} from '@finmesh/testing';
import { type ApSimulator, startApSimulator } from '@finmesh/ap-simulator';
import { type ErpSimulator, startErpSimulator } from '@finmesh/erp-simulator';
import { invoiceSyncService } from '../invoice-sync-service';

export const JWT_SECRET = 'invoice-sync-int-test-secret-0123456789abcdef';
/** A legal entity in region EMEA without own overrides: unit price 1.5 % / 5.00, total 1 % / 50.00, quantity 0 %. */
export const LEGAL_ENTITY: LegalEntityRef = { code: 'NL02', country: 'NL', name: 'finmesh Test B.V.' };

export interface InvoiceSyncTestBed {
  readonly app: INestApplication;
  readonly url: string;
  readonly erp: ErpSimulator;
  /** The AP platform simulator invoice-sync writes back to, when opened with `ap: true`. */
  readonly ap: ApSimulator | undefined;
  readonly ds: DataSource;
  readonly codec: EventCodec;
  /** Topic namespace prefix of this bed (FINMESH_TOPIC_PREFIX). */
  readonly prefix: string;
  /** The service's db schema. */
  readonly schema: string;
  /** Produces to the event's canonical topic, or with `ingress` to that platform's ingress topic. */
  publish<K extends EventName>(event: K, key: string, value: FinmeshEventMap[K], ingress?: IngressPlatform): Promise<void>;
  /** A token for `clientId` (default every legal entity; `legalEntities` scopes it). */
  token(roles: readonly Role[], clientId?: string, legalEntities?: readonly string[]): Promise<string>;
  /** Events invoice-sync wrote for an aggregate key, decoded, in order. */
  emitted(key: string): Promise<{ event: string; value: Record<string, unknown> }[]>;
  teardown(): Promise<void>;
}

/**
 * invoice-sync on the real stack, isolated: its own topic namespace, db schema, consumer group
 * and an ERP simulator on a free port. ERP calls time out after 1.5 s so timeout faults are quick.
 * `purchaseOrderCheck` is the simulator's (default 'off'). `ap` adds an AP platform simulator
 * that invoice-sync writes each invoice's fate back to (FINMESH_AP_*, no rate limit).
 */
export async function openInvoiceSyncTestBed(opts: { purchaseOrderCheck?: 'enforce' | 'off'; ap?: boolean } = {}): Promise<InvoiceSyncTestBed> {
  const ns = await provisionTestNamespace();
  const schema = await createTestSchema();
  const erp = await startErpSimulator({
    port: 0,
    hangMs: 3_000,
    // Off by default: suites that do not create POs in the simulator post whatever finmesh decides.
    // 'enforce' refuses a PO-matched line for a PO the simulator does not hold, as Fusion does.
    purchaseOrderCheck: opts.purchaseOrderCheck ?? 'off',
  });
  const ap = opts.ap ? await startApSimulator({ port: 0, rateLimit: false }) : undefined;
  const apSettings = ap
    ? {
        FINMESH_AP_BASE_URL: ap.url,
        FINMESH_AP_TOKEN_URL: `${ap.url}/oauth2/token`,
        FINMESH_AP_CLIENT_ID: 'finmesh',
        FINMESH_AP_CLIENT_SECRET: 'finmesh-ap-simulator-secret',
        FINMESH_AP_DELIVERY_BREAKER_COOLDOWN_MS: '1000',
      }
    : {};
  const settings = {
    FINMESH_TOPIC_PREFIX: ns.prefix,
    FINMESH_DB_SCHEMA: schema,
    FINMESH_JWT_SECRET: JWT_SECRET,
    FINMESH_LOG_LEVEL: process.env['BED_LOG'] ?? 'silent',
    ...serviceKafkaEnv('invoice-sync'),
    FINMESH_REGISTRY_URL: env.registryUrl,
    FINMESH_DB_URL: env.databaseUrl,
    FINMESH_ERP_BASE_URL: erp.url,
    FINMESH_ERP_TIMEOUT_MS: '1500',
    // The test legal entity's business unit, for the supplier pay-site rule.
    FINMESH_LEGAL_ENTITIES: JSON.stringify([{ kind: 'business-unit', value: 'NL Test Business Unit', legalEntity: LEGAL_ENTITY }]),
    // The simulator's dev integration user (tools/erp-simulator auth/credentials.ts).
    FINMESH_ERP_AUTH: 'basic',
    FINMESH_ERP_USERNAME: 'finmesh',
    FINMESH_ERP_PASSWORD: 'finmesh-dev',
    // Read-back polls quickly, so tests see holds and cancellations within a second.
    FINMESH_ERP_POLL_INTERVAL_MS: '200',
    FINMESH_ERP_POLL_OVERLAP_MS: '5000',
    // The posting breaker probes again after 1 s, so outage tests see it open and close quickly.
    FINMESH_ERP_DELIVERY_BREAKER_COOLDOWN_MS: '1000',
    ...apSettings,
  };
  // Own consumer group: other suites (and a running stack) use the group 'invoice-sync'.
  const definition = { ...invoiceSyncService(settings), serviceName: uniqueName('invoice-sync-it'), dbSchema: schema };
  const { app } = await createServiceApp(definition, settings);
  app.get(MessagingRuntime).connectTo(app);
  await app.listen(0, '127.0.0.1');
  await app.get(ServiceActivation).activated;
  await app.startAllMicroservices();
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');

  const producer: Producer = testKafka().producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const codec = testCodec();
  const ds = app.get(DatabaseConnection).dataSource;

  return {
    app,
    url,
    erp,
    ap,
    ds,
    codec,
    prefix: ns.prefix,
    schema,
    async publish(event, key, value, ingress) {
      const topic = ingress ? ingressTopicFor(ingress, event, ns.prefix) : topicNameFor(event, ns.prefix);
      if (!topic) throw new Error(`${event} has no ingress topic for ${ingress}`);
      await publishEvent(producer, codec, { event, key, value, eventId: value.envelope.eventId, topic });
    },
    token: (roles, clientId = 'test-client', legalEntities) => mintDevToken({ clientId, roles, secret: JWT_SECRET, ...(legalEntities ? { legalEntities } : {}) }),
    async emitted(key) {
      const rows = (await ds.query('SELECT event_type, value FROM finmesh_outbox WHERE message_key = $1 ORDER BY id', [key])) as { event_type: string; value: Buffer }[];
      return Promise.all(rows.map(async (r) => ({ event: r.event_type, value: (await codec.decode(r.value)).value as Record<string, unknown> })));
    },
    async teardown() {
      await producer.disconnect();
      await app.close();
      await erp.close();
      await ap?.close();
      await ns.cleanup();
      await dropTestSchema(schema);
    },
  };
}

// ---- canonical input events (what supplier-sync and po-sync publish) ----

const envelope = (event: EventName) => newEnvelope(event, { sourcePlatform: 'PROCUREMENT', legalEntity: LEGAL_ENTITY });

export function supplierUpserted(supplierId: string, erpNumber: string, sites: FinmeshEventMap['SupplierUpserted']['sites'] = []): FinmeshEventMap['SupplierUpserted'] {
  return {
    envelope: envelope('SupplierUpserted'),
    supplierId,
    revision: 1,
    externalIds: { ERP: erpNumber },
    legalName: `Supplier ${erpNumber} GmbH`,
    tradingName: null,
    status: 'ACTIVE',
    registeredAddress: { line1: 'Hauptstr. 1', line2: null, city: 'Berlin', region: null, postalCode: '10115', country: 'DE' },
    remitToAddress: null,
    taxIds: [],
    bankAccounts: [],
    paymentTerms: { code: 'N30', netDays: 30, discountPercent: null, discountDays: null },
    defaultCurrency: 'EUR',
    contactEmail: null,
    sites,
  };
}

export function supplierBlocked(supplierId: string): FinmeshEventMap['SupplierBlocked'] {
  return { envelope: envelope('SupplierBlocked'), supplierId, scope: 'ALL', reasonCode: 'BANK_DATA_UNVERIFIED', reason: 'bank details changed', blockedBy: 'vendor-master' };
}

export function supplierUnblocked(supplierId: string): FinmeshEventMap['SupplierUnblocked'] {
  return { envelope: envelope('SupplierUnblocked'), supplierId, scope: 'ALL', reason: 'verified', unblockedBy: 'vendor-master' };
}

export interface PoLineSpec {
  readonly lineNumber: number;
  readonly quantity: string;
  readonly unitPrice: string;
  readonly matchType: MatchType;
}

export function purchaseOrderIssued(purchaseOrderId: string, poNumber: string, supplierId: string, lines: readonly PoLineSpec[]): FinmeshEventMap['PurchaseOrderIssued'] {
  const poLines: PurchaseOrderLine[] = lines.map((l) => ({
    lineNumber: l.lineNumber,
    itemCode: `ITEM-${l.lineNumber}`,
    description: `Item ${l.lineNumber}`,
    quantity: decimal(l.quantity).toFixed(QUANTITY_SCALE),
    unitOfMeasure: 'EA',
    unitPrice: { amount: decimal(l.unitPrice).toFixed(UNIT_PRICE_SCALE), currency: 'EUR' },
    amount: { amount: decimal(l.quantity).mul(decimal(l.unitPrice)).toFixed(MONEY_SCALE), currency: 'EUR' },
    taxCode: 'NL-VAT-21',
    costCenter: { code: 'CC100', name: null },
    glAccount: '4410',
    matchType: l.matchType,
    needByDate: null,
  }));
  const net = Decimal.sum(poLines.map((l) => decimal(l.amount.amount)));
  return {
    envelope: envelope('PurchaseOrderIssued'),
    purchaseOrderId,
    poNumber,
    revision: 0,
    supplierId,
    buyer: null,
    orderDate: '2025-03-01',
    currency: 'EUR',
    paymentTerms: null,
    shipTo: null,
    lines: poLines,
    totals: { net: money(net), tax: money(net.percentOf(decimal('21'))), gross: money(net.add(net.percentOf(decimal('21')))) },
  };
}

export function goodsReceipt(purchaseOrderId: string, supplierId: string, lines: readonly { poLineNumber: number; quantity: string }[]): FinmeshEventMap['GoodsReceiptRecorded'] {
  return {
    envelope: envelope('GoodsReceiptRecorded'),
    purchaseOrderId,
    receiptId: randomUUID(),
    receiptNumber: null,
    supplierId,
    receivedAt: new Date(),
    receivedBy: null,
    lines: lines.map((l) => ({ poLineNumber: l.poLineNumber, quantityReceived: decimal(l.quantity).toFixed(QUANTITY_SCALE), unitOfMeasure: 'EA' })),
  };
}

// ---- captured invoices (what the AP automation platform POSTs: a Coupa invoice) ----

export interface CapturedLineSpec {
  readonly poLineNumber: number;
  readonly quantity: string;
  readonly unitPrice: string;
}

let lastCoupaInvoiceId = 0;
/** A Coupa invoice id no other test run uses (Coupa ids are integers). */
function nextCoupaInvoiceId(): number {
  lastCoupaInvoiceId = Math.max(lastCoupaInvoiceId + 1, Date.now() * 1000 + Math.floor(Math.random() * 1000));
  return lastCoupaInvoiceId;
}

/**
 * A Coupa invoice (Invoices API shape) for `POST /v1/ap/invoices`, 21 % NL VAT at header level,
 * amounts consistent. `coupaId` + a later `updatedAt` (and `lockVersion`) make a new version of an
 * earlier one (a correction, or `status: 'voided'`); `withoutAccounting` leaves the lines without
 * an account (GL account and cost center).
 */
export function capturedInvoice(opts: {
  invoiceNumber: string;
  supplierErpNumber: string;
  poNumber: string;
  lines: readonly CapturedLineSpec[];
  invoiceDate?: string;
  coupaId?: number;
  updatedAt?: Date;
  lockVersion?: number;
  status?: string;
  withoutAccounting?: boolean;
}): Record<string, unknown> {
  const lines = opts.lines.map((l, i) => ({
    'line-num': i + 1,
    type: 'InvoiceQuantityLine',
    'source-part-num': `ITEM-${l.poLineNumber}`,
    description: `Item ${l.poLineNumber}`,
    quantity: l.quantity,
    uom: { code: 'EA' },
    price: l.unitPrice,
    total: decimal(l.quantity).mul(decimal(l.unitPrice)).toFixed(2),
    'tax-code': { code: 'NL-VAT-21' },
    'po-number': opts.poNumber,
    'order-line-num': String(l.poLineNumber),
    ...(opts.withoutAccounting ? {} : { account: { 'account-type': { name: LEGAL_ENTITY.code }, 'segment-1': LEGAL_ENTITY.code, 'segment-2': '4410', 'segment-3': 'CC100' } }),
  }));
  const net = Decimal.sum(lines.map((l) => decimal(l.total)));
  const tax = net.percentOf(decimal('21')).round(2);
  const gross = net.add(tax);
  const now = new Date().toISOString();
  return {
    id: opts.coupaId ?? nextCoupaInvoiceId(),
    'created-at': now,
    'updated-at': (opts.updatedAt ?? new Date()).toISOString(),
    ...(opts.lockVersion !== undefined ? { 'lock-version-key': opts.lockVersion } : {}),
    'invoice-number': opts.invoiceNumber,
    'invoice-date': opts.invoiceDate ?? '2025-03-18',
    'document-type': 'Invoice',
    status: opts.status ?? 'pending_approval',
    exported: false,
    currency: { code: 'EUR' },
    supplier: { number: opts.supplierErpNumber },
    'account-type': { name: LEGAL_ENTITY.code },
    'net-due-date': null,
    'payment-term': null,
    'line-level-taxation': false,
    'tax-code': 'NL-VAT-21',
    'tax-rate': '21',
    'tax-amount': tax.toFixed(2),
    'gross-total': gross.toFixed(2),
    'invoice-lines': lines,
  };
}

function money(n: Decimal): { amount: string; currency: string } {
  return { amount: n.toFixed(MONEY_SCALE), currency: 'EUR' };
}

// ---- payments (what payment-sync publishes) ----

export function paymentReleased(paymentId: string, supplierId: string, invoiceId: string, amount: string): FinmeshEventMap['PaymentReleased'] {
  const money = { amount: decimal(amount).toFixed(MONEY_SCALE), currency: 'EUR' };
  return {
    envelope: newEnvelope('PaymentReleased', { sourcePlatform: 'ERP', legalEntity: LEGAL_ENTITY }),
    paymentId,
    paymentRunId: `RUN-${paymentId.slice(0, 8)}`,
    supplierId,
    amount: money,
    method: 'SEPA_CREDIT_TRANSFER',
    valueDate: '2025-04-01',
    payeeBankAccountRef: '****3000',
    allocations: [{ invoiceId, supplierInvoiceNumber: null, amount: money, discountTaken: null }],
  };
}

export function paymentVoided(paymentId: string, supplierId: string, invoiceId: string, amount: string): FinmeshEventMap['PaymentVoided'] {
  const money = { amount: decimal(amount).toFixed(MONEY_SCALE), currency: 'EUR' };
  return {
    envelope: newEnvelope('PaymentVoided', { sourcePlatform: 'ERP', legalEntity: LEGAL_ENTITY }),
    paymentId,
    supplierId,
    voidDate: '2025-04-03',
    amount: money,
    allocations: [{ invoiceId, supplierInvoiceNumber: null, amount: money, discountTaken: null }],
    reason: null,
  };
}

export function paymentConfirmed(paymentId: string, supplierId: string, invoiceId: string, amount: string): FinmeshEventMap['PaymentConfirmed'] {
  const money = { amount: decimal(amount).toFixed(MONEY_SCALE), currency: 'EUR' };
  return {
    envelope: newEnvelope('PaymentConfirmed', { sourcePlatform: 'ERP', legalEntity: LEGAL_ENTITY }),
    paymentId,
    supplierId,
    confirmedAt: new Date(),
    bankReference: `BANK-${paymentId.slice(0, 8)}`,
    amount: money,
    allocations: [{ invoiceId, supplierInvoiceNumber: null, amount: money, discountTaken: null }],
  };
}
