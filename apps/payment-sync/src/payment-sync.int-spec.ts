import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Consumer, Producer } from 'kafkajs';
import { nameBasedId } from '@finmesh/adapters';
import {
  EventCodec,
  type InvoicePosted,
  type InvoiceReceived,
  type LegalEntityRef,
  localSchemaSource,
  deterministicEventId,
  newEnvelope,
  type PaymentConfirmed,
  type PaymentVoided,
  type PaymentReleased,
  sumDecimals,
  topicNameFor,
} from '@finmesh/contracts';
import { publishEvent } from '@finmesh/messaging';
import { createServiceApp, MessagingRuntime, mintDevToken, type Role, ServiceActivation } from '@finmesh/service-kit';
import {
  createTestSchema,
  dropTestSchema,
  env,
  eventually,
  provisionTestNamespace,
  sampleValue,
  testKafka,
  uniqueName,
  withPg,
  serviceKafkaEnv,
} from '@finmesh/testing';
import { type ErpSimulator, startErpSimulator } from '@finmesh/erp-simulator';
import { paymentSyncService } from './service';

const SECRET = 'payment-sync-test-secret-0123456789abcdef0123';
const SUPPLIER_NUMBER = 'SUP-1001';
const SUPPLIER_ID = nameBasedId('supplier', SUPPLIER_NUMBER);
const LEGAL_ENTITY: LegalEntityRef = { code: 'DE01', country: 'DE', name: 'finmesh GmbH' };

type PaymentEvent = { event: 'PaymentReleased'; value: PaymentReleased } | { event: 'PaymentConfirmed'; value: PaymentConfirmed } | { event: 'PaymentVoided'; value: PaymentVoided };

