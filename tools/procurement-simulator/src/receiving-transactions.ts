/**
 * Receiving transactions as the simulator keeps them (compass.coupa.com, "Receiving Transactions
 * API (/receiving_transactions)", "Special Actions and API Notes", and the integration article
 * "Partial Receipt Voids Using Outbound Integration"):
 *  - the 14 documented `type`s (7 base types and their `Void` forms);
 *  - `PUT /api/receiving_transactions/:id/void` ("Perform Void action"; the API notes give the
 *    older path `/api/inventory_transactions/:id/void`, served too);
 *  - voiding, by `voidMode`:
 *    'void-transactions' (default; Coupa with partial voids enabled): a NEW transaction of type
 *      `Void<type>`, status created, for the voided quantity (or amount), with
 *      `original_transaction_id`; the original becomes `voided` (or `partially_voided`) and its
 *      `voided_value` grows;
 *    'status' (partial voids off): the original's status becomes voided, no new record.
 *    In both, the original's `updated-at` moves and its exported flag is reset ("Voided
 *    Inventory Transactions can also be exported", Inventory Transactions (Receipts) Export).
 * Simulator choices: the void body may name a partial `quantity` (or `total` for amount types),
 * in 'void-transactions' mode only, default the rest not yet voided; Void records and records not
 * created or partially voided cannot be voided (422). Admin `POST /__admin/receiving_transactions`
 * takes one transaction or an array (one receipt: they share a `receipts-batch-id`); an
 * `order-line` naming only the `id` of a line of a stored order is expanded from that order.
 */
import { COUPA_RECEIVING_TYPES } from '@finmesh/adapters';
import type { Clock } from './clock';
import { AdminProblems, coupaError } from './coupa-errors';
import { isJsonObject, type JsonObject } from './http-io';
import { findOrderLine } from './purchase-orders';
import type { ResourceStore } from './resource-store';

export type VoidMode = 'void-transactions' | 'status';

/** Decimal text arithmetic at Coupa's 6 fraction digits (decimal(30,6)), without floats. */
const SCALE = 6n;
const toUnits = (v: unknown): bigint | undefined => {
  const m = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '');
  if (!m) return undefined;
  const units = BigInt(m[2] ?? '0') * 10n ** SCALE + BigInt((m[3] ?? '').padEnd(Number(SCALE), '0') || '0');
  return m[1] === '-' ? -units : units;
};
const fromUnits = (u: bigint): string => {
  const sign = u < 0n ? '-' : '';
  const abs = u < 0n ? -u : u;
  const frac = (abs % 10n ** SCALE).toString().padStart(Number(SCALE), '0').replace(/0+$/, '');
  return `${sign}${abs / 10n ** SCALE}${frac ? `.${frac}` : '.0'}`;
};

const isAmountType = (type: string) => /Amount/.test(type);
const measureKey = (type: string) => (isAmountType(type) ? 'total' : 'quantity');

export function createReceivingTransactions(store: ResourceStore, orders: ResourceStore, body: unknown, clock: Clock): JsonObject[] {
  const items = Array.isArray(body) ? body : [body];
  const problems = new AdminProblems();
  if (items.length === 0) problems.add('(root)', 'a receiving transaction or a non-empty array of them is required.');
  items.forEach((t, i) => {
    const at = (field: string) => (Array.isArray(body) ? `[${i}].${field}` : field);
    if (!isJsonObject(t)) return problems.add(at('(root)'), 'must be an object.');
    if (typeof t['type'] !== 'string' || !(COUPA_RECEIVING_TYPES as readonly string[]).includes(t['type'])) problems.add(at('type'), `type must be one of ${COUPA_RECEIVING_TYPES.join(', ')}.`);
    if (!isJsonObject(t['order-line'])) problems.add(at('order-line'), 'order-line is required.');
    const key = typeof t['type'] === 'string' ? measureKey(t['type']) : 'quantity';
    if (toUnits(t[key]) === undefined) problems.add(at(key), `${key} must be a decimal (a string such as "10.0").`);
  });
  problems.throwIfAny();
  const now = clock.monotonicStamp();
  const batchId = Array.isArray(body) ? store.allocateId() : undefined;
  return (items as JsonObject[]).map((t) => {
    const given = t['order-line'] as JsonObject;
    const stored = findOrderLine(orders, given['id']);
    const id = store.allocateId(t['id']);
    return store.save({
      status: 'created',
      'transaction-date': now,
      ...t,
      id,
      ...(batchId !== undefined ? { 'receipts-batch-id': batchId } : {}),
      'order-line': stored ? { ...stored, ...given } : given,
      'created-at': now,
      'updated-at': now,
      exported: false,
      'last-exported-at': null,
    });
  });
}

/** Performs the void action on a transaction; answers the original as it is afterwards. */
export function voidReceivingTransaction(store: ResourceStore, id: number, body: JsonObject | undefined, mode: VoidMode, clock: Clock): JsonObject {
  const original = store.require(id);
  const type = String(original['type']);
  const status = String(original['status'] ?? 'created');
  if (type.startsWith('Void')) throw coupaError(422, `Transaction ${id} is itself a void (${type}).`, 'type');
  if (status !== 'created' && status !== 'partially_voided') throw coupaError(422, `Transaction ${id} is ${status} and cannot be voided.`, 'status');
  const key = measureKey(type);
  const full = toUnits(original[key]) ?? 0n;
  const full_abs = full < 0n ? -full : full;
  const already = toUnits(original['voided_value']) ?? 0n;
  const left = full_abs - already;
  const asked = body?.[key];
  if (asked !== undefined && mode === 'status') throw coupaError(422, 'Partial voids are off on this instance (voidMode status); a void is always of the whole transaction.', key);
  const amount = asked === undefined ? left : toUnits(asked);
  if (amount === undefined || amount <= 0n || amount > left) {
    throw coupaError(422, `${key} to void must be a positive decimal of at most ${fromUnits(left)}.`, key);
  }
  const now = clock.monotonicStamp();
  const voided = already + amount;
  const updated: JsonObject = {
    ...original,
    status: voided >= full_abs ? 'voided' : 'partially_voided',
    'updated-at': now,
    exported: false,
    ...(mode === 'void-transactions' ? { voided_value: fromUnits(voided) } : {}),
    ...(typeof body?.['comments'] === 'string' ? { comments: body['comments'] } : {}),
  };
  if (mode === 'void-transactions') {
    const voidRecord: JsonObject = {
      ...original,
      id: store.allocateId(),
      type: `Void${type}`,
      status: 'created',
      [key]: fromUnits(amount),
      original_transaction_id: id,
      voided_value: null,
      'transaction-date': now,
      'created-at': now,
      'updated-at': now,
      exported: false,
      'last-exported-at': null,
      ...(typeof body?.['comments'] === 'string' ? { comments: body['comments'] } : {}),
    };
    if (isAmountType(type)) voidRecord['quantity'] = null;
    store.save(voidRecord);
  }
  return store.save(updated);
}
