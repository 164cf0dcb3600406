import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { InvoiceApproved } from '@finmesh/contracts';
import type { HandlerContext } from '@finmesh/messaging';
import { ErpPostingService } from './erp-posting.service';

/** Approved invoices (AUTO or OVERRIDE) are posted to the ERP. */
@Controller()
export class InvoiceApprovedHandler {
  constructor(private readonly posting: ErpPostingService) {}

  @EventPattern('InvoiceApproved')
  async onInvoiceApproved(@Payload() approved: InvoiceApproved, @Ctx() ctx: HandlerContext): Promise<void> {
    await this.posting.post(approved, ctx);
  }
}
