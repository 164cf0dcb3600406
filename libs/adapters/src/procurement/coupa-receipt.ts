/**
 * Coupa receiving transactions -> GoodsReceiptRecorded payloads.
 *
 * Shape: Coupa Core API "Receiving Transactions API (/receiving_transactions)" and "Receipts API
 * Example Calls" (compass.coupa.com, The Coupa Core API > Resources > Transactional Resources >
 * Receipts API): per transaction `id`, `type`, `status`, `transaction-date`, `quantity`, `price`,
 * `total`, `uom: { code }`, `created-by: { login }`, `account: { account-type: { name } }`,
 * `original_transaction_id`, `voided_value`, and the expanded `order-line` (Purchase Order Lines
 * API: `id`, `line-num` (string(255)), `order-header-id`, `order-header-number`, `total`, `uom`,
 * `supplier: { number }`, `account: { account-type: { name } }`).
 * What each type and status does to the received quantity: see ./coupa-receiving-types.ts.
 * Unconfirmed: the example payload (XML) shows the order line without `order-header-number` and
 * its `supplier` on the order line; the Purchase Order Lines API lists `order-header-number`
 * ("PO Number") as an output element, and finmesh needs it (POs are keyed by number).
 *
 * Two entry points:
 *  - mapCoupaReceipt(transactions): one receiving event pushed as a batch (the transactions of
 *    one receipt of one PO). Each transaction contributes its signed quantity; several
 *    transactions on one PO line (a receipt and its void in the same batch) are netted, lines
 *    netting to zero and transactions without effect (disposals, pending receipts) are left out.
 *    The receipt id is derived from the sorted transaction ids, so the same batch gives the same
 *    receiptId. A batch that changes no received quantity is a mapping problem.
 *  - mapCoupaReceivingTransaction(transaction): one transaction as a poller fetches it
 *    (`GET /api/receiving_transactions?exported=false`), 0, 1 or 2 receipts: none when it has no
 *    effect; its own receipt (id = its Coupa id, the same id mapCoupaReceipt gives a batch of that
 *    one transaction); plus, with voidProcess 'status' and status voided, a reversal keyed
 *    `<id>:voided`. Re-polling the same transaction gives the same receipts (same ids), so
 *    po-sync's duplicate check makes a re-poll harmless.
 *
 * Decided here:
 *  - The PO number and supplier are read from each transaction's `order-line`; all transactions
 *    of a batch must name the same PO and supplier.
 *  - Amount-based types (ReceivingAmount*) carry the received amount in `total` (or `price`). The
 *    canonical amount line (see coupa-purchase-order.ts) is quantity 1 at unit price = line total,
 *    so the received quantity is amount / `order-line.total`, rounded half away from zero to the
 *    contract's 4 fraction digits (receiving 100.00 of a 300.00 line is 0.3333). The unit is the
 *    transaction's `uom`, else the order line's, else 'C62' (the amount line's default unit).
 *  - Legal entity: chart of accounts of the order line's account (the transaction's own account
 *    when the order line has none), as for purchase orders.
 *  - receivedAt is the latest `transaction-date`; it is also occurredAt.
 */
import { decimal, negateDecimal, QUANTITY_SCALE, MONEY_SCALE, type GoodsReceiptLine } from '@finmesh/contracts';
import { describeValue, FieldReader, joinPath } from '../mapping/field-reader';
import type { Mapped, MappingContext } from '../mapping/mapping-context';
import { MappingError, ProblemCollector } from '../mapping/mapping-error';
import { resolveLegalEntity, type LegalEntityCandidate } from '../mapping/resolution';
import { coupaDecimal, coupaLineNumber, optionalCoupaDecimal } from './coupa-fields';
import {
  COUPA_RECEIVING_TYPES,
  coupaReceivingEffect,
  coupaReceivingStatusPhase,
  KNOWN_COUPA_RECEIVING_STATUSES,
  type CoupaReceivingEffect,
  type CoupaReceivingOptions,
  type CoupaReceivingStatusPhase,
} from './coupa-receiving-types';
import { COUPA_RECEIPT_SCHEMA, COUPA_RECEIVING_TRANSACTION_SCHEMA } from '../payload-schemas/coupa-payload-schemas';

export type { CoupaReceivingOptions } from './coupa-receiving-types';

