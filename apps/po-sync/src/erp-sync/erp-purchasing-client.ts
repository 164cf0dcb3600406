import { Inject, Injectable } from '@nestjs/common';
import { PlatformResponseError, type PlatformHttpClient } from '@finmesh/connectors';
import { PlatformConnections } from '@finmesh/service-kit';
import type { PoSyncSettings } from '../settings/po-sync-settings';
import { PO_SYNC_SETTINGS } from '../settings/tokens';
import type { FusionDraftPurchaseOrderBody, FusionReceiptRequestBody } from './fusion-purchasing-bodies';

/** A Fusion purchase order (draft or submitted) as po-sync needs it. */
export interface ErpOrder {
  readonly poHeaderId: string;
  readonly orderNumber: string;
  readonly status: string;
}

/** A Fusion receipt request. */
export interface ErpReceipt {
  readonly headerInterfaceId: string;
  readonly receiptNumber: string | null;
}

/**
 * Fusion Procurement and Receiving over the connectors' PlatformHttpClient (the service's shared
 * Fusion credentials and connector metrics). Every failure is a PlatformError that says whether
 * to retry: 401 (after one fresh token) and 403 PlatformAuthError, 5xx / timeouts / 429
 * retriable, another 4xx PlatformRequestError (the ERP refused what was sent).
 */
@Injectable()
export class ErpPurchasingClient {
  private readonly client: PlatformHttpClient;

  constructor(@Inject(PO_SYNC_SETTINGS) settings: PoSyncSettings, platforms: PlatformConnections) {
    if (!settings.erp) throw new Error('ErpPurchasingClient needs the ERP connection (FINMESH_ERP_PO_SYNC=on)');
    this.client = platforms.client(settings.erp.connection);
  }

  /** The submitted order with this number (`purchaseOrders?q=OrderNumber='…'`), or undefined. */
  async findOrder(orderNumber: string): Promise<ErpOrder | undefined> {
    return this.findOne('purchaseOrders', `OrderNumber=${quote(orderNumber)}`, orderOf);
  }

  /** A draft with this number left by an attempt that created it but did not submit it. */
  async findDraft(orderNumber: string): Promise<ErpOrder | undefined> {
    return this.findOne('draftPurchaseOrders', `OrderNumber=${quote(orderNumber)}`, orderOf);
  }

  async createDraft(body: FusionDraftPurchaseOrderBody): Promise<ErpOrder> {
    const res = await this.client.request({ method: 'POST', path: '/draftPurchaseOrders', operation: 'POST draftPurchaseOrders', body });
    return orderOf(res.body, 'POST draftPurchaseOrders');
  }

  async submit(poHeaderId: string): Promise<void> {
    await this.client.request({ method: 'POST', path: `/draftPurchaseOrders/${encodeURIComponent(poHeaderId)}/action/submit`, operation: 'POST draftPurchaseOrders submit', body: {} });
  }

  /** The receipt request an earlier attempt created with this ShipmentNumber, or undefined. */
  async findReceipt(shipmentNumber: string): Promise<ErpReceipt | undefined> {
    return this.findOne('receivingReceiptRequests', `ShipmentNumber=${quote(shipmentNumber)}`, receiptOf);
  }

  async createReceipt(body: FusionReceiptRequestBody): Promise<ErpReceipt> {
    const res = await this.client.request({ method: 'POST', path: '/receivingReceiptRequests', operation: 'POST receivingReceiptRequests', body });
    return receiptOf(res.body, 'POST receivingReceiptRequests');
  }

  private async findOne<T>(resource: string, q: string, read: (item: unknown, operation: string) => T): Promise<T | undefined> {
    const operation = `GET ${resource}`;
    const res = await this.client.request({ method: 'GET', path: `/${resource}`, operation, query: { q, limit: 2 } });
    const items = isRecord(res.body) && Array.isArray(res.body['items']) ? res.body['items'] : undefined;
    if (!items) throw new PlatformResponseError(this.client.platform, operation, 'answer has no items array');
    if (items.length > 1) throw new PlatformResponseError(this.client.platform, operation, `${q} matches several rows; refusing to guess which one finmesh created`);
    return items.length === 0 ? undefined : read(items[0], operation);
  }
}

function orderOf(item: unknown, operation: string): ErpOrder {
  const o = isRecord(item) ? item : {};
  const id = o['POHeaderId'];
  if (typeof id !== 'number' && typeof id !== 'string') throw new PlatformResponseError('fusion', operation, 'purchase order without POHeaderId');
  return { poHeaderId: String(id), orderNumber: String(o['OrderNumber'] ?? ''), status: String(o['Status'] ?? '') };
}

function receiptOf(item: unknown, operation: string): ErpReceipt {
  const r = isRecord(item) ? item : {};
  const id = r['HeaderInterfaceId'];
  if (typeof id !== 'number' && typeof id !== 'string') throw new PlatformResponseError('fusion', operation, 'receipt request without HeaderInterfaceId');
  return { headerInterfaceId: String(id), receiptNumber: typeof r['ReceiptNumber'] === 'string' ? r['ReceiptNumber'] : null };
}

function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
