import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { Pool } from 'pg';
import { nameBasedId } from '@finmesh/adapters';
import {
  EventCodec,
  ingressTopicFor,
  localSchemaSource,
  newEnvelope,
  sampleValue,
  topicNameFor,
  type InvoicePosted,
  type InvoiceReceived,
  type LegalEntityRef,
} from '@finmesh/contracts';
import { appendAudit, ensureAuditTable, publishEvent } from '@finmesh/messaging';
import { mintDevToken, type Role } from '@finmesh/service-kit';
import {
  adapterFixtures,
  createTestSchema,
  dropTestSchema,
  env,
  eventually,
  leakedSensitiveValues,
  PLANTED,
  provisionTestNamespace,
  sampleEventsWithSensitiveData,
  startServiceUnderTest,
  testKafka,
  uniqueName,
  withPg,
  type ServiceUnderTest,
} from '@finmesh/testing';
import { invoiceSyncService } from '@finmesh/invoice-sync';
import { PaymentSyncService } from '@finmesh/payment-sync';
import { SupplierSyncService } from '@finmesh/supplier-sync';
import { LOCAL_PLATFORM_CREDENTIALS } from '@finmesh/stack';

/**
 * The one sensitive-data policy on the real stack: the audit trail in PostgreSQL and every read
 * API that can return bank details or tax ids answer without a full IBAN, account number, BIC or
 * tax id to the roles that must not see them (the ERP, the system of record, still reads its
 * supplier bank details). Services run in-process on their own topic namespaces and schemas.
 */
const SECRET = 'sensitive-data-test-secret-0123456789abcdef';
const LEGAL_ENTITY: LegalEntityRef = { code: 'DE01', country: 'DE', name: 'finmesh Demo GmbH' };
const fixtures = new Map(adapterFixtures().map((f) => [f.file.split('/').pop()!, f.payload as Record<string, unknown>]));
const fixture = (name: string): Record<string, unknown> => structuredClone(fixtures.get(name)!);

const token = (roles: Role[], clientId = 'sensitive-data-test') => mintDevToken({ clientId, roles, secret: SECRET });

