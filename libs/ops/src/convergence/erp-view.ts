import { readFusionCollection, type FusionItem, type PlatformHttpClient } from '@finmesh/connectors';
import { decimal, type Decimal } from '@finmesh/contracts';
import { convergenceOf, type ComparedSet, type FieldValues, type PlatformConvergence } from './differences';

/** finmesh's view of what the ERP should hold, keyed by the business keys both sides share. */
export interface ExpectedErpView {
  /** PO number -> { status } (Fusion purchaseOrders `Status`). */
  readonly purchaseOrders?: ReadonlyMap<string, FieldValues>;
  /**
   * Received quantity per PO line, keyed `<PO number>#<PO line number>` -> { received } (a
   * decimal string; both sides are compared at 4 fraction digits).
   */
  readonly receipts?: ReadonlyMap<string, FieldValues>;
  /** ERP invoice number -> { amount (any scale; compared at 2 decimals), validationStatus }. */
  readonly invoices?: ReadonlyMap<string, FieldValues>;
  /** ERP payment id (CheckId) -> { status, amount (any scale; compared at 2 decimals) }. */
  readonly payments?: ReadonlyMap<string, FieldValues>;
}

/**
 * The ERP's side, read through its REST API (purchaseOrders, invoices, payablesPayments; every
 * row, paged) and compared with finmesh's. Amounts are compared at 2 decimals, as Fusion holds
 * them; statuses as Fusion names them.
 */
export async function erpConvergence(client: PlatformHttpClient, expected: ExpectedErpView): Promise<PlatformConvergence> {
  const sets: ComparedSet[] = [];
  if (expected.purchaseOrders) {
    const rows = await readFusionCollection(client, { resource: '/purchaseOrders', keyAttribute: 'POHeaderId' });
    sets.push({ platform: 'erp', entity: 'purchase-order', expected: expected.purchaseOrders, actual: byKey(rows, 'OrderNumber', (r) => ({ status: text(r['Status']) })) });
  }
  if (expected.receipts) {
    const rows = await readFusionCollection(client, { resource: '/receivingReceiptRequests', keyAttribute: 'HeaderInterfaceId', expand: 'lines' });
    sets.push({ platform: 'erp', entity: 'receipt', expected: normalisedQuantities(expected.receipts), actual: receivedPerPoLine(rows) });
  }
  if (expected.invoices) {
    const rows = await readFusionCollection(client, { resource: '/invoices', keyAttribute: 'InvoiceId' });
    sets.push({
      platform: 'erp',
      entity: 'invoice',
      expected: withAmounts(expected.invoices),
      actual: byKey(rows, 'InvoiceNumber', (r) => ({ amount: amount(r['InvoiceAmount']), validationStatus: text(r['ValidationStatus']) })),
    });
  }
  if (expected.payments) {
    const rows = await readFusionCollection(client, { resource: '/payablesPayments', keyAttribute: 'CheckId' });
    sets.push({ platform: 'erp', entity: 'payment', expected: withAmounts(expected.payments), actual: byKey(rows, 'CheckId', (r) => ({ status: text(r['PaymentStatus']), amount: amount(r['PaymentAmount']) })) });
  }
  return convergenceOf(sets);
}

/**
 * Fusion Receiving's receipt requests summed per PO schedule: lines with SourceDocumentCode 'PO'
 * (DocumentNumber, DocumentLineNumber, Quantity); RECEIVE adds, a RETURN / CORRECT line takes
 * its own signed quantity as sent.
 */
function receivedPerPoLine(rows: readonly FusionItem[]): Map<string, FieldValues> {
  const totals = new Map<string, Decimal>();
  for (const row of rows) {
    const lines = Array.isArray(row['lines']) ? (row['lines'] as FusionItem[]) : [];
    for (const line of lines) {
      if (line['SourceDocumentCode'] !== 'PO' || line['DocumentNumber'] === undefined || line['DocumentLineNumber'] === undefined) continue;
      const key = `${String(line['DocumentNumber'])}#${String(line['DocumentLineNumber'])}`;
      const quantity = decimal(String(line['Quantity'] ?? '0'));
      const sign = String(line['TransactionType'] ?? 'RECEIVE').startsWith('RETURN') ? -1 : 1;
      const before = totals.get(key) ?? decimal('0');
      totals.set(key, sign < 0 ? before.sub(quantity) : before.add(quantity));
    }
  }
  return new Map([...totals].map(([key, total]) => [key, { received: total.toFixed(4) }]));
}

/** finmesh's amounts (4 decimals) at the ERP's 2, as the actual side is read. */
function withAmounts(expected: ReadonlyMap<string, FieldValues>): Map<string, FieldValues> {
  return new Map([...expected].map(([key, fields]) => [key, { ...fields, ...(fields['amount'] === undefined ? {} : { amount: amount(fields['amount']) }) }]));
}

function normalisedQuantities(expected: ReadonlyMap<string, FieldValues>): Map<string, FieldValues> {
  return new Map([...expected].map(([key, fields]) => [key, { ...fields, ...(fields['received'] === undefined ? {} : { received: quantityText(fields['received']) }) }]));
}

/** A quantity at finmesh's quantity scale (4 digits): '40' and '40.0000' are the same quantity. */
function quantityText(value: string | null): string | null {
  if (value === null) return null;
  try {
    return decimal(value).toFixed(4);
  } catch {
    return value;
  }
}

/** Only the fields finmesh compares, so an extra platform field never reads as a difference. */
function byKey(rows: readonly FusionItem[], keyAttribute: string, fields: (row: FusionItem) => FieldValues): Map<string, FieldValues> {
  return new Map(rows.filter((r) => r[keyAttribute] !== undefined && r[keyAttribute] !== null).map((r) => [String(r[keyAttribute]), fields(r)]));
}

function text(value: unknown): string | null {
  return value === undefined || value === null ? null : String(value);
}

/** Fusion sends amounts as numbers or strings; both compared as a 2-decimal string. */
function amount(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  try {
    return decimal(String(value)).toFixed(2);
  } catch {
    return String(value);
  }
}
