import { keyOf, rowKey, type TableSpec } from './read-model-table';
import { MemoryRowStore } from './row-store';

const LINES: TableSpec = {
  name: 'lines',
  primaryKey: ['order_id', 'line_number'],
  columns: [
    { name: 'order_id', type: 'text' },
    { name: 'line_number', type: 'int' },
    { name: 'amount', type: 'numeric' },
  ],
};
const ORDERS: TableSpec = { name: 'orders', primaryKey: ['order_id'], columns: [{ name: 'order_id', type: 'text' }, { name: 'status', type: 'text' }] };

describe('rowKey', () => {
  it('gives the string keyOf gives for the row key values, whatever other columns the row has', () => {
    expect(rowKey(LINES, { order_id: 'PO-1', line_number: 2, amount: '1.00' })).toBe(keyOf(['PO-1', 2]));
    expect(rowKey(ORDERS, { order_id: 'PO-1', status: 'OPEN' })).toBe(keyOf(['PO-1']));
  });

  it('tells a null key column from the text "null" and keeps column boundaries', () => {
    expect(rowKey(LINES, { order_id: null, line_number: 1 })).toBe(keyOf([null, 1]));
    expect(rowKey(LINES, { order_id: null, line_number: 1 })).not.toBe(rowKey(LINES, { order_id: 'null', line_number: 1 }));
    expect(rowKey(LINES, { order_id: 'A1', line_number: 1 })).not.toBe(rowKey(LINES, { order_id: 'A', line_number: 11 }));
  });
});

describe('MemoryRowStore.upsert', () => {
  it('starts a row with the key and null columns, then changes the stored row in place', () => {
    const store = new MemoryRowStore();
    store.upsert(LINES, { order_id: 'PO-1', line_number: 1 }, (row) => void (row['amount'] = '5.00'));
    expect(store.get(LINES, ['PO-1', 1])).toEqual({ order_id: 'PO-1', line_number: 1, amount: '5.00' });
    store.upsert(LINES, { order_id: 'PO-1', line_number: 1 }, (row) => void (row['amount'] = `${String(row['amount'])}+`));
    expect(store.get(LINES, ['PO-1', 1])?.['amount']).toBe('5.00+');
    expect(store.count(LINES)).toBe(1);
  });

  it('finds rows put directly, and keeps tables apart', () => {
    const store = new MemoryRowStore();
    store.put(ORDERS, { order_id: 'PO-1', status: 'OPEN' });
    store.upsert(ORDERS, { order_id: 'PO-1' }, (row) => void (row['status'] = 'CLOSED'));
    store.upsert(LINES, { order_id: 'PO-1', line_number: 1 }, () => undefined);
    expect([...store.rows(ORDERS)]).toEqual([{ order_id: 'PO-1', status: 'CLOSED' }]);
    expect(store.count(LINES)).toBe(1);
  });
});
