import { readFusionCollection, type FusionItem, type PlatformHttpClient } from '@finmesh/connectors';
import { decimal } from '@finmesh/contracts';
import { convergenceOf, type ComparedSet, type FieldValues, type PlatformConvergence } from './differences';

/** finmesh's view of what the ERP should hold, keyed by the business keys both sides share. */
export interface ExpectedErpView {
  /** PO number -> { status } (Fusion purchaseOrders `Status`). */
  readonly purchaseOrders?: ReadonlyMap<string, FieldValues>;
  /** ERP invoice number -> { amount (2 decimals), validationStatus }. */
  readonly invoices?: ReadonlyMap<string, FieldValues>;
  /** ERP payment id (CheckId) -> { status, amount (2 decimals) }. */
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
  if (expected.invoices) {
    const rows = await readFusionCollection(client, { resource: '/invoices', keyAttribute: 'InvoiceId' });
    sets.push({
      platform: 'erp',
      entity: 'invoice',
      expected: expected.invoices,
      actual: byKey(rows, 'InvoiceNumber', (r) => ({ amount: amount(r['InvoiceAmount']), validationStatus: text(r['ValidationStatus']) })),
    });
  }
  if (expected.payments) {
    const rows = await readFusionCollection(client, { resource: '/payablesPayments', keyAttribute: 'CheckId' });
    sets.push({ platform: 'erp', entity: 'payment', expected: expected.payments, actual: byKey(rows, 'CheckId', (r) => ({ status: text(r['PaymentStatus']), amount: amount(r['PaymentAmount']) })) });
  }
  return convergenceOf(sets);
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
