import { randomUUID } from 'node:crypto';
import { nameBasedId } from '@finmesh/adapters';
import { localSchemaSource, sampleValue, type EventName, type SupplierBlocked, type SupplierUnblocked, type SupplierUpserted } from '@finmesh/contracts';
import { readDeadLetters, type DeadLetterRecord } from '@finmesh/ops';
import { mintDevToken } from '@finmesh/service-kit';
import { eventually, openIngressTestBed, testKafka, type IngressTestBed } from '@finmesh/testing';
import { SupplierSyncService } from '../service';

const SECRET = 'supplier-ingress-test-secret-0123456789abcd';

/**
 * An ERP producing supplier masters to its ingress topic instead of pushing them: supplier-sync
 * applies them through the same use case and publishes the canonical events itself (it is the one
 * writer of the supplier topic); what it refuses is dead-lettered with the reason.
 */
describe('supplier-sync: the ERP supplier ingress topic', () => {
  jest.setTimeout(120_000);
  let bed: IngressTestBed;
  const run = Date.now().toString(36);
  let clock = Date.parse('2025-05-01T08:00:00Z');
  const at = (): Date => new Date((clock += 60_000));

  beforeAll(async () => {
    bed = await openIngressTestBed(SupplierSyncService, { platform: 'erp', canonicalEvent: 'SupplierUpserted', jwtSecret: SECRET });
  }, 90_000);

  afterAll(async () => {
    await bed?.close();
  });

  const envelope = (event: EventName, occurredAt: Date) => ({ ...sample<SupplierUpserted>('SupplierUpserted').envelope, eventType: event, eventId: randomUUID(), sourcePlatform: 'ERP' as const, occurredAt });

  function sample<T>(event: EventName): T {
    return sampleValue(localSchemaSource().latestSchema(event), 'logical') as T;
  }

  function upserted(number: string, over: Partial<SupplierUpserted> = {}): SupplierUpserted {
    const s = sample<SupplierUpserted>('SupplierUpserted');
    return { ...s, envelope: envelope('SupplierUpserted', at()), supplierId: nameBasedId('supplier', number), externalIds: { ERP: number }, status: 'ACTIVE', bankAccounts: [], taxIds: [], legalName: `Ingress Supplier ${number}`, ...over };
  }


  it('creates, blocks and unblocks a supplier from ingress records, publishing the canonical events itself', async () => {
    const number = `ING-${run}`;
    const supplierId = nameBasedId('supplier', number);
    const first = upserted(number);
    await bed.produce('SupplierUpserted', first, supplierId);
    await eventually('SupplierUpserted on the canonical topic', async () => bed.canonical.of('SupplierUpserted', supplierId).length === 1);
    const published = bed.canonical.of('SupplierUpserted', supplierId)[0]!.value;
    expect(published).toMatchObject({ supplierId, legalName: `Ingress Supplier ${number}`, status: 'ACTIVE' });
    // supplier-sync's own event (its outbox, its revision), not a copy of the ERP's record.
    expect(published.envelope.eventId).not.toBe(first.envelope.eventId);

    const token = await mintDevToken({ clientId: 'ops', roles: ['ops'], secret: SECRET });
    expect(await (await fetch(`${bed.url}/v1/suppliers/${supplierId}`, { headers: { authorization: `Bearer ${token}` } })).json()).toMatchObject({ supplierId, supplierNumber: number, status: 'ACTIVE' });

    const block: SupplierBlocked = { envelope: envelope('SupplierBlocked', at()), supplierId, scope: 'PAYMENT', reasonCode: 'PAYMENT_HOLD', reason: 'bank account under review', blockedBy: 'AP.MANAGER' };
    await bed.produce('SupplierBlocked', block, supplierId);
    await eventually('SupplierBlocked on the canonical topic', async () => bed.canonical.of('SupplierBlocked', supplierId).length === 1);
    expect(bed.canonical.of('SupplierBlocked', supplierId)[0]!.value).toMatchObject({ supplierId, scope: 'PAYMENT', reasonCode: 'PAYMENT_HOLD', blockedBy: 'AP.MANAGER' });
    expect(bed.canonical.of('SupplierUpserted', supplierId).at(-1)!.value).toMatchObject({ status: 'BLOCKED' });

    const unblock: SupplierUnblocked = { envelope: envelope('SupplierUnblocked', at()), supplierId, scope: 'PAYMENT', reason: 'reviewed', unblockedBy: 'AP.LEAD' };
    await bed.produce('SupplierUnblocked', unblock, supplierId);
    await eventually('SupplierUnblocked on the canonical topic', async () => bed.canonical.of('SupplierUnblocked', supplierId).length === 1);
    expect(bed.canonical.of('SupplierUnblocked', supplierId)[0]!.value).toMatchObject({ supplierId, scope: 'PAYMENT', unblockedBy: 'AP.LEAD' });
    expect(bed.canonical.of('SupplierUpserted', supplierId).at(-1)!.value).toMatchObject({ status: 'ACTIVE' });
    expect(bed.canonical.of('SupplierUpserted', supplierId)).toHaveLength(3);
  });

  it('dead-letters what it refuses, with the reason, and publishes nothing for it', async () => {
    const mismatched = upserted(`MIS-${run}`, { supplierId: `not-the-derived-id-${run}` });
    await bed.produce('SupplierUpserted', mismatched, mismatched.supplierId);
    const unknownId = nameBasedId('supplier', `NONE-${run}`);
    const blockOfUnknown: SupplierBlocked = { envelope: envelope('SupplierBlocked', at()), supplierId: unknownId, scope: 'ALL', reasonCode: 'HOLD', reason: null, blockedBy: 'ERP' };
    await bed.produce('SupplierBlocked', blockOfUnknown, unknownId);
    const staleNumber = `STALE-${run}`;
    const newer = upserted(staleNumber);
    const older = upserted(staleNumber, { legalName: 'Older name', envelope: envelope('SupplierUpserted', new Date(newer.envelope.occurredAt.getTime() - 3_600_000)) });
    await bed.produce('SupplierUpserted', newer, newer.supplierId);
    await bed.produce('SupplierUpserted', older, older.supplierId);

    const kafka = testKafka();
    let dead: DeadLetterRecord[] = [];
    await eventually('three records dead-lettered', async () => (dead = await readDeadLetters({ kafka, dltTopics: [`${bed.ingressTopic('SupplierUpserted')}.dlt`] })).length >= 3);
    const byKey = new Map(dead.map((d) => [d.key?.toString(), d]));
    expect(byKey.get(mismatched.supplierId)).toMatchObject({ errorCode: 'SUPPLIER_ID_MISMATCH', errorMessage: expect.stringContaining(`expected ${nameBasedId('supplier', `MIS-${run}`)}`) });
    expect(byKey.get(unknownId)).toMatchObject({ errorCode: 'SUPPLIER_NOT_FOUND' });
    expect(byKey.get(newer.supplierId)).toMatchObject({ errorCode: 'STALE_SUPPLIER', errorMessage: expect.stringContaining('older than the stored') });
    expect(bed.canonical.of('SupplierUpserted', mismatched.supplierId)).toHaveLength(0);
    expect(bed.canonical.of('SupplierBlocked', unknownId)).toHaveLength(0);
    expect(bed.canonical.of('SupplierUpserted', newer.supplierId).map((e) => e.value['legalName'])).toEqual([newer.legalName]);
  });
});
