import { Decimal } from '@finmesh/contracts';
import { fusionAmountText, readFusionAmount } from '../fusion-amounts';
import { errorDetail, FusionHttpError, ValidationProblems } from '../fusion-errors';
import { isJsonObject, type JsonObject } from '../http-io';
import { timestamp } from './clock';
import { firstKey, sequence } from './ids';

/**
 * Purchase orders as Fusion Procurement keeps them: created through `draftPurchaseOrders`
 * (Status 'Incomplete'), submitted with `POST …/draftPurchaseOrders/{id}/action/submit` (the
 * simulator approves at once: Status 'Open'), then read through `purchaseOrders`. Lines have
 * schedules (the simulator creates schedule 1 with the line quantity when none is sent) and
 * schedules have distributions. Receipts add to a schedule's QuantityReceived.
 */
export type PurchaseOrderStatus = 'Incomplete' | 'Open';

export interface PoDistribution {
  readonly PODistributionId: number;
  readonly DistributionNumber: number;
  readonly Quantity: string;
  readonly POChargeAccount: string | null;
}

export interface PoSchedule {
  readonly LineLocationId: number;
  readonly ScheduleNumber: number;
  readonly Quantity: string;
  QuantityReceived: string;
  readonly NeedByDate: string | null;
  readonly distributions: readonly PoDistribution[];
}

export interface PoLine {
  readonly POLineId: number;
  readonly LineNumber: number;
  readonly LineType: string;
  readonly ItemDescription: string | null;
  readonly Quantity: string;
  readonly UOM: string | null;
  readonly Price: string;
  readonly schedules: readonly PoSchedule[];
}

export interface PurchaseOrder {
  readonly POHeaderId: number;
  readonly OrderNumber: string;
  readonly ProcurementBU: string;
  readonly RequisitioningBU: string | null;
  readonly Supplier: string | null;
  readonly SupplierNumber: string | null;
  readonly SupplierSite: string | null;
  readonly Buyer: string | null;
  readonly CurrencyCode: string;
  readonly Description: string | null;
  Status: PurchaseOrderStatus;
  readonly CreationDate: string;
  LastUpdateDate: string;
  readonly lines: readonly PoLine[];
}

const nextPoId = sequence('purchaseOrders', firstKey(3));
const nextOrderNumber = sequence('orderNumbers', 1_000_001 + (Math.floor(Date.now() / 1000) % 1_000_000));

function positiveInt(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}

function text(o: JsonObject, name: string, problems: ValidationProblems, path: string, required = false): string | undefined {
  const v = o[name];
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
    if (required) problems.add(path, `The attribute ${name} is required.`, 'FND_REST_REQUIRED_ATTR');
    return undefined;
  }
  if (typeof v !== 'string') {
    problems.add(path, `The attribute ${name} must be a string.`);
    return undefined;
  }
  return v;
}

function quantity(o: JsonObject, name: string, problems: ValidationProblems, path: string, required: boolean): Decimal | undefined {
  const v = o[name];
  if (v === undefined || v === null || v === '') {
    if (required) problems.add(path, `The attribute ${name} is required.`, 'FND_REST_REQUIRED_ATTR');
    return undefined;
  }
  const d = readFusionAmount(v);
  if (!d || !d.isPositive()) {
    problems.add(path, `The attribute ${name} must be a positive decimal, got ${JSON.stringify(v)}.`);
    return undefined;
  }
  return d;
}