/** One Coupa receiving transaction as documented (only the fields finmesh reads). */
export interface CoupaReceivingTransaction {
  id: number;
  type: string;
  status?: string | null;
  'transaction-date': string;
  quantity?: string | number | null;
  price?: string | number | null;
  total?: string | number | null;
  uom?: { code: string } | null;
  'created-by'?: { login: string } | null;
  account?: { 'account-type'?: { name: string } | null } | null;
  original_transaction_id?: number | null;
  voided_value?: string | number | null;
  'order-line': {
    id: number;
    'line-num': string | number;
    'order-header-id'?: number;
    'order-header-number': string;
    total?: string | number | null;
    uom?: { code: string } | null;
    supplier: { number: string };
    account?: { 'account-type': { name: string } } | null;
  };
}

interface ReadTransaction {
  readonly id: string | undefined;
  readonly effect: CoupaReceivingEffect | undefined;
  readonly phase: CoupaReceivingStatusPhase | undefined;
  readonly at: Date | undefined;
  readonly login: string | null;
  readonly poNumber: { value: string; path: string } | undefined;
  readonly supplierNumber: { value: string; path: string } | undefined;
  readonly hint: LegalEntityCandidate | undefined;
  readonly lineNumber: number | undefined;
  readonly lineNumberPath: string;
  readonly unit: string | undefined;
  /** Absolute received quantity (amounts already converted to a fraction of the line). */
  readonly magnitude: string | undefined;
}

function readTransaction(item: unknown, path: string, problems: ProblemCollector, options: CoupaReceivingOptions): ReadTransaction | undefined {
  const t = FieldReader.root(item, problems, path);
  if (!t) return undefined;
  const id = t.string('id');
  const type = t.string('type');
  const effect = type === undefined ? undefined : coupaReceivingEffect(type, options);
  if (type !== undefined && !effect) t.problem('type', `must be a documented receiving transaction type (${COUPA_RECEIVING_TYPES.join(', ')}), got ${describeValue(type)}`);
  const rawStatus = t.optionalString('status');
  const phase = coupaReceivingStatusPhase(rawStatus);
  if (!phase) t.problem('status', `must be one of ${KNOWN_COUPA_RECEIVING_STATUSES.join(', ')}, got ${describeValue(rawStatus)}`);
  const at = t.timestamp('transaction-date');
  const login = t.optionalObject('created-by')?.optionalString('login') ?? null;

  const orderLine = t.object('order-line');
  const lineNumber = orderLine ? coupaLineNumber(orderLine, 'line-num') : undefined;
  const po = orderLine?.string('order-header-number');
  const supplierReader = orderLine?.object('supplier');
  const supplier = supplierReader?.string('number');
  const chart = chartOf(orderLine) ?? chartOf(t);

  let magnitude: string | undefined;
  if (effect?.measure === 'QUANTITY') {
    const q = coupaDecimal(t, 'quantity', QUANTITY_SCALE);
    magnitude = q === undefined ? undefined : decimal(q).abs().toFixed(QUANTITY_SCALE);
  } else if (effect?.measure === 'AMOUNT') {
    const amountKey = t.has('total') || !t.has('price') ? 'total' : 'price';
    const amount = coupaDecimal(t, amountKey, MONEY_SCALE);
    const lineTotal = orderLine ? optionalCoupaDecimal(orderLine, 'total', MONEY_SCALE) : undefined;
    if (orderLine && lineTotal === null) orderLine.problem('total', `is required for ${effect.type}: the received quantity of an amount line is the amount / order-line total`);
    else if (lineTotal !== undefined && lineTotal !== null && !decimal(lineTotal).isPositive()) orderLine?.problem('total', `must be positive to convert an amount receipt, got ${lineTotal}`);
    else if (amount !== undefined && lineTotal) magnitude = decimal(amount).abs().divide(decimal(lineTotal), QUANTITY_SCALE).toFixed(QUANTITY_SCALE);
  }
  const unit = t.optionalObject('uom')?.string('code') ?? orderLine?.optionalObject('uom')?.string('code') ?? (effect?.measure === 'AMOUNT' ? 'C62' : undefined);
  if (unit === undefined && effect?.measure === 'QUANTITY' && !t.has('uom')) t.problem('uom', 'is required for a quantity receipt');

  return {
    id,
    effect,
    phase,
    at,
    login,
    poNumber: orderLine && po !== undefined ? { value: po, path: orderLine.pathOf('order-header-number') } : undefined,
    supplierNumber: supplierReader && supplier !== undefined ? { value: supplier, path: supplierReader.pathOf('number') } : undefined,
    hint: chart,
    lineNumber,
    lineNumberPath: orderLine ? orderLine.pathOf('line-num') : joinPath(path, 'order-line'),
    unit: unit?.toUpperCase(),
    magnitude,
  };
}

