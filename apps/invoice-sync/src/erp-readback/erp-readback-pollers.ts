import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { fusionPoll } from '@finmesh/connectors';
import { ServicePolling } from '@finmesh/service-kit';
import type { InvoiceSyncSettings } from '../settings/invoice-sync-settings';
import { INVOICE_SYNC_SETTINGS } from '../settings/tokens';
import { ErpReadback } from './erp-readback';

/**
 * The Fusion polls of invoice-sync: Payables `invoices` (validation status, cancellation) and
 * `invoiceHolds`, each by its LastUpdateDate. Fusion raises no business event for either that an
 * integration can subscribe to, so they are polled.
 */
@Injectable()
export class ErpReadbackPollers implements OnApplicationBootstrap {
  constructor(
    @Inject(INVOICE_SYNC_SETTINGS) private readonly settings: InvoiceSyncSettings,
    private readonly polling: ServicePolling,
    private readonly readback: ErpReadback,
  ) {}

  onApplicationBootstrap(): void {
    this.polling.poll(this.settings.fusion, this.settings.erpPoll, (ctx) => [
      fusionPoll(ctx, { resource: 'invoices', keyAttribute: 'InvoiceId', handler: (record, tx) => this.readback.applyInvoice(record, tx) }),
      fusionPoll(ctx, { resource: 'invoiceHolds', keyAttribute: 'HoldId', handler: (record, tx) => this.readback.applyHold(record, tx) }),
    ]);
  }
}
