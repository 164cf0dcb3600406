import { errorDetail, FusionHttpError, ValidationProblems } from '../fusion-errors';
import { isJsonObject, type JsonObject } from '../http-io';
import { parseTimestamp, timestamp } from './clock';
import { firstKey, sequence } from './ids';

/**
 * Suppliers (`suppliers`, key SupplierId) with their `sites` (key SupplierSiteId) and `addresses`
 * children, loaded through the admin API in Fusion's own attribute names. Attributes the admin
 * call sends are kept as sent (the simulator does not know every supplier attribute); SupplierId,
 * SupplierSiteId, SupplierAddressId, CreationDate and LastUpdateDate are the simulator's.
 * A change to a site also sets the supplier's LastUpdateDate (a simulator choice: whether Fusion
 * does is not documented; pollers that rely on it should say so).
 */
export type SupplierRow = JsonObject & { readonly SupplierId: number; readonly SupplierNumber: string; LastUpdateDate: string };
export type SiteRow = JsonObject & { readonly SupplierSiteId: number; readonly SupplierSite: string; LastUpdateDate: string };
export type AddressRow = JsonObject & { readonly SupplierAddressId: number; readonly AddressName: string; LastUpdateDate: string };

interface SupplierRecord {
  header: SupplierRow;
  sites: SiteRow[];
  addresses: AddressRow[];
}

const nextSupplierKey = sequence('suppliers', firstKey(0));
type Child = 'sites' | 'addresses';

export class SupplierStore {
  private readonly suppliers: SupplierRecord[] = [];

  /** Creates or updates (by SupplierNumber) a supplier; sites and addresses are merged by name. */
  upsert(body: JsonObject): { supplier: SupplierRecord; created: boolean } {
    const problems = new ValidationProblems();
    const number = body['SupplierNumber'];
    if (typeof number !== 'string' || number.trim() === '') problems.add('SupplierNumber', 'SupplierNumber is required (the upsert key).', 'FND_REST_REQUIRED_ATTR');
    const override = body['LastUpdateDate'] === undefined ? undefined : parseTimestamp(body['LastUpdateDate']);
    if (body['LastUpdateDate'] !== undefined && override === undefined) problems.add('LastUpdateDate', 'LastUpdateDate must be an ISO 8601 timestamp with offset.');
    const existing = typeof number === 'string' ? this.suppliers.find((s) => s.header.SupplierNumber === number) : undefined;
    if (!existing && (typeof body['Supplier'] !== 'string' || body['Supplier'].trim() === '')) problems.add('Supplier', 'Supplier (the name) is required for a new supplier.', 'FND_REST_REQUIRED_ATTR');
    const children = { sites: this.childList(body, 'sites', 'SupplierSite', problems), addresses: this.childList(body, 'addresses', 'AddressName', problems) };
    problems.throwIfAny();

    const stamp = override ?? timestamp();
    const { sites: _s, addresses: _a, LastUpdateDate: _l, SupplierId: _i, CreationDate: _c, ...attributes } = body;
    const record: SupplierRecord = existing ?? {
      header: { ...attributes, SupplierId: nextSupplierKey(), SupplierNumber: number as string, CreationDate: stamp, LastUpdateDate: stamp } as SupplierRow,
      sites: [],
      addresses: [],
    };
    if (existing) record.header = { ...record.header, ...attributes, SupplierId: record.header.SupplierId, LastUpdateDate: stamp } as SupplierRow;
    this.mergeChildren(record, 'sites', 'SupplierSite', 'SupplierSiteId', children.sites, stamp);
    this.mergeChildren(record, 'addresses', 'AddressName', 'SupplierAddressId', children.addresses, stamp);
    if (!existing) this.suppliers.push(record);
    return { supplier: record, created: !existing };
  }

  get(supplierId: number): SupplierRecord {
    const s = this.suppliers.find((x) => x.header.SupplierId === supplierId);
    if (!s) throw new FusionHttpError(404, [errorDetail(`No supplier with SupplierId ${supplierId}.`, 'SUPPLIER_NOT_FOUND')]);
    return s;
  }

  all(): readonly SupplierRecord[] {
    return [...this.suppliers];
  }

  clear(): void {
    this.suppliers.length = 0;
  }

  private childList(body: JsonObject, child: Child, nameKey: string, problems: ValidationProblems): JsonObject[] {
    const raw = body[child];
    if (raw === undefined || raw === null) return [];
    if (!Array.isArray(raw)) {
      problems.add(child, `${child} must be an array.`);
      return [];
    }
    return raw.filter((r, i) => {
      const ok = isJsonObject(r) && typeof r[nameKey] === 'string' && (r[nameKey] as string).trim() !== '';
      if (!ok) problems.add(`${child}[${i}].${nameKey}`, `${nameKey} is required on every ${child} entry.`, 'FND_REST_REQUIRED_ATTR');
      const ts = isJsonObject(r) && r['LastUpdateDate'] !== undefined ? parseTimestamp(r['LastUpdateDate']) : 'none';
      if (ts === undefined) problems.add(`${child}[${i}].LastUpdateDate`, 'LastUpdateDate must be an ISO 8601 timestamp with offset.');
      return ok;
    }) as JsonObject[];
  }

  private mergeChildren(record: SupplierRecord, child: 'sites' | 'addresses', nameKey: string, idKey: string, updates: readonly JsonObject[], stamp: string): void {
    const rows = record[child] as JsonObject[];
    for (const update of updates) {
      const rowStamp = (update['LastUpdateDate'] === undefined ? undefined : parseTimestamp(update['LastUpdateDate'])) ?? stamp;
      const { LastUpdateDate: _l, [idKey]: _id, ...attributes } = update;
      const index = rows.findIndex((r) => r[nameKey] === update[nameKey]);
      if (index >= 0) rows[index] = { ...rows[index], ...attributes, LastUpdateDate: rowStamp };
      else rows.push({ ...attributes, [idKey]: nextSupplierKey(), CreationDate: rowStamp, LastUpdateDate: rowStamp });
    }
  }
}

/** The supplier item, with the children asked for by expand. */
export function toSupplierResource(record: { header: SupplierRow; sites: SiteRow[]; addresses: AddressRow[] }, expand: { has(child: string): boolean }): JsonObject {
  return {
    ...record.header,
    ...(expand.has('sites') ? { sites: record.sites } : {}),
    ...(expand.has('addresses') ? { addresses: record.addresses } : {}),
  };
}