describe('payment-sync on the real stack', () => {
  let app: INestApplication;
  let url: string;
  let ns: { prefix: string; cleanup: () => Promise<void> };
  let schema: string;
  let producer: Producer;
  let consumer: Consumer;
  let codec: EventCodec;
  const published: PaymentEvent[] = [];
  // ERP ids unique per run: the topic namespace and schema are fresh, but keep ids readable.
  let nextErpId = 300_000_000_000_000 + Math.floor(Math.random() * 1_000_000) * 1000;
  const erpId = (): number => nextErpId++;

  // The ERP payment-sync polls (payablesPayments); other tests push payments of their own simulators.
  let polledErp: ErpSimulator;

  beforeAll(async () => {
    ns = await provisionTestNamespace();
    schema = await createTestSchema();
    polledErp = await startErpSimulator({ port: 0 });
    const serviceEnv = {
      FINMESH_ERP_BASE_URL: polledErp.url,
      FINMESH_ERP_AUTH: 'basic',
      FINMESH_ERP_USERNAME: 'finmesh',
      FINMESH_ERP_PASSWORD: 'finmesh-dev',
      FINMESH_ERP_POLL_INTERVAL_MS: '200',
      FINMESH_ERP_POLL_OVERLAP_MS: '5000',
    };
    ({ app } = await createServiceApp(
      // Own consumer group: a running stack (and other suites) use the plain service name.
      { ...paymentSyncService(serviceEnv), serviceName: uniqueName('payment-sync-it'), dbSchema: schema },
      {
        ...serviceEnv,
        FINMESH_TOPIC_PREFIX: ns.prefix,
        FINMESH_DB_SCHEMA: schema,
        FINMESH_JWT_SECRET: SECRET,
        FINMESH_LOG_LEVEL: 'silent',
        ...serviceKafkaEnv('payment-sync'),
        FINMESH_REGISTRY_URL: env.registryUrl,
        FINMESH_DB_URL: env.databaseUrl,
      },
    ));
    app.get(MessagingRuntime).connectTo(app);
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    await app.get(ServiceActivation).activated;
    await app.startAllMicroservices();

    codec = EventCodec.create(env.registryUrl, localSchemaSource());
    const kafka = testKafka();
    producer = kafka.producer();
    await producer.connect();
    consumer = kafka.consumer({ groupId: uniqueName('payment-sync-test') });
    await consumer.connect();
    await consumer.subscribe({ topic: topicNameFor('PaymentReleased', ns.prefix), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const decoded = await codec.decode<PaymentReleased | PaymentConfirmed | PaymentVoided>(message.value);
        published.push({ event: decoded.event, value: decoded.value } as PaymentEvent);
      },
    });
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    await app?.close();
    await polledErp?.close();
    await ns?.cleanup();
    await dropTestSchema(schema);
  });

  // ---- helpers ----

  const token = (roles: Role[], clientId = 'fusion-erp') => mintDevToken({ clientId, roles, secret: SECRET });

  async function call(method: string, path: string, auth?: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
  }

  async function deliver(payment: unknown, key: string = randomUUID()) {
    return call('POST', '/v1/erp/payments', await token(['erp-platform']), payment, { 'idempotency-key': key });
  }

  async function read(path: string) {
    return call('GET', path, await token(['reporting-reader']));
  }

  /** InvoiceReceived (supplier facts) then InvoicePosted on the namespace's invoice topic. */
  async function postInvoice(o: { number: string; erpInvoiceId: number; gross: string; received?: boolean; posted?: boolean }): Promise<string> {
    const invoiceId = randomUUID();
    const topic = topicNameFor('InvoicePosted', ns.prefix);
    const correlationId = `corr-${invoiceId}`;
    if (o.received !== false) {
      const sample = sampleValue(localSchemaSource().latestSchema('InvoiceReceived'), 'logical') as InvoiceReceived;
      const received: InvoiceReceived = {
        ...sample,
        envelope: newEnvelope('InvoiceReceived', { sourcePlatform: 'AP_AUTOMATION', legalEntity: LEGAL_ENTITY, correlationId }),
        invoiceId,
        supplierId: SUPPLIER_ID,
        supplierInvoiceNumber: o.number,
        documentType: 'INVOICE',
        currency: 'EUR',
        totals: { net: { amount: o.gross, currency: 'EUR' }, tax: { amount: '0.0000', currency: 'EUR' }, gross: { amount: o.gross, currency: 'EUR' } },
      };
      await publishEvent(producer, codec, { event: 'InvoiceReceived', key: invoiceId, value: received, eventId: received.envelope.eventId, topic });
    }
    if (o.posted !== false) await publishPosted(invoiceId, o.erpInvoiceId, o.gross, correlationId);
    return invoiceId;
  }

  async function publishPosted(invoiceId: string, erpInvoiceId: number, gross: string, correlationId = `corr-${invoiceId}`): Promise<void> {
    const sample = sampleValue(localSchemaSource().latestSchema('InvoicePosted'), 'logical') as InvoicePosted;
    const posted: InvoicePosted = {
      ...sample,
      envelope: newEnvelope('InvoicePosted', { sourcePlatform: 'ERP', legalEntity: LEGAL_ENTITY, correlationId }),
      invoiceId,
      erpDocumentId: String(erpInvoiceId),
      erpDocumentNumber: `AP-2025-${erpInvoiceId}`,
      accountingDate: '2025-03-14',
      fiscalPeriod: 'MAR-25',
      postedAmount: { amount: gross, currency: 'EUR' },
    };
    await publishEvent(producer, codec, { event: 'InvoicePosted', key: invoiceId, value: posted, eventId: posted.envelope.eventId, topic: topicNameFor('InvoicePosted', ns.prefix) });
  }

  async function invoiceKnown(invoiceId: string): Promise<void> {
    await eventually(`invoice ${invoiceId} posted in payment-sync`, async () => (await read(`/v1/invoices/${invoiceId}/payment-status`)).status === 200);
  }

  interface Related {
    number: string;
    erpInvoiceId?: number;
    amount: string;
  }

  // A Fusion payablesPayments item (CheckId is the resource key; see libs/adapters fusion-payment).
  function fusionPayment(o: { id: number; related: Related[]; status?: 'Negotiable' | 'Cleared'; amount?: string; extra?: Record<string, unknown> }) {
    const amount = o.amount ?? sumDecimals(o.related.map((r) => r.amount), 2); // test data uses 2 decimals
    const cleared = o.status === 'Cleared';
    return {
      CheckId: o.id,
      PaymentId: o.id % 1_000_000,
      PaymentNumber: o.id - 200_000_000_000_000,
      PaymentAmount: amount,
      PaymentCurrency: 'EUR',
      PaymentDate: '2025-04-01',
      PaymentMethodCode: 'EFT',
      PaymentStatus: o.status ?? 'Negotiable',
      SupplierNumber: SUPPLIER_NUMBER,
      PaymentReference: cleared ? 'BANK-REF-77' : null,
      ClearingDate: cleared ? '2025-04-03' : null,
      relatedInvoices: o.related.map((r) => ({ InvoiceNumber: r.number, ...(r.erpInvoiceId !== undefined ? { InvoiceId: r.erpInvoiceId } : {}), AmountPaid: r.amount })),
      ...o.extra,
    };
  }

  const eventsOf = (paymentId: string) => published.filter((e) => e.value.paymentId === paymentId);

  async function auditOf(paymentId: string) {
    const { rows } = await withPg((pg) =>
      pg.query<{ action: string; actor: string; before: Record<string, unknown> | null; after: Record<string, unknown>; causing_event_id: string | null }>(
        `SELECT action, actor, before, after, causing_event_id FROM finmesh_audit.audit_log WHERE entity_type = 'payment' AND entity_id = $1 ORDER BY id`,
        [paymentId],
      ),
    );
    return rows;
  }

  async function eventsFor(paymentId: string, count: number): Promise<PaymentEvent[]> {
    await eventually(`${count} event(s) of payment ${paymentId}`, async () => eventsOf(paymentId).length >= count);
    return eventsOf(paymentId);
  }

  // ---- tests ----

  it('records a full payment: invoice PAID, PaymentReleased with the finmesh invoice in its allocation', async () => {
    const erpInvoiceId = erpId();
    const invoiceId = await postInvoice({ number: 'INV-FULL-1', erpInvoiceId, gross: '1210.0000' });
    await invoiceKnown(invoiceId);

    const r = await deliver(
      fusionPayment({ id: erpId(), related: [{ number: 'INV-FULL-1', erpInvoiceId, amount: '1210.00' }], extra: { ExternalBankAccountNumber: 'DE89370400440532013000' } }),
    );
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'RECORDED', paymentStatus: 'RELEASED', published: ['PaymentReleased'] });
    const paymentId = r.body['paymentId'] as string;

    const [released] = await eventsFor(paymentId, 1);
    expect(released?.event).toBe('PaymentReleased');
    expect(released?.value).toMatchObject({
      paymentId,
      supplierId: SUPPLIER_ID,
      amount: { amount: '1210.0000', currency: 'EUR' },
      method: 'SEPA_CREDIT_TRANSFER',
      valueDate: '2025-04-01',
      payeeBankAccountRef: '****3000',
      allocations: [{ invoiceId, supplierInvoiceNumber: 'INV-FULL-1', amount: { amount: '1210.0000', currency: 'EUR' }, discountTaken: null }],
    });
    expect(released?.value.envelope).toMatchObject({ sourcePlatform: 'ERP', legalEntity: LEGAL_ENTITY, correlationId: `corr-${invoiceId}` });

    const status = await read(`/v1/invoices/${invoiceId}/payment-status`);
    expect(status.body).toMatchObject({
      status: 'PAID',
      paidAmount: { amount: '1210.0000', currency: 'EUR' },
      openAmount: { amount: '0.0000', currency: 'EUR' },
      payments: [{ paymentId, status: 'RELEASED', amount: { amount: '1210.0000', currency: 'EUR' } }],
    });
    const payment = await read(`/v1/payments/${paymentId}`);
    expect(payment.status).toBe(200);
    expect(payment.body).toMatchObject({ paymentId, status: 'RELEASED', payeeBankAccountRef: '****3000', allocations: [{ invoiceId }] });
    expect(JSON.stringify(payment.body)).not.toContain('0532013000');
  });

  it('moves an invoice to PARTIALLY_PAID, then PAID with the rest (resolved by invoice number + supplier)', async () => {
    const invoiceId = await postInvoice({ number: 'INV-PART-1', erpInvoiceId: erpId(), gross: '1000.3000' });
    await invoiceKnown(invoiceId);

    const first = await deliver(fusionPayment({ id: erpId(), related: [{ number: 'INV-PART-1', amount: '400.10' }] }));
    expect(first.status).toBe(201);
    expect((await read(`/v1/invoices/${invoiceId}/payment-status`)).body).toMatchObject({
      status: 'PARTIALLY_PAID',
      paidAmount: { amount: '400.1000' },
      openAmount: { amount: '600.2000' },
    });

    const rest = await deliver(fusionPayment({ id: erpId(), related: [{ number: 'INV-PART-1', amount: '600.20' }] }));
    expect(rest.status).toBe(201);
    const status = await read(`/v1/invoices/${invoiceId}/payment-status`);
    expect(status.body).toMatchObject({ status: 'PAID', paidAmount: { amount: '1000.3000' }, openAmount: { amount: '0.0000' } });
    expect(status.body['payments']).toHaveLength(2);
    const [released] = await eventsFor(rest.body['paymentId'] as string, 1);
    expect(released?.value.allocations).toEqual([{ invoiceId, supplierInvoiceNumber: 'INV-PART-1', amount: { amount: '600.2000', currency: 'EUR' }, discountTaken: null }]);
  });

  it('settles two invoices with one payment, one allocation each (installments of one invoice summed)', async () => {
    const erpA = erpId();
    const a = await postInvoice({ number: 'INV-TWO-A', erpInvoiceId: erpA, gross: '100.0000' });
    const b = await postInvoice({ number: 'INV-TWO-B', erpInvoiceId: erpId(), gross: '50.0000' });
    await invoiceKnown(a);
    await invoiceKnown(b);

    const r = await deliver(
      fusionPayment({ id: erpId(), related: [{ number: 'INV-TWO-A', erpInvoiceId: erpA, amount: '100.00' }, { number: 'INV-TWO-B', amount: '20.00' }, { number: 'INV-TWO-B', amount: '5.00' }] }),
    );
    expect(r.status).toBe(201);
    const [released] = await eventsFor(r.body['paymentId'] as string, 1);
    expect(released?.value.amount).toEqual({ amount: '125.0000', currency: 'EUR' });
    expect(released?.value.allocations.map((x) => [x.invoiceId, x.amount.amount])).toEqual([
      [a, '100.0000'],
      [b, '25.0000'],
    ]);
    expect((await read(`/v1/invoices/${a}/payment-status`)).body['status']).toBe('PAID');
    expect((await read(`/v1/invoices/${b}/payment-status`)).body).toMatchObject({ status: 'PARTIALLY_PAID', openAmount: { amount: '25.0000' } });
  });

  it('confirms a released payment on Cleared (PaymentConfirmed, delay stored) and ignores a repeat', async () => {
    const erpInvoiceId = erpId();
    const invoiceId = await postInvoice({ number: 'INV-CLR-1', erpInvoiceId, gross: '75.5000' });
    await invoiceKnown(invoiceId);
    const id = erpId();
    const related = [{ number: 'INV-CLR-1', erpInvoiceId, amount: '75.50' }];

    const issued = await deliver(fusionPayment({ id, related }));
    expect(issued.status).toBe(201);
    const cleared = await deliver(fusionPayment({ id, related, status: 'Cleared' }));
    expect(cleared.status).toBe(201);
    expect(cleared.body).toMatchObject({ status: 'RECORDED', paymentStatus: 'CONFIRMED', published: ['PaymentConfirmed'] });
    const paymentId = cleared.body['paymentId'] as string;
    const events = await eventsFor(paymentId, 2);
    expect(events.map((e) => e.event)).toEqual(['PaymentReleased', 'PaymentConfirmed']);
    expect(events[1]?.value).toMatchObject({
      paymentId,
      bankReference: 'BANK-REF-77',
      confirmedAt: new Date('2025-04-03T00:00:00.000Z'),
      amount: { amount: '75.5000', currency: 'EUR' },
      allocations: [{ invoiceId, amount: { amount: '75.5000' } }],
    });
    expect((await read(`/v1/payments/${paymentId}`)).body).toMatchObject({
      status: 'CONFIRMED',
      confirmation: { bankReference: 'BANK-REF-77', clearedDate: '2025-04-03', delayDays: 2 },
    });

    // A redelivery (new Idempotency-Key) changes nothing and publishes nothing.
    const again = await deliver(fusionPayment({ id, related, status: 'Cleared' }));
    expect(again).toMatchObject({ status: 200, body: { status: 'ALREADY_RECORDED', paymentId, paymentStatus: 'CONFIRMED' } });
    expect((await read(`/v1/invoices/${invoiceId}/payment-status`)).body).toMatchObject({ status: 'PAID', paidAmount: { amount: '75.5000' } });
    await new Promise((r) => setTimeout(r, 1500));
    expect(eventsOf(paymentId)).toHaveLength(2);
    const audit = await auditOf(paymentId);
    expect(audit.map((r) => r.action)).toEqual(['payment.released', 'payment.confirmed']);
    expect(audit[1]).toMatchObject({
      actor: 'fusion-erp',
      before: { status: 'RELEASED', amount: '75.5000' },
      after: { status: 'CONFIRMED', amount: '75.5000', allocations: [{ invoiceId, amount: '75.5000' }] },
      causing_event_id: events[1]!.value.envelope.eventId,
    });
  });

  it('publishes PaymentReleased then PaymentConfirmed for a Cleared payment never seen as Issued', async () => {
    const erpInvoiceId = erpId();
    const invoiceId = await postInvoice({ number: 'INV-CLR-2', erpInvoiceId, gross: '10.0000' });
    await invoiceKnown(invoiceId);
    const r = await deliver(fusionPayment({ id: erpId(), related: [{ number: 'INV-CLR-2', erpInvoiceId, amount: '10.00' }], status: 'Cleared' }));
    expect(r.body).toMatchObject({ status: 'RECORDED', paymentStatus: 'CONFIRMED', published: ['PaymentReleased', 'PaymentConfirmed'] });
    const events = await eventsFor(r.body['paymentId'] as string, 2);
    expect(events.map((e) => e.event)).toEqual(['PaymentReleased', 'PaymentConfirmed']);
    expect((await read(`/v1/invoices/${invoiceId}/payment-status`)).body['status']).toBe('PAID');
  });

  it('parks a payment for an unknown invoice, lists it, and processes it once when the invoice is posted', async () => {
    const known = erpId();
    const knownInvoice = await postInvoice({ number: 'INV-PARK-KNOWN', erpInvoiceId: known, gross: '10.0000' });
    await invoiceKnown(knownInvoice);
    const unknownErpId = erpId();
    const payment = fusionPayment({
      id: erpId(),
      related: [
        { number: 'INV-PARK-KNOWN', erpInvoiceId: known, amount: '10.00' },
        { number: 'INV-PARK-LATE', erpInvoiceId: unknownErpId, amount: '99.99' },
      ],
      extra: { ExternalBankAccountNumber: 'DE89370400440532013000' },
    });
    const parked = await deliver(payment);
    expect(parked.status).toBe(202);
    expect(parked.body).toEqual({ status: 'PARKED', parkedId: expect.any(String), reason: `invoice(s) unknown to finmesh: INV-PARK-LATE (ERP InvoiceId ${unknownErpId})` });
    // Nothing applied meanwhile.
    expect((await read(`/v1/invoices/${knownInvoice}/payment-status`)).body['status']).toBe('OPEN');

    const list = await call('GET', '/v1/ops/parked-payments', await token(['ops'], 'ops-desk'));
    expect(list.status).toBe(200);
    const item = (list.body['items'] as Record<string, unknown>[]).find((i) => i['parkedId'] === parked.body['parkedId']);
    expect(item).toMatchObject({ status: 'PARKED', erpPaymentId: String(payment.CheckId), reason: parked.body['reason'], payload: { ExternalBankAccountNumber: '****3000' } });

    const lateInvoice = await postInvoice({ number: 'INV-PARK-LATE', erpInvoiceId: unknownErpId, gross: '99.9900', posted: false });
    await publishPosted(lateInvoice, unknownErpId, '99.9900');
    await invoiceKnown(lateInvoice);
    await eventually('parked payment resolved', async () => {
      const all = await call('GET', '/v1/ops/parked-payments?status=RESOLVED', await token(['ops']));
      return (all.body['items'] as Record<string, unknown>[]).some((i) => i['parkedId'] === parked.body['parkedId']);
    });
    const paymentId = nameBasedId('payment', String(payment.CheckId));
    const [released] = await eventsFor(paymentId, 1);
    expect(released?.value.allocations.map((x) => x.invoiceId)).toEqual([knownInvoice, lateInvoice]);
    expect((await read(`/v1/invoices/${lateInvoice}/payment-status`)).body['status']).toBe('PAID');
    expect((await call('GET', '/v1/ops/parked-payments', await token(['ops']))).body['items']).not.toContainEqual(
      expect.objectContaining({ parkedId: parked.body['parkedId'] }),
    );

    // Redelivering the same payment now finds it recorded; the event stays single.
    expect((await deliver(payment)).body).toMatchObject({ status: 'ALREADY_RECORDED', paymentId });
    await new Promise((r) => setTimeout(r, 1500));
    expect(eventsOf(paymentId)).toHaveLength(1);
    // Parked by the ERP's delivery, released by the service when the invoice was posted.
    const audit = await auditOf(paymentId);
    expect(audit.map((r) => r.action)).toEqual(['payment.parked', 'payment.released']);
    expect(audit[0]).toMatchObject({ actor: 'fusion-erp', after: { status: 'PARKED', parkedId: parked.body['parkedId'] }, causing_event_id: null });
    expect(audit[1]!.actor).toMatch(/^service:payment-sync/);
    expect(audit[1]!.causing_event_id).toBe(released!.value.envelope.eventId);
    expect(JSON.stringify(audit)).not.toContain('DE89370400440532013000');
  });

  it('keeps a Cleared delivery behind its parked Issued delivery and processes both in order', async () => {
    const late = erpId();
    const id = erpId();
    // Received by finmesh, not posted yet: the reason says so.
    const invoiceId = await postInvoice({ number: 'INV-PARK-CLR', erpInvoiceId: late, gross: '5.0000', posted: false });
    await eventually('invoice received', async () =>
      withPg(async (pg) => (await pg.query(`SELECT 1 FROM "${schema}".received_invoices WHERE invoice_id = $1`, [invoiceId])).rowCount === 1),
    );
    const related = [{ number: 'INV-PARK-CLR', amount: '5.00' }];
    const first = await deliver(fusionPayment({ id, related }));
    expect(first.body).toMatchObject({ status: 'PARKED', reason: 'invoice(s) received but not posted yet: INV-PARK-CLR' });
    const second = await deliver(fusionPayment({ id, related, status: 'Cleared' }));
    expect(second.status).toBe(202);
    expect(second.body['reason']).toMatch(new RegExp(`an earlier delivery of payment ${id} is parked \\(${first.body['parkedId'] as string}\\)`));
    await publishPosted(invoiceId, late, '5.0000');
    const events = await eventsFor(nameBasedId('payment', String(id)), 2);
    expect(events.map((e) => e.event)).toEqual(['PaymentReleased', 'PaymentConfirmed']);
    expect((await read(`/v1/invoices/${invoiceId}/payment-status`)).body['status']).toBe('PAID');
  });

  it('marks a parked payment REFUSED (kept, with the reason) when the posted invoice shows it overpays', async () => {
    const late = erpId();
    const parked = await deliver(fusionPayment({ id: erpId(), related: [{ number: 'INV-PARK-OVER', erpInvoiceId: late, amount: '80.00' }] }));
    expect(parked.status).toBe(202);
    const invoiceId = await postInvoice({ number: 'INV-PARK-OVER', erpInvoiceId: late, gross: '70.0000' });
    await invoiceKnown(invoiceId);
    await eventually('parked payment refused', async () => {
      const all = await call('GET', '/v1/ops/parked-payments?status=REFUSED', await token(['ops']));
      return (all.body['items'] as Record<string, unknown>[]).some((i) => i['parkedId'] === parked.body['parkedId']);
    });
    const all = await call('GET', '/v1/ops/parked-payments?status=ALL', await token(['ops']));
    const item = (all.body['items'] as Record<string, unknown>[]).find((i) => i['parkedId'] === parked.body['parkedId']);
    expect(item?.['reason']).toMatch(/overpays invoice INV-PARK-OVER .*open 70\.0000, this payment 80\.0000/);
    expect((await read(`/v1/invoices/${invoiceId}/payment-status`)).body).toMatchObject({ status: 'OPEN' });
  });

  it('answers a replayed Idempotency-Key with the first answer and publishes nothing new', async () => {
    const erpInvoiceId = erpId();
    const invoiceId = await postInvoice({ number: 'INV-IDEM-1', erpInvoiceId, gross: '30.0000' });
    await invoiceKnown(invoiceId);
    const key = randomUUID();
    const payment = fusionPayment({ id: erpId(), related: [{ number: 'INV-IDEM-1', erpInvoiceId, amount: '10.00' }] });
    const first = await deliver(payment, key);
    const again = await deliver(payment, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    await eventsFor(first.body['paymentId'] as string, 1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(eventsOf(first.body['paymentId'] as string)).toHaveLength(1);
    expect((await read(`/v1/invoices/${invoiceId}/payment-status`)).body).toMatchObject({ status: 'PARTIALLY_PAID', paidAmount: { amount: '10.0000' } });
  });

  it('takes payment runs delivered by the ERP simulator (no Idempotency-Key: derived from CheckId + status)', async () => {
    let sim: ErpSimulator | undefined;
    try {
      sim = await startErpSimulator({ port: 0 });
      const erpInvoiceId = erpId();
      const a = await postInvoice({ number: 'INV-SIM-1', erpInvoiceId, gross: '1000.0000' });
      const b = await postInvoice({ number: 'INV-SIM-2', erpInvoiceId: erpId(), gross: '0.3000' });
      await invoiceKnown(a);
      await invoiceKnown(b);
      const deliverTo = { url: `${url}/v1/erp/payments`, bearerToken: await token(['erp-platform'], 'fusion-sim') };
      const run = await fetch(`${sim.url}/__admin/payment-runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          payments: [
            {
              supplierNumber: SUPPLIER_NUMBER,
              currency: 'EUR',
              method: 'EFT',
              paymentDate: '2025-04-01',
              invoices: [
                { invoiceNumber: 'INV-SIM-1', erpInvoiceId, amountPaid: '1000.00' },
                { invoiceNumber: 'INV-SIM-2', amountPaid: '0.30' },
              ],
            },
          ],
          deliverTo,
        }),
      });
      const runBody = (await run.json()) as { payments: { CheckId: number }[]; deliveries: { delivered: boolean; status?: number }[] };
      expect(runBody.deliveries).toEqual([expect.objectContaining({ delivered: true, status: 201 })]);
      const simPaymentId = runBody.payments[0]?.CheckId as number;
      const paymentId = nameBasedId('payment', String(simPaymentId));

      const confirm = await fetch(`${sim.url}/__admin/payments/${simPaymentId}/confirm`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ clearingDate: '2025-04-02', deliverTo }),
      });
      expect(((await confirm.json()) as { deliveries: unknown[] }).deliveries).toEqual([expect.objectContaining({ delivered: true, status: 201 })]);
      // The simulator's redelivery: the first answer again, nothing new.
      const redeliver = await fetch(`${sim.url}/__admin/payments/${simPaymentId}/deliver`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ deliverTo }),
      });
      expect(JSON.stringify(await redeliver.json())).toContain('"delivered":true');

      const events = await eventsFor(paymentId, 2);
      expect(events.map((e) => e.event)).toEqual(['PaymentReleased', 'PaymentConfirmed']);
      expect((await read(`/v1/invoices/${a}/payment-status`)).body['status']).toBe('PAID');
      expect((await read(`/v1/invoices/${b}/payment-status`)).body['status']).toBe('PAID');
      await new Promise((r) => setTimeout(r, 1500));
      expect(eventsOf(paymentId)).toHaveLength(2);
    } finally {
      await sim?.close();
    }
  });

  it('takes a simulator payment that is voided after its release: PaymentVoided, the invoice re-opens', async () => {
    let sim: ErpSimulator | undefined;
    try {
      sim = await startErpSimulator({ port: 0 });
      const erpInvoiceId = erpId();
      const invoiceId = await postInvoice({ number: 'INV-SIM-VOID', erpInvoiceId, gross: '42.0000' });
      await invoiceKnown(invoiceId);
      const deliverTo = { url: `${url}/v1/erp/payments`, bearerToken: await token(['erp-platform'], 'fusion-sim') };
      const run = await fetch(`${sim.url}/__admin/payment-runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ payments: [{ supplierNumber: SUPPLIER_NUMBER, currency: 'EUR', method: 'EFT', paymentDate: '2025-04-01', invoices: [{ invoiceNumber: 'INV-SIM-VOID', erpInvoiceId, amountPaid: '42.00' }] }], deliverTo }),
      });
      const checkId = ((await run.json()) as { payments: { CheckId: number }[] }).payments[0]?.CheckId as number;
      await eventually('invoice paid', async () => (await read(`/v1/invoices/${invoiceId}/payment-status`)).body['status'] === 'PAID');
      const voided = await fetch(`${sim.url}/__admin/payments/${checkId}/void`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ voidDate: '2025-04-03', deliverTo }) });
      expect(((await voided.json()) as { deliveries: unknown[] }).deliveries).toEqual([expect.objectContaining({ delivered: true, status: 201 })]);
      const events = await eventsFor(nameBasedId('payment', String(checkId)), 2);
      expect(events.map((e) => e.event)).toEqual(['PaymentReleased', 'PaymentVoided']);
      expect((await read(`/v1/invoices/${invoiceId}/payment-status`)).body).toMatchObject({ status: 'OPEN' });
    } finally {
      await sim?.close();
    }
  });

  it('polls a documented Fusion payment: Negotiable -> PaymentReleased, the documented void -> PaymentVoided, the invoice re-opens; re-polls add nothing', async () => {
    const erpInvoiceId = erpId();
    const invoiceId = await postInvoice({ number: 'INV-POLL-1', erpInvoiceId, gross: '242.0000' });
    await invoiceKnown(invoiceId);
    const run = await fetch(`${polledErp.url}/__admin/payment-runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payments: [{ supplierNumber: SUPPLIER_NUMBER, currency: 'EUR', method: 'EFT', paymentDate: '2025-04-01', invoices: [{ invoiceNumber: 'INV-POLL-1', erpInvoiceId, amountPaid: '242.00' }] }] }),
    });
    const issued = ((await run.json()) as { payments: { CheckId: number; PaymentStatus: string }[] }).payments[0]!;
    expect(issued.PaymentStatus).toBe('Negotiable');
    const paymentId = nameBasedId('payment', String(issued.CheckId));
    const [released] = await eventsFor(paymentId, 1);
    expect(released).toMatchObject({ event: 'PaymentReleased', value: { paymentId, amount: { amount: '242.0000', currency: 'EUR' }, allocations: [{ invoiceId }] } });
    // The same fact, whether pushed or polled, re-read or not, has one event id.
    expect(released!.value.envelope.eventId).toBe(deterministicEventId('payment-sync', paymentId, 'PaymentReleased'));
    expect((await read(`/v1/invoices/${invoiceId}/payment-status`)).body['status']).toBe('PAID');

    // "Void a Payment" as Oracle documents it: PATCH payablesPayments/{CheckId} with VoidDate and VoidAccountingDate.
    const voided = await fetch(`${polledErp.url}/fscmRestApi/resources/11.13.18.05/payablesPayments/${issued.CheckId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/vnd.oracle.adf.resourceitem+json', authorization: `Basic ${Buffer.from('finmesh:finmesh-dev').toString('base64')}` },
      body: JSON.stringify({ VoidDate: '2025-04-03', VoidAccountingDate: '2025-04-03' }),
    });
    expect(voided.status).toBe(200);
    const events = await eventsFor(paymentId, 2);
    expect(events.map((e) => e.event)).toEqual(['PaymentReleased', 'PaymentVoided']);
    expect(events[1]!.value).toMatchObject({ paymentId, voidDate: '2025-04-03', allocations: [{ invoiceId }] });
    await eventually('invoice re-opened', async () => (await read(`/v1/invoices/${invoiceId}/payment-status`)).body['status'] === 'OPEN');
    // Several more poll cycles (overlapping windows re-read the payment): nothing new.
    await new Promise((r) => setTimeout(r, 1500));
    expect(eventsOf(paymentId)).toHaveLength(2);
  });

  it('serialises concurrent payments of one invoice: exactly one of two full payments is applied', async () => {
    const erpInvoiceId = erpId();
    const invoiceId = await postInvoice({ number: 'INV-RACE-1', erpInvoiceId, gross: '50.0000' });
    await invoiceKnown(invoiceId);
    const related = [{ number: 'INV-RACE-1', erpInvoiceId, amount: '50.00' }];
    const answers = await Promise.all([deliver(fusionPayment({ id: erpId(), related })), deliver(fusionPayment({ id: erpId(), related }))]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 422]);
    expect((await read(`/v1/invoices/${invoiceId}/payment-status`)).body).toMatchObject({ status: 'PAID', paidAmount: { amount: '50.0000' } });
  });

  it('answers 401 without a token and 403 for callers without the role', async () => {
    const body = fusionPayment({ id: erpId(), related: [{ number: 'X', amount: '1.00' }] });
    expect((await call('POST', '/v1/erp/payments', undefined, body, { 'idempotency-key': randomUUID() })).status).toBe(401);
    expect((await call('POST', '/v1/erp/payments', await token(['ap-platform', 'ops']), body, { 'idempotency-key': randomUUID() })).status).toBe(403);
    expect((await call('GET', '/v1/ops/parked-payments', await token(['erp-platform']))).status).toBe(403);
    expect((await call('GET', '/v1/payments/x', await token(['procurement-platform']))).status).toBe(403);
    expect((await call('GET', '/v1/invoices/x/payment-status', await token(['ap-platform']))).status).toBe(404);
    expect((await call('GET', '/v1/invoices/x/payment-status')).status).toBe(401);
  });

  it('answers 422 naming every bad field, first of the request schema, then of the mapping, and writes nothing', async () => {
    const cleared = { ...fusionPayment({ id: erpId(), related: [{ number: 'INV-BAD', amount: '1.00' }] }), PaymentStatus: 'Cleared', PaymentReference: null };
    const r = await deliver({ ...cleared, PaymentDate: '01.04.2025', relatedInvoices: [{ InvoiceNumber: 'INV-BAD', AmountPaid: '12,5' }] });
    expect(r.status).toBe(422);
    expect(r.body['problems']).toEqual([
      { path: 'PaymentDate', reason: 'must be an ISO date (YYYY-MM-DD)' },
      { path: 'relatedInvoices[0].AmountPaid', reason: 'must be a decimal number: a string such as "1250.50", or a JSON number' },
    ]);
    // Shape right, but a cleared payment needs its bank reference and clearing date: the mapper's rules.
    const unmapped = await deliver(cleared);
    expect(unmapped.status).toBe(422);
    expect(unmapped.body['problems']).toEqual([
      { path: 'PaymentReference', reason: 'is required' },
      { path: 'ClearingDate', reason: 'is required' },
    ]);
    const parked = await withPg(async (pg) => (await pg.query(`SELECT count(*)::int AS n FROM "${schema}".parked_payments WHERE payload->>'PaymentDate' = '01.04.2025'`)).rows);
    expect(parked).toEqual([{ n: 0 }]);
  });

  it('refuses (403) a payment of invoices of a legal entity outside the token\'s scope, and records nothing', async () => {
    const erpInvoiceId = erpId();
    const invoiceId = await postInvoice({ number: 'INV-SCOPE-1', erpInvoiceId, gross: '20.0000' });
    await invoiceKnown(invoiceId);
    const nlOnly = await mintDevToken({ clientId: 'fusion-nl', roles: ['erp-platform'], secret: SECRET, legalEntities: ['NL01'] });
    const r = await call('POST', '/v1/erp/payments', nlOnly, fusionPayment({ id: erpId(), related: [{ number: 'INV-SCOPE-1', erpInvoiceId, amount: '20.00' }] }), { 'idempotency-key': randomUUID() });
    expect(r.status).toBe(403);
    expect(r.body['detail']).toMatch(/^client 'fusion-nl' may act on legal entities \[NL01\]; payment .+ belongs to legal entity DE01$/);
    expect((await read(`/v1/invoices/${invoiceId}/payment-status`)).body).not.toMatchObject({ status: 'PAID' });
    expect((await call('GET', `/v1/invoices/${invoiceId}/payment-status`, nlOnly)).status).toBe(404);
  });

  it('voids a recorded payment (Oracle: PaymentStatus still Negotiable, VoidDate set): PaymentVoided, the invoice re-opens, once', async () => {
    const erpInvoiceId = erpId();
    const invoiceId = await postInvoice({ number: 'INV-VOID-1', erpInvoiceId, gross: '20.0000' });
    await invoiceKnown(invoiceId);
    const id = erpId();
    const related = [{ number: 'INV-VOID-1', erpInvoiceId, amount: '20.00' }];
    expect((await deliver(fusionPayment({ id, related }))).status).toBe(201);
    expect((await read(`/v1/invoices/${invoiceId}/payment-status`)).body).toMatchObject({ status: 'PAID' });

    const voided = fusionPayment({ id, related, extra: { VoidDate: '2025-04-05', VoidAccountingDate: '2025-04-05' } });
    const r = await deliver(voided);
    expect(r).toMatchObject({ status: 201, body: { status: 'RECORDED', paymentStatus: 'VOIDED', published: ['PaymentVoided'] } });
    const paymentId = nameBasedId('payment', String(id));
    const events = await eventsFor(paymentId, 2);
    expect(events.map((e) => e.event)).toEqual(['PaymentReleased', 'PaymentVoided']);
    expect(events[1]?.value).toMatchObject({ paymentId, voidDate: '2025-04-05', amount: { amount: '20.0000' }, allocations: [{ invoiceId, amount: { amount: '20.0000' } }] });
    expect((await read(`/v1/invoices/${invoiceId}/payment-status`)).body).toMatchObject({ status: 'OPEN', paidAmount: { amount: '0.0000' }, payments: [{ paymentId, status: 'VOIDED' }] });

    // Redelivered, or followed by a late Negotiable delivery: nothing new.
    expect((await deliver(voided)).body).toMatchObject({ status: 'ALREADY_RECORDED', paymentStatus: 'VOIDED' });
    expect((await deliver(fusionPayment({ id, related }))).body).toMatchObject({ status: 'ALREADY_RECORDED', paymentStatus: 'VOIDED' });
    // A void of a payment finmesh never recorded changes nothing.
    const unseen = await deliver(fusionPayment({ id: erpId(), related, extra: { PaymentStatus: 'Voided', VoidDate: '2025-04-05' } }));
    expect(unseen).toMatchObject({ status: 200, body: { status: 'NOTHING_TO_VOID' } });
    await new Promise((res) => setTimeout(res, 1000));
    expect(eventsOf(paymentId)).toHaveLength(2);
  });

  it('refuses a stop-initiated payment with a named 422 for now', async () => {
    const r = await deliver(fusionPayment({ id: erpId(), related: [{ number: 'INV-STOP', amount: '1.00' }], extra: { PaymentStatus: 'Stop Initiated', StopDate: '2025-04-04' } }));
    expect(r.status).toBe(422);
    expect(r.body['problems']).toEqual([{ path: 'PaymentStatus', reason: 'stop-initiated payments are not handled yet by this endpoint (PaymentStatus "Stop Initiated")' }]);
  });

  it('refuses an overpayment with 422 and the figures, leaving the invoice as it was', async () => {
    const erpInvoiceId = erpId();
    const invoiceId = await postInvoice({ number: 'INV-OVER-1', erpInvoiceId, gross: '100.0000' });
    await invoiceKnown(invoiceId);
    const r = await deliver(fusionPayment({ id: erpId(), related: [{ number: 'INV-OVER-1', erpInvoiceId, amount: '100.01' }] }));
    expect(r.status).toBe(422);
    expect(r.body['problems']).toEqual([
      { path: 'relatedInvoices[0].AmountPaid', reason: `overpays invoice INV-OVER-1 (${invoiceId}): gross 100.0000 EUR, already paid 0.0000, open 100.0000, this payment 100.0100` },
    ]);
    expect((await read(`/v1/invoices/${invoiceId}/payment-status`)).body).toMatchObject({ status: 'OPEN', paidAmount: { amount: '0.0000' } });
  });

  it('stops the payments poll when the ERP refuses its credentials, with a metric, and nothing else: pushed payments are still taken', async () => {
    const revoke = await fetch(`${polledErp.url}/__admin/auth/revoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'finmesh' }) });
    expect(revoke.status).toBe(200);
    await eventually('poller stopped on 401', async () => /finmesh_poller_state\{[^}]*resource="payablesPayments"[^}]*state="stopped_auth"[^}]*\} 1/.test(await (await fetch(`${url}/metrics`)).text()), 30_000);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/finmesh_platform_auth_failures_total\{[^}]*platform="fusion"[^}]*\} [1-9]/);
    const erpInvoiceId = erpId();
    const invoiceId = await postInvoice({ number: 'INV-AFTER-401', erpInvoiceId, gross: '5.0000' });
    await invoiceKnown(invoiceId);
    const pushed = await deliver(fusionPayment({ id: erpId(), related: [{ number: 'INV-AFTER-401', erpInvoiceId, amount: '5.00' }] }));
    expect(pushed.status).toBe(201);
  });
});
