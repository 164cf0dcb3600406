import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { coupaPoll, coupaUpdatedPoll } from '@finmesh/connectors';
import { ServicePolling } from '@finmesh/service-kit';
import type { PoSyncSettings } from '../settings/po-sync-settings';
import { PO_SYNC_SETTINGS } from '../settings/tokens';
import { CoupaRecordHandlers } from './coupa-record-handlers';

/**
 * The Coupa polls of po-sync, with the exported flag (Coupa's integration pattern: fetch
 * `exported=false`, apply, then mark each exported; see @finmesh/connectors coupa-poll):
 *  - `purchase_orders`, version `internal-revision` (moves on every edit, so two edits within one
 *    second are two versions);
 *  - `receiving_transactions`, version `updated-at` (the connectors' default).
 *
 * What the exported flag does NOT deliver: Coupa resets it only when an edit makes a new supplier
 * version of a PO (or on cancel/close). An internal edit (internal-revision +1, `version`
 * unchanged: e.g. an account or a need-by date changed without re-sending the order to the
 * supplier) leaves an exported PO exported, so this poller never sees it and po-sync keeps the
 * earlier revision until the next supplier version. Coupa's "Reset PO last exported at for every
 * change" setting (procurement simulator: resetPoExportedOnEveryChange) closes that gap on the
 * platform's side; on finmesh's side a third poll reads `purchase_orders` by `updated-at`
 * (watermark `purchase_orders.updated`, marks nothing), so internal edits arrive too. A version
 * read by both polls is applied by the first; for the other it is an unchanged revision.
 */
@Injectable()
export class CoupaPollers implements OnApplicationBootstrap {
  constructor(
    @Inject(PO_SYNC_SETTINGS) private readonly settings: PoSyncSettings,
    private readonly polling: ServicePolling,
    private readonly handlers: CoupaRecordHandlers,
  ) {}

  onApplicationBootstrap(): void {
    const coupa = this.settings.coupa;
    if (!coupa) return;
    this.polling.poll(coupa.connection, coupa.poll, (ctx) => [
      coupaPoll(ctx, {
        resource: 'purchase_orders',
        versionOf: (po) => String(po['internal-revision'] ?? po['updated-at']),
        handler: (record, tx) => this.handlers.applyPurchaseOrder(record, tx),
      }),
      coupaUpdatedPoll(ctx, {
        resource: 'purchase_orders',
        pollName: 'purchase_orders.updated',
        versionOf: (po) => String(po['internal-revision'] ?? po['updated-at']),
        handler: (record, tx) => this.handlers.applyPurchaseOrder(record, tx),
      }),
      coupaPoll(ctx, { resource: 'receiving_transactions', handler: (record, tx) => this.handlers.applyReceivingTransaction(record, tx) }),
    ]);
  }
}
