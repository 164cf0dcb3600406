import { topicForEvent, type EventEnvelope, type EventName } from '@finmesh/contracts';
import {
  inSequence,
  type MaybePromise,
  type ProjectedEvent,
  type ReadModelProjection,
  type RowStore,
} from '@finmesh/projection';
import { mergeInto } from './fact-rows';
import * as invoice from './invoice-facts';
import * as purchaseOrder from './purchase-order-facts';
import * as payment from './payment-facts';
import * as supplier from './supplier-facts';
import { REPORTING_READS } from './reporting-reads';
import { EVENT_FRESHNESS, REPORTING_TABLES } from './reporting-tables';

type Projector = (store: RowStore, e: ProjectedEvent<never>) => MaybePromise<void>;

const PROJECTORS: Readonly<Record<EventName, Projector>> = {
  SupplierUpserted: supplier.projectSupplierUpserted,
  SupplierBlocked: supplier.projectSupplierBlocked,
  SupplierUnblocked: supplier.projectSupplierUnblocked,
  PurchaseOrderIssued: purchaseOrder.projectPurchaseOrderIssued,
  PurchaseOrderChanged: purchaseOrder.projectPurchaseOrderChanged,
  PurchaseOrderClosed: purchaseOrder.projectPurchaseOrderClosed,
  GoodsReceiptRecorded: purchaseOrder.projectGoodsReceiptRecorded,
  InvoiceReceived: invoice.projectInvoiceReceived,
  InvoiceMatched: invoice.projectInvoiceMatched,
  MatchExceptionRaised: invoice.projectMatchExceptionRaised,
  InvoiceApproved: invoice.projectInvoiceApproved,
  InvoicePosted: invoice.projectInvoicePosted,
  InvoicePostingFailed: invoice.projectInvoicePostingFailed,
  InvoiceErpValidationReported: invoice.projectInvoiceErpValidationReported,
  InvoiceCancelled: invoice.projectInvoiceCancelled,
  PaymentReleased: payment.projectPaymentReleased,
  PaymentConfirmed: payment.projectPaymentConfirmed,
  PaymentVoided: payment.projectPaymentVoided,
};

/** The reporting read models: every canonical event, into the fact tables of reporting-tables.ts. */
export const REPORTING_PROJECTION: ReadModelProjection = {
  tables: REPORTING_TABLES,
  reads: REPORTING_READS,
  apply(store: RowStore, e: ProjectedEvent): MaybePromise<void> {
    const envelope = (e.value as { envelope: EventEnvelope }).envelope;
    return inSequence([
      () => PROJECTORS[e.event](store, e as ProjectedEvent<never>),
      () =>
        mergeInto(
          store,
          EVENT_FRESHNESS,
          { topic: e.topic, partition: e.partition, source_platform: envelope.sourcePlatform, event_type: e.event },
          e,
          (row) => (row['domain'] = topicForEvent(e.event).aggregate),
        ),
    ]);
  },
};

/** Where rebuild worker threads load the projection from (they cannot share this module instance). */
export const REPORTING_PROJECTION_MODULE = { modulePath: __filename, exportName: 'REPORTING_PROJECTION' } as const;