async function call(service: ServiceUnderTest, method: string, path: string, roles: Role[], body?: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${service.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), authorization: `Bearer ${await token(roles)}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

/** Reads until the answer is 200 (the services work asynchronously), then returns its text. */
async function readWhenThere(service: ServiceUnderTest, path: string, roles: Role[], ready: (text: string) => boolean = () => true): Promise<string> {
  let last = { status: 0, text: '' };
  await eventually(`GET ${path}`, async () => {
    last = await call(service, 'GET', path, roles);
    return last.status === 200 && ready(last.text);
  });
  return last.text;
}

describe('sensitive data on the real stack', () => {
  const pool = new Pool({ connectionString: env.databaseUrl, max: 2 });
  const cleanups: (() => Promise<void>)[] = [];
  let producer: Producer;
  let codec: EventCodec;

  beforeAll(async () => {
    codec = EventCodec.create(env.registryUrl, localSchemaSource());
    producer = testKafka().producer();
    await producer.connect();
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await producer?.disconnect();
    await pool.end();
  });

  async function start(definition: Parameters<typeof startServiceUnderTest>[0], prefix: string): Promise<ServiceUnderTest> {
    const schema = await createTestSchema();
    const service = await startServiceUnderTest(definition, { topicPrefix: prefix, dbSchema: schema, jwtSecret: SECRET });
    cleanups.push(async () => {
      await service.app.close();
      await dropTestSchema(schema);
    });
    return service;
  }

  async function namespace(): Promise<string> {
    const ns = await provisionTestNamespace();
    cleanups.push(() => ns.cleanup());
    return ns.prefix;
  }

  async function auditRowsOf(entityIds: readonly string[]): Promise<string> {
    const { rows } = await withPg((pg) => pg.query(`SELECT before, after FROM finmesh_audit.audit_log WHERE entity_id = ANY($1)`, [entityIds]));
    expect(rows.length).toBeGreaterThan(0);
    return JSON.stringify(rows);
  }

  it('the audit trail stores every fixture and event sample masked', async () => {
    const schema = uniqueName('audit_sensitive').replace(/-/g, '_');
    cleanups.push(async () => void (await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)));
    await ensureAuditTable(pool, { schema });
    // Summaries are records: a fixture that is a list (Coupa receipts) is recorded under a key.
    const inputs: Record<string, unknown>[] = [...adapterFixtures().map((f) => ({ payload: f.payload })), ...sampleEventsWithSensitiveData().map((e) => e.value)];
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      for (const [i, after] of inputs.entries()) {
        await appendAudit(
          client,
          { entityType: 'read_model', entityId: `sensitive-data-${i}`, action: 'test.recorded', actor: 'test', before: null, after, causingEventId: null, correlationId: null, service: 'test' },
          { schema },
        );
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
    const { rows } = await pool.query<{ after: unknown }>(`SELECT after FROM "${schema}".audit_log ORDER BY id`);
    expect(rows).toHaveLength(inputs.length);
    expect(leakedSensitiveValues(JSON.stringify(rows))).toEqual([]);
  });

  it('supplier-sync answers masked bank details and tax ids to every role but the ERP; invoice-sync shows none', async () => {
    const prefix = await namespace();
    const suppliers = await start(SupplierSyncService, prefix);
    const invoices = await start(invoiceSyncService({ ...LOCAL_PLATFORM_CREDENTIALS, ...process.env }), prefix);

    const supplierNumber = `SD${Date.now()}`;
    const supplier = {
      ...fixture('fusion-supplier.json'),
      SupplierNumber: supplierNumber,
      bankAccounts: [
        ...(fixture('fusion-supplier.json')['bankAccounts'] as unknown[]),
        { BankAccountId: 300000047414541, AccountName: 'ACME US', IBAN: null, AccountNumber: PLANTED.accountNumber, SWIFTCode: PLANTED.bic, BranchNumber: PLANTED.routingNumber, CountryCode: 'US', CurrencyCode: 'USD' },
      ],
    };
    const created = await call(suppliers, 'POST', '/v1/erp/suppliers', ['erp-platform'], supplier);
    expect(created.status).toBe(201);
    const supplierId = (JSON.parse(created.text) as { supplierId: string }).supplierId;

    // The system of record reads its own data (today's behaviour, unchanged).
    const forErp = await call(suppliers, 'GET', `/v1/suppliers/${supplierId}`, ['erp-platform']);
    expect(leakedSensitiveValues(forErp.text)).toEqual(expect.arrayContaining(['DE89370400440532013000', 'COBADEFFXXX', PLANTED.accountNumber]));
    for (const roles of [['ops'], ['ap-platform'], ['procurement-platform'], ['finance-approver']] as Role[][]) {
      const answer = await call(suppliers, 'GET', `/v1/suppliers/${supplierId}`, roles);
      expect(answer.status).toBe(200);
      expect(answer.text).toContain('"masked":true');
      expect(answer.text).toContain('Schraubenwerk');
      expect(leakedSensitiveValues(answer.text)).toEqual([]);
    }

    // invoice-sync learns the supplier from SupplierUpserted and DE01 from a first invoice event.
    const first = sampleValue(localSchemaSource().latestSchema('InvoiceReceived'), 'logical') as InvoiceReceived;
    const firstId = randomUUID();
    const received: InvoiceReceived = { ...first, envelope: newEnvelope('InvoiceReceived', { sourcePlatform: 'AP_AUTOMATION', legalEntity: LEGAL_ENTITY }), invoiceId: firstId, supplierId };
    await publishEvent(producer, codec, { event: 'InvoiceReceived', key: firstId, value: received, eventId: received.envelope.eventId, topic: ingressTopicFor('ap', 'InvoiceReceived', prefix)! });
    expect(leakedSensitiveValues(await readWhenThere(invoices, `/v1/invoices/${firstId}`, ['ops']))).toEqual([]);

    const captured = fixture('captured-invoice.json');
    captured['id'] = Date.now();
    (captured['supplier'] as { number: string }).number = supplierNumber;
    let accepted = { status: 0, text: '' };
    await eventually('the captured invoice is accepted', async () => {
      accepted = await call(invoices, 'POST', '/v1/ap/invoices', ['ap-platform'], captured);
      return accepted.status === 202;
    });
    expect(leakedSensitiveValues(accepted.text)).toEqual([]);
    const invoiceId = (JSON.parse(accepted.text) as { invoiceId: string }).invoiceId;
    for (const roles of [['ops'], ['ap-platform'], ['finance-approver'], ['reporting-reader']] as Role[][]) {
      const text = await readWhenThere(invoices, `/v1/invoices/${invoiceId}`, roles, (t) => !t.includes('"status":"RECEIVED"'));
      expect(text).toContain('RE-2025-0815');
      expect(leakedSensitiveValues(text)).toEqual([]);
    }
    expect(leakedSensitiveValues(await auditRowsOf([supplierId, invoiceId]))).toEqual([]);
  });

  it('payment-sync shows payments and parked payloads to ops without bank details', async () => {
    const prefix = await namespace();
    const payments = await start(PaymentSyncService, prefix);
    const supplierNumber = '1013';
    const erpInvoiceId = 300_100_000_000_000 + Math.floor(Math.random() * 1_000_000);
    const invoiceId = randomUUID();
    const invoiceNumber = `INV-SD-${erpInvoiceId}`;

    const receivedSample = sampleValue(localSchemaSource().latestSchema('InvoiceReceived'), 'logical') as InvoiceReceived;
    const received: InvoiceReceived = {
      ...receivedSample,
      envelope: newEnvelope('InvoiceReceived', { sourcePlatform: 'AP_AUTOMATION', legalEntity: LEGAL_ENTITY, correlationId: `corr-${invoiceId}` }),
      invoiceId,
      supplierId: nameBasedId('supplier', supplierNumber),
      supplierInvoiceNumber: invoiceNumber,
      documentType: 'INVOICE',
      currency: 'EUR',
      totals: { net: { amount: '1657.5000', currency: 'EUR' }, tax: { amount: '0.0000', currency: 'EUR' }, gross: { amount: '1657.5000', currency: 'EUR' } },
    };
    await publishEvent(producer, codec, { event: 'InvoiceReceived', key: invoiceId, value: received, eventId: received.envelope.eventId, topic: topicNameFor('InvoiceReceived', prefix) });
    const postedSample = sampleValue(localSchemaSource().latestSchema('InvoicePosted'), 'logical') as InvoicePosted;
    const posted: InvoicePosted = {
      ...postedSample,
      envelope: newEnvelope('InvoicePosted', { sourcePlatform: 'ERP', legalEntity: LEGAL_ENTITY, correlationId: `corr-${invoiceId}` }),
      invoiceId,
      erpDocumentId: String(erpInvoiceId),
      erpDocumentNumber: `AP-2025-${erpInvoiceId}`,
      postedAmount: { amount: '1657.5000', currency: 'EUR' },
    };
    await publishEvent(producer, codec, { event: 'InvoicePosted', key: invoiceId, value: posted, eventId: posted.envelope.eventId, topic: topicNameFor('InvoicePosted', prefix) });
    await readWhenThere(payments, `/v1/invoices/${invoiceId}/payment-status`, ['ops']);

    // The Fusion payment fixture, as the delivered (Issued) webhook, with every account-number name Fusion uses.
    const payment = (paymentId: number, related: { InvoiceNumber: string; InvoiceId: number; AmountPaid: string }[]) => ({
      ...fixture('fusion-payment.json'),
      CheckId: paymentId,
      PaymentId: paymentId,
      PaymentNumber: paymentId - 200_000_000_000_000,
      PaymentStatus: 'Issued',
      PaymentAmount: '1657.50',
      SupplierNumber: supplierNumber,
      PayeeBankAccountNumber: PLANTED.iban,
      ExternalBankAccountNumber: PLANTED.accountNumber,
      SWIFTCode: PLANTED.bic,
      relatedInvoices: related,
    });
    const recorded = await call(payments, 'POST', '/v1/erp/payments', ['erp-platform'], payment(erpInvoiceId + 7, [{ InvoiceNumber: invoiceNumber, InvoiceId: erpInvoiceId, AmountPaid: '1657.50' }]));
    expect(recorded.status).toBe(201);
    expect(leakedSensitiveValues(recorded.text)).toEqual([]);
    const paymentId = (JSON.parse(recorded.text) as { paymentId: string }).paymentId;
    const shown = await readWhenThere(payments, `/v1/payments/${paymentId}`, ['ops']);
    expect(shown).toContain('"payeeBankAccountRef":"****4300"');
    expect(leakedSensitiveValues(shown)).toEqual([]);

    // A payment for an invoice payment-sync does not know is parked with its payload: ops reads it masked.
    const parked = await call(payments, 'POST', '/v1/erp/payments', ['erp-platform'], payment(erpInvoiceId + 8, [{ InvoiceNumber: 'INV-SD-UNKNOWN', InvoiceId: erpInvoiceId + 9, AmountPaid: '1657.50' }]));
    expect(parked.status).toBeLessThan(300);
    const parkedList = await readWhenThere(payments, '/v1/ops/parked-payments', ['ops'], (t) => t.includes(String(erpInvoiceId + 8)));
    expect(parkedList).toContain('"RemitToAccountNumber":"****3000"');
    expect(leakedSensitiveValues(parkedList)).toEqual([]);
    expect(leakedSensitiveValues(await auditRowsOf([paymentId]))).toEqual([]);
  });
});
