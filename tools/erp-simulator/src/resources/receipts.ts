import type { Decimal } from '@finmesh/contracts';
import { fusionAmountText, readFusionAmount } from '../fusion-amounts';
import { errorDetail, FusionHttpError, ValidationProblems } from '../fusion-errors';
import { isJsonObject, type JsonObject } from '../http-io';
import { timestamp } from './clock';
import { firstKey, sequence } from './ids';
import type { PurchaseOrderStore } from './purchase-orders';

/**
 * Receipts through Fusion Receiving's `receivingReceiptRequests` resource (key HeaderInterfaceId,
 * child `lines`): a header with lines that receive against PO schedules (SourceDocumentCode 'PO',
 * TransactionType 'RECEIVE', DocumentNumber / DocumentLineNumber / DocumentScheduleNumber,
 * Quantity, UnitOfMeasure). The simulator processes a request at once (ProcessingStatusCode
 * 'SUCCESS', a ReceiptNumber) and adds each line's quantity to its PO schedule.
 */
export interface ReceiptLine {
  readonly InterfaceTransactionId: number;
  readonly ReceiptSourceCode: string;
  readonly SourceDocumentCode: string;
  readonly TransactionType: string;
  readonly AutoTransactCode: string | null;
  readonly DocumentNumber: string;
  readonly DocumentLineNumber: number;
  readonly DocumentScheduleNumber: number | null;
  readonly Quantity: string;
  readonly UnitOfMeasure: string | null;
  readonly ProcessingStatusCode: 'SUCCESS';
}

export interface ReceiptRequest {
  readonly HeaderInterfaceId: number;
  readonly ReceiptNumber: string;
  readonly ReceiptSourceCode: string;
  readonly OrganizationCode: string | null;
  readonly BusinessUnit: string | null;
  readonly VendorName: string | null;
  readonly VendorNumber: string | null;
  /** The sender's shipment reference, kept as sent (a client can find its own request again with q=ShipmentNumber='…'). */
  readonly ShipmentNumber: string | null;
  readonly ProcessingStatusCode: 'SUCCESS';
  readonly CreationDate: string;
  readonly LastUpdateDate: string;
  readonly lines: readonly ReceiptLine[];
}

const nextReceiptId = sequence('receivingReceiptRequests', firstKey(5));
const nextReceiptNumber = sequence('receiptNumbers', 5_000_001 + (Math.floor(Date.now() / 1000) % 1_000_000));

function positiveInt(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}

const str = (o: JsonObject, key: string): string | null => (typeof o[key] === 'string' && (o[key] as string).trim() !== '' ? (o[key] as string) : null);

export class ReceiptStore {
  private readonly requests: ReceiptRequest[] = [];

  constructor(private readonly orders: PurchaseOrderStore) {}

