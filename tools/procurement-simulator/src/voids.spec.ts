import { mapCoupaReceivingTransaction, nameBasedIds, type MappingContext } from '@finmesh/adapters';
import { startProcurementSimulator, type ProcurementSimulator } from './server';
import { admin, api, coupaOrder, token } from './testing/simulator-client';

type Rec = Record<string, unknown>;
const ctx: MappingContext = { ids: nameBasedIds, legalEntities: () => ({ code: 'DE01', country: 'DE', name: null }) };

/** Signed received quantities the adapter reads from the transactions the simulator serves. */
const received = (transactions: Rec[], options = {}) => transactions.flatMap((t) => mapCoupaReceivingTransaction(t, ctx, options).map((r) => r.payload.lines[0]?.quantityReceived));

describe.each(['void-transactions', 'status'] as const)('procurement simulator: receipts and voids (voidMode %s)', (voidMode) => {
  let sim: ProcurementSimulator;
  let coupa: ReturnType<typeof api>;
  let lineId: number;

  beforeAll(async () => {
    sim = await startProcurementSimulator({ voidMode, rateLimit: false });
    coupa = api(sim.url, await token(sim.url));
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    await admin(sim.url).post('/reset');
    const po = (await admin(sim.url).post('/purchase_orders', coupaOrder('PO-4711'))).body as Rec;
    lineId = (po['order-lines'] as Rec[])[0]!['id'] as number;
  });

  const receive = async (quantity: string, type = 'InventoryReceipt'): Promise<Rec> => {
    const r = await admin(sim.url).post('/receiving_transactions', { type, quantity, uom: { code: 'EA' }, 'order-line': { id: lineId } });
    expect(r.status).toBe(201);
    return (r.body as { items: Rec[] }).items[0]!;
  };
  const unexported = async () => (await coupa.get('/api/receiving_transactions?exported=false')).body as Rec[];

  it('expands the order line from the stored order, as Coupa does on receiving transactions', async () => {
    const t = await receive('6.0');
    expect(t).toMatchObject({ type: 'InventoryReceipt', status: 'created', exported: false, 'order-line': { id: lineId, 'line-num': '1', 'order-header-number': 'PO-4711', supplier: { number: '1013' }, total: '25.00' } });
    const batch = await admin(sim.url).post('/receiving_transactions', [
      { type: 'InventoryReceipt', quantity: '1.0', uom: { code: 'EA' }, 'order-line': { id: lineId } },
      { type: 'ReceivingQuantityConsumption', quantity: '2.0', uom: { code: 'EA' }, 'order-line': { id: lineId + 1 } },
    ]);
    const items = (batch.body as { items: Rec[] }).items;
    expect(items[0]!['receipts-batch-id']).toBe(items[1]!['receipts-batch-id']);
    expect((await admin(sim.url).post('/receiving_transactions', { type: 'Receipt', quantity: '1', 'order-line': { id: lineId } })).status).toBe(400);
  });

  it('voids a receipt: the integration sees it again, and the adapter reads the right sign', async () => {
    const t = await receive('6.0');
    await coupa.put(`/api/receiving_transactions/${String(t['id'])}?exported=true`);
    const voided = await coupa.put(`/api/receiving_transactions/${String(t['id'])}/void`, { comments: 'counted twice' });
    expect(voided).toMatchObject({ status: 200, body: { id: t['id'], status: 'voided', exported: false, comments: 'counted twice' } });
    const fetched = await unexported();
    if (voidMode === 'void-transactions') {
      expect(fetched.map((r) => [r['type'], r['status'], r['quantity'], r['original_transaction_id'] ?? null])).toEqual([
        ['InventoryReceipt', 'voided', '6.0', null],
        ['VoidInventoryReceipt', 'created', '6.0', t['id']],
      ]);
      expect(received(fetched)).toEqual(['6.0000', '-6.0000']);
    } else {
      expect(fetched.map((r) => [r['type'], r['status']])).toEqual([['InventoryReceipt', 'voided']]);
      expect(received(fetched, { voidProcess: 'status' })).toEqual(['6.0000', '-6.0000']);
    }
    expect((await coupa.put(`/api/receiving_transactions/${String(t['id'])}/void`)).status).toBe(422);
  });

  it('voids a return to supplier with the opposite sign, through the older inventory_transactions path', async () => {
    const ret = await receive('2.0', 'ReceivingQuantityReturnToSupplier');
    expect((await coupa.put(`/api/inventory_transactions/${String(ret['id'])}/void`)).status).toBe(200);
    const fetched = await unexported();
    expect(received(fetched, voidMode === 'status' ? { voidProcess: 'status' } : {})).toEqual(['-2.0000', '2.0000']);
  });

  it(voidMode === 'void-transactions' ? 'voids part of a receipt, then the rest' : 'refuses a partial void', async () => {
    const t = await receive('10.0');
    const id = String(t['id']);
    if (voidMode === 'status') {
      expect((await coupa.put(`/api/receiving_transactions/${id}/void`, { quantity: '4.0' })).status).toBe(422);
      return;
    }
    expect((await coupa.put(`/api/receiving_transactions/${id}/void`, { quantity: '4.0' })).body).toMatchObject({ status: 'partially_voided', voided_value: '4.0' });
    expect((await coupa.put(`/api/receiving_transactions/${id}/void`, { quantity: '7.0' })).status).toBe(422);
    expect((await coupa.put(`/api/receiving_transactions/${id}/void`)).body).toMatchObject({ status: 'voided', voided_value: '10.0' });
    const voids = ((await coupa.get(`/api/receiving_transactions?original_transaction_id=${id}`)).body as Rec[]).map((r) => [r['type'], r['quantity']]);
    expect(voids).toEqual([['VoidInventoryReceipt', '4.0'], ['VoidInventoryReceipt', '6.0']]);
    const voidId = String(((await coupa.get(`/api/receiving_transactions?original_transaction_id=${id}`)).body as Rec[])[0]!['id']);
    expect((await coupa.put(`/api/receiving_transactions/${voidId}/void`)).status).toBe(422);
  });

  it('marks receiving transactions exported with PATCH too, and needs the receiving scope', async () => {
    const t = await receive('1.0');
    expect((await coupa.patch(`/api/receiving_transactions/${String(t['id'])}`, { exported: true })).body).toMatchObject({ exported: true });
    const poOnly = api(sim.url, await token(sim.url, ['core.purchase_order.read']));
    expect((await poOnly.get('/api/receiving_transactions')).status).toBe(403);
  });
});
