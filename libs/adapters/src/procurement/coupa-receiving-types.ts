/**
 * What each Coupa receiving transaction type and status does to the quantity received on its PO
 * line.
 *
 * Sources (compass.coupa.com, The Coupa Core API > Resources > Transactional Resources):
 *  - "Receiving Transactions API (/receiving_transactions)": the `type` payload includes exactly
 *    InventoryReceipt, ReceivingQuantityConsumption, ReceivingAmountConsumption,
 *    ReceivingQuantityDisposal, ReceivingAmountDisposal, ReceivingQuantityReturnToSupplier,
 *    ReceivingAmountReturnToSupplier and each of them with a `Void` prefix (confirmed: 14 types);
 *    elements `quantity` (decimal(30,6)), `price`, `total` ("Receipt Total", decimal(30,6)),
 *    `status` ("Inventory Transaction Status", string(255), values not enumerated there),
 *    `original_transaction_id` ("ID of the original transaction, when the transaction is partially
 *    voided") and `voided_value` ("Total quantity/amount that was voided").
 *  - "Receipts API Example Calls": a receipt in status `created`.
 *  - Integration knowledge article "Partial Receipt Voids Using Outbound Integration"
 *    (compass.coupa.com/en-us/products/core-platform/integration-playbooks-and-resources/
 *    integration-knowledge-articles/partial-receipt-voids-using-outbound-integration): without
 *    partial voids, voiding changes the receipt's status from created to voided (no new record);
 *    with partial voids (a company setting), the original becomes "partially voided"/"voided" and a
 *    NEW transaction is created with status created and the Void type.
 *
 * Effect on the received quantity (finmesh's GoodsReceiptLine.quantityReceived sign):
 *  - InventoryReceipt, Receiving*Consumption: +1 (goods or services received).
 *  - Receiving*ReturnToSupplier: -1 (goods went back to the supplier; the contract says "negative
 *    for a return to supplier").
 *  - Receiving*Disposal: DECISION, the docs do not say. Default 0: a disposal is what the buyer
 *    does with goods it already holds (scrapped, written off) and sends nothing back, so what the
 *    supplier delivered, and may invoice, is unchanged. `disposal: 'reduces-received'` counts it
 *    like a return (-1) for instances that treat disposed goods as not accepted.
 *  - Void<Type>: the opposite of <Type> (a void reverses its base type: VoidInventoryReceipt -1,
 *    VoidReceivingQuantityReturnToSupplier +1, a void of a disposal 0 by default).
 *  - Quantity types carry `quantity`; amount types (Receiving*Amount*) carry the received amount
 *    in `total` (`price` when `total` is absent) and no meaningful quantity.
 *  Unconfirmed: whether a Void record's quantity is written positive or negative. The sign comes
 *  from the type, so its absolute value is used.
 *
 * Status (not enumerated by Coupa; decided here):
 *  - `created` (the documented one) or absent: the transaction counts.
 *  - `voided` / `partially_voided` ("partially voided" is accepted too): see `voidProcess`. With
 *    'void-transactions' (default, partial voids enabled) the record still counts as what it was,
 *    because its Void record carries the reversal; with 'status' (partial voids off) the status is
 *    the only trace of the void, so the record also yields a reversal of its full quantity.
 *  - `pending_receipt`, `pending_approval`, `draft`: not received yet (a receipt awaiting approval),
 *    no effect until it becomes `created`.
 *  - anything else: a mapping problem naming the value (a status finmesh does not know is not
 *    guessed at).
 */
export const COUPA_RECEIVING_BASE_TYPES = [
  'InventoryReceipt',
  'ReceivingQuantityConsumption',
  'ReceivingAmountConsumption',
  'ReceivingQuantityDisposal',
  'ReceivingAmountDisposal',
  'ReceivingQuantityReturnToSupplier',
  'ReceivingAmountReturnToSupplier',
] as const;

export type CoupaReceivingBaseType = (typeof COUPA_RECEIVING_BASE_TYPES)[number];
export type CoupaReceivingType = CoupaReceivingBaseType | `Void${CoupaReceivingBaseType}`;

