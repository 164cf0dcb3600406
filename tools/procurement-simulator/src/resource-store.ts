/**
 * In-memory records of one Coupa resource (purchase orders, receiving transactions, invoices),
 * kept as the JSON the API answers with: Coupa's hyphenated names, `id`, `created-at`,
 * `updated-at`, `exported` and `last-exported-at` ("Indicates if transaction has been exported",
 * "Date and time transaction was last exported", in each resource's elements on compass.coupa.com).
 *
 * The exported flag (compass.coupa.com, "Special Actions and API Notes"): "Marking an object as
 * exported requires its own request. Any other changes included may be ignored during the
 * update" (`PUT /api/<resource>/<id>?exported=true`). Marking does not move `updated-at` here
 * (a simulator choice: otherwise a poller's own marks would look like changes to an
 * `updated-at[gt]` query).
 */
import type { Clock } from './clock';
import { coupaError } from './coupa-errors';
import type { JsonObject } from './http-io';

const copy = <T>(v: T): T => structuredClone(v);

export class ResourceStore {
  private readonly records = new Map<number, JsonObject>();
  private nextId: number;

  constructor(
    /** API name, e.g. purchase_orders. */
    readonly name: string,
    private readonly firstId: number,
  ) {
    this.nextId = firstId;
  }

  /** A new id (or the given one, if free). */
  allocateId(wanted?: unknown): number {
    if (wanted !== undefined && wanted !== null) {
      if (typeof wanted !== 'number' || !Number.isSafeInteger(wanted) || wanted < 1) throw coupaError(400, 'id must be a positive integer.', 'id');
      if (this.records.has(wanted)) throw coupaError(409, `${this.name} ${wanted} already exists.`, 'id');
      this.nextId = Math.max(this.nextId, wanted + 1);
      return wanted;
    }
    while (this.records.has(this.nextId)) this.nextId += 1;
    return this.nextId++;
  }

  save(record: JsonObject): JsonObject {
    this.records.set(record['id'] as number, copy(record));
    return copy(record);
  }

  get(id: number): JsonObject | undefined {
    const r = this.records.get(id);
    return r && copy(r);
  }

  /** The record or a Coupa 404. */
  require(id: number): JsonObject {
    const r = this.get(id);
    if (!r) throw coupaError(404, `No ${this.name.replace(/_/g, ' ').replace(/s$/, '')} with id ${id}.`);
    return r;
  }

  all(): JsonObject[] {
    return [...this.records.values()].map(copy);
  }

  /** Sets the exported flag (and last-exported-at when set); nothing else changes. */
  markExported(id: number, exported: boolean, clock: Clock): JsonObject {
    const r = this.require(id);
    r['exported'] = exported;
    if (exported) r['last-exported-at'] = clock.stamp();
    return this.save(r);
  }

  clear(): void {
    this.records.clear();
    this.nextId = this.firstId;
  }
}