function chartOf(reader: FieldReader | null | undefined): LegalEntityCandidate | undefined {
  const account = reader?.raw('account') === undefined ? undefined : reader?.optionalObject('account');
  const accountType = account?.has('account-type') ? account.object('account-type') : undefined;
  const name = accountType?.string('name');
  return accountType && name !== undefined ? { path: accountType.pathOf('name'), kind: 'chart-of-accounts', value: name } : undefined;
}

/** Quantity with the effect's sign; undefined while a figure is missing. */
function signed(t: ReadTransaction, reverse = false): string | undefined {
  if (!t.effect || t.magnitude === undefined) return undefined;
  const sign = reverse ? -t.effect.sign : t.effect.sign;
  return sign < 0 ? negateDecimal(t.magnitude, QUANTITY_SCALE) : t.magnitude;
}

interface ReceiptParts {
  readonly key: string;
  readonly transactions: readonly ReadTransaction[];
  readonly lines: readonly GoodsReceiptLine[];
}

/** Checks that the transactions name one PO and supplier and builds the receipt payload. */
function buildReceipt(parts: ReceiptParts, ctx: MappingContext, problems: ProblemCollector, subject: string): Mapped<'GoodsReceiptRecorded'> {
  const { transactions } = parts;
  let poNumber: { value: string; path: string } | undefined;
  let supplierNumber: { value: string; path: string } | undefined;
  let receivedAt: Date | undefined;
  for (const t of transactions) {
    if (t.poNumber) {
      if (poNumber && poNumber.value !== t.poNumber.value) problems.add(t.poNumber.path, `is ${t.poNumber.value} but ${poNumber.path} is ${poNumber.value}; one receipt covers one order`);
      poNumber ??= t.poNumber;
    }
    if (t.supplierNumber) {
      if (supplierNumber && supplierNumber.value !== t.supplierNumber.value) problems.add(t.supplierNumber.path, `is ${t.supplierNumber.value} but ${supplierNumber.path} is ${supplierNumber.value}`);
      supplierNumber ??= t.supplierNumber;
    }
    if (t.at && (!receivedAt || t.at > receivedAt)) receivedAt = t.at;
  }
  const purchaseOrderId = poNumber && ctx.ids({ kind: 'purchase-order', key: poNumber.value, source: 'PROCUREMENT' });
  if (poNumber && !purchaseOrderId) problems.add(poNumber.path, `no finmesh purchase-order is known for ${JSON.stringify(poNumber.value)}`);
  const supplierId = supplierNumber && ctx.ids({ kind: 'supplier', key: supplierNumber.value, source: 'PROCUREMENT' });
  if (supplierNumber && !supplierId) problems.add(supplierNumber.path, `no finmesh supplier is known for ${JSON.stringify(supplierNumber.value)}`);
  const receiptId = ctx.ids({ kind: 'goods-receipt', key: parts.key, source: 'PROCUREMENT' });
  if (!problems.hasProblems && !receiptId) problems.add('', `no finmesh goods-receipt id for ${parts.key}`);
  const hints = transactions.flatMap((t) => (t.hint ? [t.hint] : []));
  const legalEntity = resolveLegalEntity(ctx, problems, hints);
  problems.throwIfAny(subject);
  return {
    payload: {
      purchaseOrderId: purchaseOrderId ?? '',
      receiptId: receiptId ?? '',
      receiptNumber: parts.key,
      supplierId: supplierId ?? '',
      receivedAt: receivedAt as Date,
      receivedBy: transactions.find((t) => t.login)?.login ?? null,
      lines: [...parts.lines],
    },
    legalEntity: legalEntity as NonNullable<typeof legalEntity>,
    occurredAt: receivedAt as Date,
  };
}