/** Everything a draft header POST needs, validated: every problem at once. */
export function validateDraftPurchaseOrder(body: JsonObject): Omit<PurchaseOrder, 'POHeaderId' | 'OrderNumber' | 'Status' | 'CreationDate' | 'LastUpdateDate' | 'lines'> & {
  readonly OrderNumber?: string;
  readonly lines: ReadonlyArray<{ LineNumber: number; LineType: string; ItemDescription: string | null; Quantity: Decimal; UOM: string | null; Price: Decimal; schedules: ReadonlyArray<{ ScheduleNumber: number; Quantity: Decimal; NeedByDate: string | null; distributions: ReadonlyArray<{ DistributionNumber: number; Quantity: Decimal | null; POChargeAccount: string | null }> }> }>;
} {
  const problems = new ValidationProblems();
  const OrderNumber = text(body, 'OrderNumber', problems, 'OrderNumber');
  const ProcurementBU = text(body, 'ProcurementBU', problems, 'ProcurementBU', true);
  const RequisitioningBU = text(body, 'RequisitioningBU', problems, 'RequisitioningBU') ?? null;
  const Supplier = text(body, 'Supplier', problems, 'Supplier') ?? null;
  const SupplierNumber = text(body, 'SupplierNumber', problems, 'SupplierNumber') ?? null;
  if (Supplier === null && SupplierNumber === null) problems.add('Supplier', 'Either Supplier or SupplierNumber is required.', 'FND_REST_REQUIRED_ATTR');
  const SupplierSite = text(body, 'SupplierSite', problems, 'SupplierSite') ?? null;
  const Buyer = text(body, 'Buyer', problems, 'Buyer') ?? null;
  const CurrencyCode = text(body, 'CurrencyCode', problems, 'CurrencyCode', true);
  if (CurrencyCode !== undefined && !/^[A-Z]{3}$/.test(CurrencyCode)) problems.add('CurrencyCode', `CurrencyCode must be an ISO 4217 code, got "${CurrencyCode}".`);
  const Description = text(body, 'Description', problems, 'Description') ?? null;
  const rawLines = body['lines'];
  const lines: Array<ReturnType<typeof validateDraftPurchaseOrder>['lines'][number]> = [];
  if (!Array.isArray(rawLines) || rawLines.length === 0) problems.add('lines', 'A purchase order needs at least one line.', 'FND_REST_REQUIRED_ATTR');
  else {
    const seen = new Set<number>();
    rawLines.forEach((raw: unknown, i) => {
      const path = `lines[${i}]`;
      if (!isJsonObject(raw)) {
        problems.add(path, 'Each line must be an object.');
        return;
      }
      const LineNumber = positiveInt(raw['LineNumber']);
      if (LineNumber === undefined) problems.add(`${path}.LineNumber`, 'LineNumber is required and must be a positive integer.', 'FND_REST_REQUIRED_ATTR');
      else if (seen.has(LineNumber)) problems.add(`${path}.LineNumber`, `Line ${LineNumber} appears twice.`);
      else seen.add(LineNumber);
      const Quantity = quantity(raw, 'Quantity', problems, `${path}.Quantity`, true);
      const Price = quantity(raw, 'Price', problems, `${path}.Price`, true);
      const schedules = schedulesOf(raw['schedules'], `${path}.schedules`, Quantity, problems);
      if (LineNumber !== undefined && Quantity && Price && schedules) {
        lines.push({
          LineNumber,
          LineType: text(raw, 'LineType', problems, `${path}.LineType`) ?? 'Goods',
          ItemDescription: text(raw, 'ItemDescription', problems, `${path}.ItemDescription`) ?? null,
          Quantity,
          UOM: text(raw, 'UOM', problems, `${path}.UOM`) ?? null,
          Price,
          schedules,
        });
      }
    });
  }
  problems.throwIfAny();
  return {
    ...(OrderNumber !== undefined ? { OrderNumber } : {}),
    ProcurementBU: ProcurementBU as string,
    RequisitioningBU,
    Supplier,
    SupplierNumber,
    SupplierSite,
    Buyer,
    CurrencyCode: CurrencyCode as string,
    Description,
    lines,
  };
}

function schedulesOf(value: unknown, path: string, lineQuantity: Decimal | undefined, problems: ValidationProblems) {
  if (value === undefined || value === null) return lineQuantity ? [{ ScheduleNumber: 1, Quantity: lineQuantity, NeedByDate: null, distributions: [] }] : undefined;
  if (!Array.isArray(value) || value.length === 0) {
    problems.add(path, 'schedules must be a non-empty array when sent.');
    return undefined;
  }
  const schedules: Array<{ ScheduleNumber: number; Quantity: Decimal; NeedByDate: string | null; distributions: Array<{ DistributionNumber: number; Quantity: Decimal | null; POChargeAccount: string | null }> }> = [];
  value.forEach((raw: unknown, i) => {
    const p = `${path}[${i}]`;
    if (!isJsonObject(raw)) {
      problems.add(p, 'Each schedule must be an object.');
      return;
    }
    const ScheduleNumber = positiveInt(raw['ScheduleNumber']) ?? i + 1;
    const Quantity = quantity(raw, 'Quantity', problems, `${p}.Quantity`, false) ?? (value.length === 1 ? lineQuantity : undefined);
    if (!Quantity) problems.add(`${p}.Quantity`, 'Quantity is required on a schedule of a line with several schedules.', 'FND_REST_REQUIRED_ATTR');
    const rawDistributions = Array.isArray(raw['distributions']) ? (raw['distributions'] as unknown[]) : [];
    const distributions = rawDistributions.filter(isJsonObject).map((d, j) => ({
      DistributionNumber: positiveInt(d['DistributionNumber']) ?? j + 1,
      Quantity: readFusionAmount(d['Quantity']) ?? null,
      POChargeAccount: typeof d['POChargeAccount'] === 'string' ? d['POChargeAccount'] : null,
    }));
    if (Quantity) schedules.push({ ScheduleNumber, Quantity, NeedByDate: typeof raw['NeedByDate'] === 'string' ? raw['NeedByDate'] : null, distributions });
  });
  return schedules.length === value.length ? schedules : undefined;
}

/** The outcome of looking up a PO schedule for an invoice or receipt line. */
export type ScheduleLookup = { readonly ok: true; readonly order: PurchaseOrder; readonly line: PoLine; readonly schedule: PoSchedule } | { readonly ok: false; readonly why: string };

export class PurchaseOrderStore {
  private readonly orders = new Map<number, PurchaseOrder>();

