import { readCoupaCollection, type CoupaRecord, type PlatformHttpClient } from '@finmesh/connectors';
import { convergenceOf, type ComparedSet, type FieldValues, type PlatformConvergence } from './differences';

/** finmesh's view of a supplier in a Coupa-shaped platform: supplier number -> { status, onHold, name }. */
export type ExpectedSuppliers = ReadonlyMap<string, FieldValues>;

/**
 * The procurement platform's side: its suppliers (Coupa `/api/suppliers`: `number`, `status`,
 * `on-hold`, `name`) compared with finmesh's supplier master and holds.
 */
export async function procurementConvergence(client: PlatformHttpClient, expected: { readonly suppliers: ExpectedSuppliers }): Promise<PlatformConvergence> {
  return convergenceOf([await supplierSet('procurement', client, expected.suppliers)]);
}

/**
 * The AP platform's side: its suppliers, as above, and its invoices (Coupa `/api/invoices`:
 * `invoice-number` -> `status`, `paid`, and each header custom field under its own name, e.g.
 * `cf_erp_invoice_number`) compared with finmesh's invoice lifecycle. Only the fields the
 * expectation names are compared.
 */
export async function apConvergence(
  client: PlatformHttpClient,
  expected: { readonly suppliers?: ExpectedSuppliers; readonly invoices?: ReadonlyMap<string, FieldValues> },
): Promise<PlatformConvergence> {
  const sets: ComparedSet[] = [];
  if (expected.suppliers) sets.push(await supplierSet('ap', client, expected.suppliers));
  if (expected.invoices) {
    const rows = await readCoupaCollection(client, 'invoices');
    sets.push({
      platform: 'ap',
      entity: 'invoice',
      expected: expected.invoices,
      actual: byKey(rows, 'invoice-number', (r) => ({ ...customFields(r), status: text(r['status']), paid: text(r['paid']) })),
    });
  }
  return convergenceOf(sets);
}

async function supplierSet(platform: string, client: PlatformHttpClient, expected: ExpectedSuppliers): Promise<ComparedSet> {
  const rows = await readCoupaCollection(client, 'suppliers');
  return { platform, entity: 'supplier', expected, actual: byKey(rows, 'number', (r) => ({ status: text(r['status']), onHold: text(r['on-hold']), name: text(r['name']) })) };
}

function byKey(rows: readonly CoupaRecord[], keyField: string, fields: (row: CoupaRecord) => FieldValues): Map<string, FieldValues> {
  return new Map(rows.filter((r) => r[keyField] !== undefined && r[keyField] !== null).map((r) => [String(r[keyField]), fields(r)]));
}

function customFields(row: CoupaRecord): FieldValues {
  const fields = row['custom-fields'];
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return {};
  return Object.fromEntries(Object.entries(fields as Record<string, unknown>).map(([name, value]) => [name, text(value)]));
}

function text(value: unknown): string | null {
  return value === undefined || value === null ? null : String(value);
}
