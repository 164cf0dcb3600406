import { Inject, Injectable } from '@nestjs/common';
import { PlatformAuthError, PlatformRequestError } from '@finmesh/connectors';
import type { GoodsReceiptRecorded, PurchaseOrderIssued } from '@finmesh/contracts';
import { BusinessRuleViolation, TransientFailure, type HandlerContext } from '@finmesh/messaging';
import { DatabaseConnection, LOGGER } from '@finmesh/service-kit';
import type { Logger } from 'pino';
import { PurchaseOrderStore } from '../purchase-orders/purchase-order-store';
import type { PoSyncSettings } from '../settings/po-sync-settings';
import { PO_SYNC_SETTINGS } from '../settings/tokens';
import { ErpDocumentStore, type ErpDocumentKind } from './erp-document-store';
import { ErpPurchasingClient } from './erp-purchasing-client';
import { draftPurchaseOrderBody, receiptRequestBody, receiptReference } from './fusion-purchasing-bodies';

/**
 * Creates each PO and goods receipt po-sync published in the ERP (Fusion), from its own
 * PurchaseOrderIssued and GoodsReceiptRecorded events, exactly once — the pattern of
 * invoice-sync's ERP posting:
 *  - erp_documents records what the ERP holds (its POHeaderId / HeaderInterfaceId); an event whose
 *    document is recorded is done (a redelivery or replay changes nothing).
 *  - Before creating anything, the ERP is asked whether it holds it already (`purchaseOrders` and
 *    `draftPurchaseOrders` by OrderNumber = the PO number, `receivingReceiptRequests` by
 *    ShipmentNumber = finmesh's receipt reference): an earlier attempt whose answer was lost, or
 *    whose handler transaction rolled back after the ERP call, is found and adopted, never
 *    created twice. A draft left by an attempt that failed before submitting is submitted.
 *  - Every attempt is journalled (erp_sync_attempts), its row committed before the first ERP
 *    write, and its failure written outside the handler's transaction (which the throw rolls back).
 *  - A receipt waits for its PO: until the PO is recorded in erp_documents the receipt fails
 *    transiently and the consumer retries it (both events share the topic key, so the PO's event
 *    is normally handled first; a PO that failed leaves its receipts to the retry budget and
 *    then the dead-letter topic, from which they can be replayed).
 * Failures: 401/403 -> PlatformAuthError, dead-lettered at once (code PLATFORM_AUTH: retrying
 * cannot help, a replay after the credentials are fixed creates the document); another 4xx (the
 * ERP refused the document, e.g. RCV_INVALID_PO_REFERENCE) -> BusinessRuleViolation ERP_REJECTED,
 * dead-lettered with the ERP's message; 5xx, 429, timeouts -> TransientFailure (retried).
 *
 * Not propagated to the ERP (yet): PurchaseOrderChanged and PurchaseOrderClosed (Fusion's
 * change orders and close/cancel actions), and receipt lines with negative quantities (returns,
 * voids: see fusion-purchasing-bodies.ts).
 */
@Injectable()
export class ErpSyncService {
  private readonly documents = new ErpDocumentStore();
  private readonly orders = new PurchaseOrderStore();
  private readonly supplierSite: string | null;

  constructor(
    private readonly client: ErpPurchasingClient,
    private readonly database: DatabaseConnection,
    @Inject(PO_SYNC_SETTINGS) settings: PoSyncSettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.supplierSite = settings.erp?.supplierSite ?? null;
  }

  async syncOrder(e: PurchaseOrderIssued, ctx: HandlerContext): Promise<void> {
    const db = ctx.manager;
    if (await this.documents.find(db, 'PURCHASE_ORDER', e.purchaseOrderId)) return;
    const supplier = await this.orders.supplierOf(db, e.purchaseOrderId);
    const base = { kind: 'PURCHASE_ORDER' as const, finmeshId: e.purchaseOrderId, purchaseOrderId: e.purchaseOrderId, eventId: ctx.eventId };
    if (!supplier?.number) {
      // Orders recorded before po-sync kept the supplier number (migration 004) cannot name their supplier in the ERP.
      const detail = `purchase order ${e.poNumber} has no procurement supplier number; it cannot be created in the ERP`;
      this.logger.error({ purchaseOrderId: e.purchaseOrderId, poNumber: e.poNumber }, detail);
      await this.documents.record(db, { ...base, status: 'NOT_SENT', erpId: null, erpNumber: null, detail });
      return;
    }
    const body = draftPurchaseOrderBody(e, { legalEntity: e.envelope.legalEntity, supplierNumber: supplier.number, supplierName: supplier.name, supplierSite: this.supplierSite });
    const attempt = await this.database.dataSource.transaction((journal) => this.documents.startAttempt(journal, 'PURCHASE_ORDER', e.purchaseOrderId));
    const result = await this.guarded('PURCHASE_ORDER', e.purchaseOrderId, attempt, `purchase order ${e.poNumber}`, async () => {
      const existing = await this.client.findOrder(e.poNumber);
      if (existing) return { found: true, order: existing };
      const draft = (await this.client.findDraft(e.poNumber)) ?? (await this.client.createDraft(body));
      await this.client.submit(draft.poHeaderId);
      return { found: false, order: draft };
    });
    const status = result.found ? 'FOUND_EXISTING' : 'CREATED';
    await this.documents.finishAttempt(db, 'PURCHASE_ORDER', e.purchaseOrderId, attempt, { outcome: status });
    await this.documents.record(db, { ...base, status, erpId: result.order.poHeaderId, erpNumber: result.order.orderNumber, detail: null });
    this.logger.info({ purchaseOrderId: e.purchaseOrderId, poNumber: e.poNumber, poHeaderId: result.order.poHeaderId, status }, 'purchase order is in the ERP');
  }

