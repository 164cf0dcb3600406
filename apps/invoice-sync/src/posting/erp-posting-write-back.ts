import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { InvoiceApproved } from '@finmesh/contracts';
import { ServiceWriteBack } from '@finmesh/service-kit';
import type { InvoiceSyncSettings } from '../settings/invoice-sync-settings';
import { INVOICE_SYNC_SETTINGS } from '../settings/tokens';
import { ErpPostingService, type PostingJob, type PostingResult } from './erp-posting.service';

/**
 * Approved invoices (AUTO or OVERRIDE) are posted to the ERP through the write-back sink
 * `fusion:invoice-postings` (consumer group `invoice-sync.write-back.fusion.invoice-postings`), in
 * order per invoice, on one instance at a time, within FINMESH_ERP_DELIVERY_* (ErpPostingService
 * has the rules).
 */
@Injectable()
export class ErpPostingWriteBack implements OnApplicationBootstrap {
  constructor(
    @Inject(INVOICE_SYNC_SETTINGS) private readonly settings: InvoiceSyncSettings,
    private readonly writeBack: ServiceWriteBack,
    private readonly posting: ErpPostingService,
  ) {}

  onApplicationBootstrap(): void {
    this.writeBack.register<PostingJob, PostingResult>({
      connection: this.settings.fusion,
      delivery: this.settings.erpDelivery,
      flow: 'invoice-postings',
      events: { InvoiceApproved: (value, ctx) => this.posting.prepare(value as InvoiceApproved, ctx) },
      deliver: (job, context) => this.posting.deliver(job, context),
      onDelivered: (job, delivery, ctx) => this.posting.apply(job, delivery, ctx),
      naturalKey: (job) => `${job.supplierNumber}/${job.stored.erpInvoiceNumber}`,
      occurredAt: (job) => job.approvedAt,
    });
  }
}
