import { Body, Controller, Get, NotFoundException, Param, Post, Query, Res } from '@nestjs/common';
import { COUPA_PURCHASE_ORDER_SCHEMA, COUPA_RECEIPT_SCHEMA } from '@finmesh/adapters';
import { CurrentCaller, DatabaseConnection, Idempotent, legalEntityCheckOf, mayActOn, RequestSchema, Roles, type Caller } from '@finmesh/service-kit';
import type { Response } from 'express';
import { PurchaseOrderService } from '../purchase-orders/purchase-order-service';
import type { PurchaseOrderView } from '../purchase-orders/purchase-order-store';
import { ParkedReceiptStore, type ParkedReceipt } from '../receipts/parked-receipt-store';
import { ReceiptService, type RecordedReceipt } from '../receipts/receipt-service';
import { CLOSE_REQUEST_SCHEMA, closeRequestOf, type CloseRequestBody } from './close-request';
import { supplierBlocks, type FlaggedDocument } from '../suppliers/supplier-block-store';

@Controller('v1')
export class PurchaseOrdersController {
  private readonly parked = new ParkedReceiptStore();

  constructor(
    private readonly orders: PurchaseOrderService,
    private readonly receipts: ReceiptService,
    private readonly db: DatabaseConnection,
  ) {}

  /** Coupa order: 201 issued, 200 changed or re-sent (see `outcome`), 409 refused with reason, 422 unmappable. */
  @Post('procurement/purchase-orders')
  @Roles('procurement-platform')
  @Idempotent()
  @RequestSchema(COUPA_PURCHASE_ORDER_SCHEMA, 'A Coupa purchase order as the Purchase Orders API returns it.')
  async receiveOrder(@Body() body: unknown, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response): Promise<PurchaseOrderView & { outcome: string }> {
    const result = await this.orders.receive(body, caller.clientId, legalEntityCheckOf(caller));
    res.status(result.outcome === 'issued' ? 201 : 200);
    return { outcome: result.outcome, ...result.order };
  }

  @Post('procurement/purchase-orders/:id/close')
  @Roles('procurement-platform')
  @Idempotent()
  @RequestSchema(CLOSE_REQUEST_SCHEMA, 'Closes the order: the reason, an optional comment and who closed it.')
  async close(@Param('id') id: string, @Body() body: CloseRequestBody, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response): Promise<PurchaseOrderView> {
    const request = closeRequestOf(body);
    const order = await this.orders.close(id, { ...request, closedBy: request.closedBy ?? caller.clientId }, caller.clientId, legalEntityCheckOf(caller));
    res.status(200);
    return order;
  }

  /** Coupa receiving transactions of one receipt: 201 recorded, 200 duplicate, 409 { parkedId, reason } parked. */
  @Post('procurement/receipts')
  @Roles('procurement-platform')
  @Idempotent()
  @RequestSchema(COUPA_RECEIPT_SCHEMA, 'The Coupa receiving transactions of one receipt.')
  async receive(@Body() body: unknown, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response): Promise<RecordedReceipt> {
    const receipt = await this.receipts.record(body, caller.clientId, legalEntityCheckOf(caller));
    res.status(receipt.duplicate ? 200 : 201);
    return receipt;
  }

  @Get('purchase-orders/:id')
  @Roles('procurement-platform', 'ap-platform', 'erp-platform', 'finance-approver', 'ops')
  async get(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<PurchaseOrderView> {
    const order = await this.orders.get(id);
    // Another legal entity's order is, to this caller, not there.
    if (!mayActOn(caller.legalEntities, order.legalEntity.code)) throw new NotFoundException(`no purchase order with id ${id}`);
    return order;
  }

  /** POs and receipts accepted while their supplier was blocked for purchasing (newest first). */
  @Get('ops/blocked-supplier-documents')
  @Roles('ops')
  async blockedSupplierDocuments(): Promise<{ items: FlaggedDocument[] }> {
    return { items: await supplierBlocks.list(this.db.dataSource.manager) };
  }

  /** The ops queue: open parked receipts (`?include=resolved` for all). */
  @Get('ops/parked-receipts')
  @Roles('ops')
  async parkedReceipts(@Query('include') include?: string): Promise<{ items: ParkedReceipt[] }> {
    return { items: await this.parked.list(this.db.dataSource.manager, include === 'resolved') };
  }
}