  async syncReceipt(e: GoodsReceiptRecorded, ctx: HandlerContext): Promise<void> {
    const db = ctx.manager;
    if (await this.documents.find(db, 'RECEIPT', e.receiptId)) return;
    const base = { kind: 'RECEIPT' as const, finmeshId: e.receiptId, purchaseOrderId: e.purchaseOrderId, eventId: ctx.eventId };
    const order = await this.documents.find(db, 'PURCHASE_ORDER', e.purchaseOrderId);
    if (!order) throw new TransientFailure(`receipt ${e.receiptId} waits for purchase order ${e.purchaseOrderId} to be created in the ERP`);
    if (order.status === 'NOT_SENT') {
      await this.documents.record(db, { ...base, status: 'NOT_SENT', erpId: null, erpNumber: null, detail: `its purchase order was not sent to the ERP: ${order.detail ?? ''}` });
      return;
    }
    const header = await this.orders.header(db, e.purchaseOrderId);
    const supplier = await this.orders.supplierOf(db, e.purchaseOrderId);
    if (!header || !supplier?.number) throw new BusinessRuleViolation(`receipt ${e.receiptId}: purchase order ${e.purchaseOrderId} or its supplier number is unknown to po-sync`, 'PO_UNKNOWN');
    const { body, leftOut } = receiptRequestBody(e, { poNumber: header.poNumber, legalEntity: header.legalEntity, supplierNumber: supplier.number, supplierName: supplier.name });
    const leftOutText = leftOut.length === 0 ? null : `not sent (returns/voids are not created in the ERP yet): ${leftOut.map((l) => `line ${l.poLineNumber} ${l.quantity}`).join(', ')}`;
    if (!body) {
      this.logger.warn({ receiptId: e.receiptId, poNumber: header.poNumber }, 'receipt has no positive quantity; nothing created in the ERP');
      await this.documents.record(db, { ...base, status: 'NOT_SENT', erpId: null, erpNumber: null, detail: leftOutText });
      return;
    }
    const attempt = await this.database.dataSource.transaction((journal) => this.documents.startAttempt(journal, 'RECEIPT', e.receiptId));
    const result = await this.guarded('RECEIPT', e.receiptId, attempt, `receipt ${e.receiptId} of ${header.poNumber}`, async () => {
      const existing = await this.client.findReceipt(receiptReference(e.receiptId));
      return existing ? { found: true, receipt: existing } : { found: false, receipt: await this.client.createReceipt(body) };
    });
    const status = result.found ? 'FOUND_EXISTING' : 'CREATED';
    await this.documents.finishAttempt(db, 'RECEIPT', e.receiptId, attempt, { outcome: status });
    await this.documents.record(db, { ...base, status, erpId: result.receipt.headerInterfaceId, erpNumber: result.receipt.receiptNumber, detail: leftOutText });
    this.logger.info({ receiptId: e.receiptId, poNumber: header.poNumber, headerInterfaceId: result.receipt.headerInterfaceId, status }, 'goods receipt is in the ERP');
  }

  /** Runs the ERP calls of one attempt; a failure is journalled outside the handler's transaction and rethrown as the consumer must see it. */
  private async guarded<T>(kind: ErpDocumentKind, finmeshId: string, attempt: number, what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      const journal = (outcome: 'REJECTED' | 'TRANSIENT_FAILED' | 'AUTH_REFUSED', erpMessage: string, httpStatus?: number, erpCode?: string) =>
        this.database.dataSource.transaction((tx) => this.documents.finishAttempt(tx, kind, finmeshId, attempt, { outcome, erpMessage, httpStatus: httpStatus ?? null, erpCode: erpCode ?? null }));
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof PlatformAuthError) {
        await journal('AUTH_REFUSED', message, err.status, err.code);
        throw err; // dead-lettered without retry (PLATFORM_AUTH)
      }
      if (err instanceof PlatformRequestError) {
        await journal('REJECTED', err.detail, err.status, err.code);
        throw new BusinessRuleViolation(`the ERP refused ${what}: ${err.detail}`, 'ERP_REJECTED');
      }
      await journal('TRANSIENT_FAILED', message, undefined, typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : undefined);
      throw new TransientFailure(`creating ${what} in the ERP failed: ${message}`, { cause: err });
    }
  }
}