  /** Validates and processes a receipt request; with `checkPurchaseOrders` every line must name an open PO schedule. */
  create(body: JsonObject, checkPurchaseOrders: boolean): ReceiptRequest {
    const problems = new ValidationProblems();
    const rawLines = body['lines'];
    const lines: Array<{ raw: JsonObject; quantity: Decimal; document: string; line: number; schedule: number | undefined }> = [];
    if (!Array.isArray(rawLines) || rawLines.length === 0) problems.add('lines', 'A receipt request needs at least one line.', 'FND_REST_REQUIRED_ATTR');
    else {
      rawLines.forEach((raw: unknown, i) => {
        const path = `lines[${i}]`;
        if (!isJsonObject(raw)) {
          problems.add(path, 'Each line must be an object.');
          return;
        }
        const source = str(raw, 'SourceDocumentCode') ?? 'PO';
        if (source !== 'PO') problems.add(`${path}.SourceDocumentCode`, `Only SourceDocumentCode PO is simulated, got "${source}".`);
        const type = str(raw, 'TransactionType') ?? 'RECEIVE';
        if (type !== 'RECEIVE') problems.add(`${path}.TransactionType`, `Only TransactionType RECEIVE is simulated, got "${type}".`);
        const document = str(raw, 'DocumentNumber');
        if (document === null) problems.add(`${path}.DocumentNumber`, 'DocumentNumber (the PO number) is required.', 'FND_REST_REQUIRED_ATTR');
        const line = positiveInt(raw['DocumentLineNumber']);
        if (line === undefined) problems.add(`${path}.DocumentLineNumber`, 'DocumentLineNumber is required and must be a positive integer.', 'FND_REST_REQUIRED_ATTR');
        const scheduleRaw = raw['DocumentScheduleNumber'];
        const schedule = scheduleRaw === undefined || scheduleRaw === null ? undefined : positiveInt(scheduleRaw);
        if (scheduleRaw !== undefined && scheduleRaw !== null && schedule === undefined) problems.add(`${path}.DocumentScheduleNumber`, 'DocumentScheduleNumber must be a positive integer.');
        const quantity = readFusionAmount(raw['Quantity']);
        if (!quantity || !quantity.isPositive()) problems.add(`${path}.Quantity`, `Quantity must be a positive decimal, got ${JSON.stringify(raw['Quantity'])}.`, 'FND_REST_REQUIRED_ATTR');
        if (document !== null && line !== undefined && quantity && quantity.isPositive()) lines.push({ raw, quantity, document, line, schedule });
      });
    }
    problems.throwIfAny();
    const targets = lines.map((l, i) => {
      const found = this.orders.findSchedule(l.document, l.line, l.schedule);
      if (!found.ok && checkPurchaseOrders) {
        throw new FusionHttpError(400, [errorDetail(`Receipt line ${i + 1}: ${found.why}.`, 'RCV_INVALID_PO_REFERENCE', `lines[${i}].DocumentNumber`)]);
      }
      return found.ok ? found : undefined;
    });
    const now = timestamp();
    const request: ReceiptRequest = {
      HeaderInterfaceId: nextReceiptId(),
      ReceiptNumber: String(nextReceiptNumber()),
      ReceiptSourceCode: str(body, 'ReceiptSourceCode') ?? 'VENDOR',
      OrganizationCode: str(body, 'OrganizationCode'),
      BusinessUnit: str(body, 'BusinessUnit'),
      VendorName: str(body, 'VendorName'),
      VendorNumber: str(body, 'VendorNumber'),
      ShipmentNumber: str(body, 'ShipmentNumber'),
      ProcessingStatusCode: 'SUCCESS',
      CreationDate: now,
      LastUpdateDate: now,
      lines: lines.map((l) => ({
        InterfaceTransactionId: nextReceiptId(),
        ReceiptSourceCode: str(l.raw, 'ReceiptSourceCode') ?? 'VENDOR',
        SourceDocumentCode: 'PO',
        TransactionType: 'RECEIVE',
        AutoTransactCode: str(l.raw, 'AutoTransactCode'),
        DocumentNumber: l.document,
        DocumentLineNumber: l.line,
        DocumentScheduleNumber: l.schedule ?? null,
        Quantity: fusionAmountText(l.quantity),
        UnitOfMeasure: str(l.raw, 'UnitOfMeasure'),
        ProcessingStatusCode: 'SUCCESS',
      })),
    };
    targets.forEach((t, i) => {
      if (t) this.orders.receive(t.schedule, t.order, lines[i]!.quantity);
    });
    this.requests.push(request);
    return request;
  }

  get(headerInterfaceId: number): ReceiptRequest {
    const r = this.requests.find((x) => x.HeaderInterfaceId === headerInterfaceId);
    if (!r) throw new FusionHttpError(404, [errorDetail(`No receipt request with HeaderInterfaceId ${headerInterfaceId}.`, 'RECEIPT_NOT_FOUND')]);
    return r;
  }

  all(): readonly ReceiptRequest[] {
    return [...this.requests];
  }

  clear(): void {
    this.requests.length = 0;
  }
}

export function receiptHeader(r: ReceiptRequest): Omit<ReceiptRequest, 'lines'> {
  const { lines: _l, ...header } = r;
  return header;
}
