/**
 * Coupa receiving transactions -> GoodsReceiptRecorded payload.
 *
 * Shape: Coupa Core API, Receiving Transactions (`GET /api/receiving_transactions`, "Receipts
 * API" on compass.coupa.com): per transaction `id`, `type` (e.g. InventoryReceipt,
 * ReceivingQuantityConsumption), `status`, `transaction-date`, `quantity`, `uom: { code }`,
 * `created-by: { login }`, `order-line: { id, line-num, order-header-id, order-header-number,
 * supplier: { number }, account: { account-type: { name } } }`.
 *
 * Simplified / decided here:
 *  - Coupa records one transaction per PO line received; finmesh's receipt groups lines. The
 *    caller passes the transactions of one receiving event (same order, e.g. one submit in the
 *    receiving screen) as an array; the receipt id is derived from the sorted transaction ids, so
 *    replaying the same batch yields the same receiptId.
 *  - The PO number and supplier are read from each transaction's `order-line` (Coupa expands the
 *    order line on receiving transactions); all transactions must name the same PO and supplier.
 *  - Returns to supplier arrive as transaction types containing "Return" with a positive quantity
 *    (Coupa records the direction in the type); they become negative quantities. Voided
 *    transactions are rejected: the caller maps a void separately.
 *  - Legal entity: chart of accounts of the order line's account, as for purchase orders.
 *  - receivedAt is the latest `transaction-date` of the batch; it is also occurredAt.
 */
import { negateDecimal, QUANTITY_SCALE, type GoodsReceiptLine } from '@finmesh/contracts';
import { FieldReader, describeValue, joinPath } from '../mapping/field-reader';
import type { Mapped, MappingContext } from '../mapping/mapping-context';
import { MappingError, ProblemCollector } from '../mapping/mapping-error';
import { resolveLegalEntity, type LegalEntityCandidate } from '../mapping/resolution';

/** One Coupa receiving transaction as documented (only the fields finmesh reads). */
export interface CoupaReceivingTransaction {
  id: number;
  type: string;
  status?: string | null;
  'transaction-date': string;
  quantity: string | number;
  uom: { code: string };
  'created-by'?: { login: string } | null;
  'order-line': {
    id: number;
    'line-num': number | string;
    'order-header-number': string;
    supplier: { number: string };
    account?: { 'account-type': { name: string } } | null;
  };
}

function isReturn(type: string): boolean {
  return /return/i.test(type);
}

/** GoodsReceiptRecorded payload for the receiving transactions of one receipt (one PO). */
export function mapCoupaReceipt(transactions: unknown, ctx: MappingContext): Mapped<'GoodsReceiptRecorded'> {
  const problems = new ProblemCollector();
  const subject = 'Coupa receiving transactions';
  if (!Array.isArray(transactions) || transactions.length === 0) {
    problems.add('', `must be a non-empty array of receiving transactions, got ${Array.isArray(transactions) ? 'an empty array' : describeValue(transactions)}`);
    throw new MappingError(subject, problems.problems);
  }

  let poNumber: { value: string; path: string } | undefined;
  let supplierNumber: { value: string; path: string } | undefined;
  let receivedAt: Date | undefined;
  let receivedBy: string | null = null;
  const ids: string[] = [];
  const hints: LegalEntityCandidate[] = [];
  const seenLines = new Map<number, string>();
  const lines: GoodsReceiptLine[] = [];

  transactions.forEach((item, i) => {
    const t = FieldReader.root(item, problems, joinPath('', i));
    if (!t) return;
    const id = t.string('id');
    if (id !== undefined) ids.push(id);
    const type = t.string('type');
    if (t.optionalString('status') === 'voided') t.problem('status', 'is voided; a voided receipt is not a goods receipt');
    const at = t.timestamp('transaction-date');
    if (at && (!receivedAt || at > receivedAt)) receivedAt = at;
    receivedBy ??= t.optionalObject('created-by')?.optionalString('login') ?? null;
    const quantity = t.decimal('quantity', QUANTITY_SCALE);
    if (quantity !== undefined && quantity.startsWith('-')) t.problem('quantity', `must be positive (returns are typed, not negative), got ${quantity}`);

    const orderLine = t.object('order-line');
    const lineNumber = orderLine?.integer('line-num', { min: 1 });
    const po = orderLine?.string('order-header-number');
    if (orderLine && po !== undefined) {
      if (poNumber && poNumber.value !== po) orderLine.problem('order-header-number', `is ${po} but ${poNumber.path} is ${poNumber.value}; one receipt covers one order`);
      poNumber ??= { value: po, path: orderLine.pathOf('order-header-number') };
    }
    const supplierReader = orderLine?.object('supplier');
    const supplier = supplierReader?.string('number');
    if (supplierReader && supplier !== undefined) {
      if (supplierNumber && supplierNumber.value !== supplier) supplierReader.problem('number', `is ${supplier} but ${supplierNumber.path} is ${supplierNumber.value}`);
      supplierNumber ??= { value: supplier, path: supplierReader.pathOf('number') };
    }
    const chart = orderLine?.optionalObject('account')?.object('account-type')?.string('name');
    if (orderLine && chart) hints.push({ path: `${orderLine.path}.account.account-type.name`, kind: 'chart-of-accounts', value: chart });
    if (orderLine && lineNumber !== undefined) {
      const previous = seenLines.get(lineNumber);
      if (previous) orderLine.problem('line-num', `duplicates ${previous} (line ${lineNumber}); send one transaction per PO line`);
      else seenLines.set(lineNumber, orderLine.pathOf('line-num'));
    }
    lines.push({
      poLineNumber: lineNumber ?? 0,
      quantityReceived: quantity === undefined || type === undefined ? '' : isReturn(type) ? negateDecimal(quantity, QUANTITY_SCALE) : quantity,
      unitOfMeasure: t.object('uom')?.string('code')?.toUpperCase() ?? '',
    });
  });

  const purchaseOrderId = poNumber && ctx.ids({ kind: 'purchase-order', key: poNumber.value, source: 'PROCUREMENT' });
  if (poNumber && !purchaseOrderId) problems.add(poNumber.path, `no finmesh purchase-order is known for ${JSON.stringify(poNumber.value)}`);
  const supplierId = supplierNumber && ctx.ids({ kind: 'supplier', key: supplierNumber.value, source: 'PROCUREMENT' });
  if (supplierNumber && !supplierId) problems.add(supplierNumber.path, `no finmesh supplier is known for ${JSON.stringify(supplierNumber.value)}`);
  const receiptKey = [...ids].sort().join('+');
  const receiptId = ctx.ids({ kind: 'goods-receipt', key: receiptKey, source: 'PROCUREMENT' });
  if (!problems.hasProblems && !receiptId) problems.add('', `no finmesh goods-receipt id for ${receiptKey}`);
  const legalEntity = resolveLegalEntity(ctx, problems, hints);
  problems.throwIfAny(`${subject} ${receiptKey}`);

  return {
    payload: {
      purchaseOrderId: purchaseOrderId ?? '',
      receiptId: receiptId ?? '',
      receiptNumber: receiptKey,
      supplierId: supplierId ?? '',
      receivedAt: receivedAt as unknown as Date,
      receivedBy,
      lines,
    },
    legalEntity: legalEntity as NonNullable<typeof legalEntity>,
    occurredAt: receivedAt as unknown as Date,
  };
}
