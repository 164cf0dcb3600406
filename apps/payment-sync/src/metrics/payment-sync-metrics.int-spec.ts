import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { nameBasedId } from '@finmesh/adapters';
import {
  localSchemaSource,
  newEnvelope,
  topicNameFor,
  type EventCodec,
  type InvoicePosted,
  type InvoiceReceived,
  type LegalEntityRef,
} from '@finmesh/contracts';
import { publishEvent } from '@finmesh/messaging';
import { mintDevToken } from '@finmesh/service-kit';
import {
  createTestSchema,
  dropTestSchema,
  eventually,
  exposedValue,
  provisionTestNamespace,
  sampleValue,
  scrapeMetrics,
  startServiceUnderTest,
  testCodec,
  testKafka,
  type ServiceUnderTest,
} from '@finmesh/testing';
import { PaymentSyncService } from '../service';

// payment-sync's KPI on the real stack: a payment released, then confirmed a second later,
// observes that delay in finmesh_payment_confirmation_delay_seconds.

jest.setTimeout(90_000);

const SECRET = 'payment-sync-metrics-secret-0123456789abcdef';
const SUPPLIER_NUMBER = 'SUP-METRICS-1';
const LEGAL_ENTITY: LegalEntityRef = { code: 'DE01', country: 'DE', name: 'finmesh GmbH' };

let service: ServiceUnderTest;
let ns: { prefix: string; cleanup: () => Promise<void> };
let schema: string;
let producer: Producer;
let codec: EventCodec;

beforeAll(async () => {
  ns = await provisionTestNamespace();
  schema = await createTestSchema();
  service = await startServiceUnderTest(PaymentSyncService, { topicPrefix: ns.prefix, dbSchema: schema, jwtSecret: SECRET });
  producer = testKafka().producer();
  await producer.connect();
  codec = testCodec();
});

afterAll(async () => {
  await producer?.disconnect();
  await service?.app.close();
  await ns?.cleanup();
  if (schema) await dropTestSchema(schema);
});

/** InvoiceReceived + InvoicePosted, as invoice-sync publishes them, so payments can resolve the invoice. */
async function postedInvoice(number: string, erpInvoiceId: number): Promise<string> {
  const invoiceId = randomUUID();
  const topic = topicNameFor('InvoicePosted', ns.prefix);
  const received: InvoiceReceived = {
    ...(sampleValue(localSchemaSource().latestSchema('InvoiceReceived'), 'logical') as InvoiceReceived),
    envelope: newEnvelope('InvoiceReceived', { sourcePlatform: 'AP_AUTOMATION', legalEntity: LEGAL_ENTITY }),
    invoiceId,
    supplierId: nameBasedId('supplier', SUPPLIER_NUMBER),
    supplierInvoiceNumber: number,
    documentType: 'INVOICE',
    currency: 'EUR',
    totals: { net: { amount: '100.0000', currency: 'EUR' }, tax: { amount: '0.0000', currency: 'EUR' }, gross: { amount: '100.0000', currency: 'EUR' } },
  };
  await publishEvent(producer, codec, { event: 'InvoiceReceived', key: invoiceId, value: received, eventId: received.envelope.eventId, topic });
  const posted: InvoicePosted = {
    ...(sampleValue(localSchemaSource().latestSchema('InvoicePosted'), 'logical') as InvoicePosted),
    envelope: newEnvelope('InvoicePosted', { sourcePlatform: 'ERP', legalEntity: LEGAL_ENTITY }),
    invoiceId,
    erpDocumentId: String(erpInvoiceId),
    erpDocumentNumber: `AP-${erpInvoiceId}`,
    accountingDate: '2025-03-14',
    fiscalPeriod: 'MAR-25',
    postedAmount: { amount: '100.0000', currency: 'EUR' },
  };
  await publishEvent(producer, codec, { event: 'InvoicePosted', key: invoiceId, value: posted, eventId: posted.envelope.eventId, topic });
  return invoiceId;
}

async function deliver(paymentId: number, number: string, erpInvoiceId: number, status: 'Negotiable' | 'Cleared'): Promise<number> {
  const res = await fetch(`${service.url}/v1/erp/payments`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await mintDevToken({ clientId: 'fusion-erp', roles: ['erp-platform'], secret: SECRET })}`,
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify({
      CheckId: paymentId,
      PaymentNumber: paymentId % 1_000_000,
      PaymentAmount: '100.00',
      PaymentCurrency: 'EUR',
      PaymentDate: '2025-04-01',
      PaymentMethodCode: 'EFT',
      PaymentStatus: status,
      SupplierNumber: SUPPLIER_NUMBER,
      PaymentReference: status === 'Cleared' ? 'BANK-REF-1' : null,
      ClearingDate: status === 'Cleared' ? '2025-04-03' : null,
      relatedInvoices: [{ InvoiceNumber: number, InvoiceId: erpInvoiceId, AmountPaid: '100.00' }],
    }),
  });
  return res.status;
}

it('observes the released → confirmed delay of a payment', async () => {
  const erpInvoiceId = 400_000_000_000 + Math.floor(Math.random() * 1_000_000);
  const number = `INV-M-${randomUUID().slice(0, 8)}`;
  const invoiceId = await postedInvoice(number, erpInvoiceId);
  const reader = await mintDevToken({ clientId: 'reports', roles: ['reporting-reader'], secret: SECRET });
  await eventually('invoice payable in payment-sync', async () => {
    const res = await fetch(`${service.url}/v1/invoices/${invoiceId}/payment-status`, { headers: { authorization: `Bearer ${reader}` } });
    return res.status === 200;
  });
  const paymentId = erpInvoiceId + 7;
  expect(await deliver(paymentId, number, erpInvoiceId, 'Negotiable')).toBe(201);

  const before = await scrapeMetrics(service.url);
  await new Promise((r) => setTimeout(r, 1100));
  expect(await deliver(paymentId, number, erpInvoiceId, 'Cleared')).toBe(201);
  const after = await scrapeMetrics(service.url);

  const moved = (series: string) => exposedValue(after, series) - exposedValue(before, series);
  expect(moved('finmesh_payment_confirmation_delay_seconds_count')).toBe(1);
  expect(moved('finmesh_payment_confirmation_delay_seconds_sum')).toBeGreaterThanOrEqual(1);
  expect(moved('finmesh_payment_confirmation_delay_seconds_sum')).toBeLessThan(60);
  expect(exposedValue(after, 'finmesh_payment_confirmation_delay_seconds_bucket', { le: '60' }) - exposedValue(before, 'finmesh_payment_confirmation_delay_seconds_bucket', { le: '60' })).toBe(1);
});