/** GoodsReceiptRecorded payload for the receiving transactions of one receipt (one PO), pushed as a batch. */
export function mapCoupaReceipt(transactions: unknown, ctx: MappingContext, options: CoupaReceivingOptions = {}): Mapped<'GoodsReceiptRecorded'> {
  const problems = ProblemCollector.forPayload(COUPA_RECEIPT_SCHEMA, transactions);
  const subject = 'Coupa receiving transactions';
  if (!Array.isArray(transactions) || transactions.length === 0) {
    problems.add('', `must be a non-empty array of receiving transactions, got ${Array.isArray(transactions) ? 'an empty array' : describeValue(transactions)}`);
    throw new MappingError(subject, problems.problems);
  }
  const read = transactions.map((item, i) => readTransaction(item, joinPath('', i), problems, options)).filter((t): t is ReadTransaction => t !== undefined);

  const byLine = new Map<number, { quantity: string; unit: string | undefined; unitPath: string }>();
  for (const [i, t] of read.entries()) {
    if (t.phase === 'VOIDED' && (options.voidProcess ?? 'void-transactions') === 'status') {
      problems.add(joinPath(joinPath('', i), 'status'), 'is voided, and with voidProcess "status" a void is its own receipt: map the transaction with mapCoupaReceivingTransaction');
      continue;
    }
    if (t.phase === 'PENDING' || t.effect?.sign === 0 || t.lineNumber === undefined) continue;
    const q = signed(t);
    if (q === undefined) continue;
    const line = byLine.get(t.lineNumber);
    if (!line) {
      byLine.set(t.lineNumber, { quantity: q, unit: t.unit, unitPath: t.lineNumberPath });
      continue;
    }
    if (line.unit !== t.unit) problems.add(t.lineNumberPath, `line ${t.lineNumber} is received in ${t.unit ?? '(no unit)'} here but in ${line.unit ?? '(no unit)'} at ${line.unitPath}`);
    line.quantity = decimal(line.quantity).add(decimal(q)).toFixed(QUANTITY_SCALE);
  }
  const lines: GoodsReceiptLine[] = [...byLine.entries()]
    .filter(([, l]) => !decimal(l.quantity).isZero())
    .map(([poLineNumber, l]) => ({ poLineNumber, quantityReceived: l.quantity, unitOfMeasure: l.unit ?? '' }));
  if (!problems.hasProblems && lines.length === 0) {
    problems.add('', 'changes no received quantity (disposals, pending receipts, or receipts netted out by their voids); nothing to record');
  }
  const key = read.map((t) => t.id ?? '').sort().join('+');
  return buildReceipt({ key, transactions: read, lines }, ctx, problems, `${subject} ${key}`);
}

/**
 * The receipts one polled receiving transaction stands for: [] without effect, [its receipt], or
 * with voidProcess 'status' and status voided [its receipt, its reversal] (see the header).
 */
export function mapCoupaReceivingTransaction(transaction: unknown, ctx: MappingContext, options: CoupaReceivingOptions = {}): Mapped<'GoodsReceiptRecorded'>[] {
  const problems = ProblemCollector.forPayload(COUPA_RECEIVING_TRANSACTION_SCHEMA, transaction);
  const t = readTransaction(transaction, '', problems, options);
  const subject = `Coupa receiving transaction ${t?.id ?? '(without id)'}`;
  problems.throwIfAny(subject);
  const tx = t as ReadTransaction;
  if (tx.phase === 'PENDING' || tx.effect?.sign === 0) return [];
  const line = (quantity: string | undefined): GoodsReceiptLine => ({ poLineNumber: tx.lineNumber ?? 0, quantityReceived: quantity ?? '', unitOfMeasure: tx.unit ?? '' });
  const receipts = [buildReceipt({ key: tx.id ?? '', transactions: [tx], lines: [line(signed(tx))] }, ctx, problems, subject)];
  if (tx.phase === 'VOIDED' && (options.voidProcess ?? 'void-transactions') === 'status') {
    receipts.push(buildReceipt({ key: `${tx.id ?? ''}:voided`, transactions: [tx], lines: [line(signed(tx, true))] }, ctx, problems, subject));
  }
  return receipts;
}