export const COUPA_RECEIVING_TYPES: readonly CoupaReceivingType[] = [
  ...COUPA_RECEIVING_BASE_TYPES,
  ...COUPA_RECEIVING_BASE_TYPES.map((t) => `Void${t}` as const),
];

export type CoupaReceivingAction = 'RECEIVE' | 'RETURN_TO_SUPPLIER' | 'DISPOSE';
export type CoupaReceivingMeasure = 'QUANTITY' | 'AMOUNT';
export type Sign = -1 | 0 | 1;

export interface CoupaReceivingOptions {
  /** How disposals count; default 'no-effect' (see the header). */
  readonly disposal?: 'no-effect' | 'reduces-received';
  /** How the instance records voids; default 'void-transactions' (see the header). */
  readonly voidProcess?: 'void-transactions' | 'status';
}

export interface CoupaReceivingEffect {
  readonly type: CoupaReceivingType;
  readonly base: CoupaReceivingBaseType;
  readonly isVoid: boolean;
  readonly action: CoupaReceivingAction;
  readonly measure: CoupaReceivingMeasure;
  /** Sign applied to the transaction's absolute quantity (or amount) for the received quantity. */
  readonly sign: Sign;
}

const BASE: Readonly<Record<CoupaReceivingBaseType, { action: CoupaReceivingAction; measure: CoupaReceivingMeasure }>> = {
  InventoryReceipt: { action: 'RECEIVE', measure: 'QUANTITY' },
  ReceivingQuantityConsumption: { action: 'RECEIVE', measure: 'QUANTITY' },
  ReceivingAmountConsumption: { action: 'RECEIVE', measure: 'AMOUNT' },
  ReceivingQuantityDisposal: { action: 'DISPOSE', measure: 'QUANTITY' },
  ReceivingAmountDisposal: { action: 'DISPOSE', measure: 'AMOUNT' },
  ReceivingQuantityReturnToSupplier: { action: 'RETURN_TO_SUPPLIER', measure: 'QUANTITY' },
  ReceivingAmountReturnToSupplier: { action: 'RETURN_TO_SUPPLIER', measure: 'AMOUNT' },
};

export function isCoupaReceivingType(type: string): type is CoupaReceivingType {
  return (COUPA_RECEIVING_TYPES as readonly string[]).includes(type);
}

/** The documented effect of a receiving transaction type (undefined for a type Coupa does not document). */
export function coupaReceivingEffect(type: string, options: CoupaReceivingOptions = {}): CoupaReceivingEffect | undefined {
  if (!isCoupaReceivingType(type)) return undefined;
  const isVoid = type.startsWith('Void');
  const base = (isVoid ? type.slice('Void'.length) : type) as CoupaReceivingBaseType;
  const { action, measure } = BASE[base];
  const baseSign: Sign = action === 'RECEIVE' ? 1 : action === 'RETURN_TO_SUPPLIER' ? -1 : options.disposal === 'reduces-received' ? -1 : 0;
  const sign = (isVoid ? -baseSign : baseSign) as Sign;
  return { type, base, isVoid, action, measure, sign: sign === 0 ? 0 : sign };
}

/** What a transaction's status means for its effect. */
export type CoupaReceivingStatusPhase = 'EFFECTIVE' | 'VOIDED' | 'PENDING';

const EFFECTIVE_STATUSES = ['created'];
const VOIDED_STATUSES = ['voided', 'partially_voided'];
const PENDING_STATUSES = ['pending_receipt', 'pending_approval', 'draft'];

export const KNOWN_COUPA_RECEIVING_STATUSES: readonly string[] = [...EFFECTIVE_STATUSES, ...VOIDED_STATUSES, ...PENDING_STATUSES];

/** Phase of a receiving transaction status; absent counts as created; undefined for an unknown status. */
export function coupaReceivingStatusPhase(status: string | null | undefined): CoupaReceivingStatusPhase | undefined {
  if (status === null || status === undefined) return 'EFFECTIVE';
  const s = status.trim().toLowerCase().replace(/\s+/g, '_');
  if (s === '' || EFFECTIVE_STATUSES.includes(s)) return 'EFFECTIVE';
  if (VOIDED_STATUSES.includes(s)) return 'VOIDED';
  if (PENDING_STATUSES.includes(s)) return 'PENDING';
  return undefined;
}