  createDraft(request: ReturnType<typeof validateDraftPurchaseOrder>): PurchaseOrder {
    const orderNumber = request.OrderNumber ?? String(nextOrderNumber());
    if ([...this.orders.values()].some((o) => o.OrderNumber === orderNumber && o.ProcurementBU === request.ProcurementBU)) {
      throw new FusionHttpError(400, [errorDetail(`The order number ${orderNumber} already exists in ${request.ProcurementBU}.`, 'PO_NUMBER_EXISTS', 'OrderNumber')]);
    }
    const now = timestamp();
    const order: PurchaseOrder = {
      POHeaderId: nextPoId(),
      OrderNumber: orderNumber,
      ProcurementBU: request.ProcurementBU,
      RequisitioningBU: request.RequisitioningBU,
      Supplier: request.Supplier,
      SupplierNumber: request.SupplierNumber,
      SupplierSite: request.SupplierSite,
      Buyer: request.Buyer,
      CurrencyCode: request.CurrencyCode,
      Description: request.Description,
      Status: 'Incomplete',
      CreationDate: now,
      LastUpdateDate: now,
      lines: request.lines.map((l) => ({
        POLineId: nextPoId(),
        LineNumber: l.LineNumber,
        LineType: l.LineType,
        ItemDescription: l.ItemDescription,
        Quantity: fusionAmountText(l.Quantity),
        UOM: l.UOM,
        Price: fusionAmountText(l.Price),
        schedules: l.schedules.map((s) => ({
          LineLocationId: nextPoId(),
          ScheduleNumber: s.ScheduleNumber,
          Quantity: fusionAmountText(s.Quantity),
          QuantityReceived: '0.00',
          NeedByDate: s.NeedByDate,
          distributions: s.distributions.map((d) => ({
            PODistributionId: nextPoId(),
            DistributionNumber: d.DistributionNumber,
            Quantity: fusionAmountText(d.Quantity ?? s.Quantity),
            POChargeAccount: d.POChargeAccount,
          })),
        })),
      })),
    };
    this.orders.set(order.POHeaderId, order);
    return order;
  }

  submit(poHeaderId: number): PurchaseOrder {
    const order = this.get(poHeaderId);
    if (order.Status !== 'Incomplete') throw new FusionHttpError(400, [errorDetail(`The purchase order ${order.OrderNumber} isn't a draft (Status ${order.Status}).`, 'PO_NOT_DRAFT')]);
    order.Status = 'Open';
    order.LastUpdateDate = timestamp();
    return order;
  }

  get(poHeaderId: number): PurchaseOrder {
    const order = this.orders.get(poHeaderId);
    if (!order) throw new FusionHttpError(404, [errorDetail(`No purchase order with POHeaderId ${poHeaderId}.`, 'PO_NOT_FOUND')]);
    return order;
  }

  drafts(): readonly PurchaseOrder[] {
    return [...this.orders.values()].filter((o) => o.Status === 'Incomplete');
  }

  /** Submitted orders (what the purchaseOrders resource shows). */
  open(): readonly PurchaseOrder[] {
    return [...this.orders.values()].filter((o) => o.Status !== 'Incomplete');
  }

  /**
   * The open order's schedule an invoice or receipt line refers to. Without a schedule number the
   * line's only schedule is meant; a line with several needs one.
   */
  findSchedule(orderNumber: string, lineNumber: number | undefined, scheduleNumber: number | undefined): ScheduleLookup {
    const order = this.open().find((o) => o.OrderNumber === orderNumber);
    if (!order) {
      const draft = this.drafts().some((o) => o.OrderNumber === orderNumber);
      return { ok: false, why: `purchase order ${orderNumber} ${draft ? "isn't open (it is a draft that was never submitted)" : "doesn't exist"}` };
    }
    if (lineNumber === undefined) return { ok: false, why: `purchase order ${orderNumber}: PurchaseOrderLineNumber is required to match a line` };
    const line = order.lines.find((l) => l.LineNumber === lineNumber);
    if (!line) return { ok: false, why: `purchase order ${orderNumber} line ${lineNumber} doesn't exist` };
    if (scheduleNumber === undefined) {
      if (line.schedules.length === 1) return { ok: true, order, line, schedule: line.schedules[0]! };
      return { ok: false, why: `purchase order ${orderNumber} line ${lineNumber} has ${line.schedules.length} schedules: send PurchaseOrderScheduleLineNumber` };
    }
    const schedule = line.schedules.find((s) => s.ScheduleNumber === scheduleNumber);
    if (!schedule) return { ok: false, why: `purchase order ${orderNumber} line ${lineNumber} schedule ${scheduleNumber} doesn't exist` };
    return { ok: true, order, line, schedule };
  }

  receive(schedule: PoSchedule, order: PurchaseOrder, quantityReceived: Decimal): void {
    const current = readFusionAmount(schedule.QuantityReceived) ?? Decimal.ZERO;
    schedule.QuantityReceived = fusionAmountText(current.add(quantityReceived));
    order.LastUpdateDate = timestamp();
  }

  all(): readonly PurchaseOrder[] {
    return [...this.orders.values()];
  }

  clear(): void {
    this.orders.clear();
  }
}

/** The header without lines (a collection row unless expand asks for lines). */
export function purchaseOrderHeader(o: PurchaseOrder): Omit<PurchaseOrder, 'lines'> {
  const { lines: _l, ...header } = o;
  return header;
}
