import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type {
  InvoiceApproved,
  InvoiceCancelled,
  InvoiceErpValidationReported,
  InvoiceMatched,
  InvoicePosted,
  InvoicePostingFailed,
  MatchExceptionRaised,
  PaymentConfirmed,
  PaymentReleased,
  PaymentVoided,
} from '@finmesh/contracts';
import type { HandlerContext } from '@finmesh/messaging';
import { ServiceWriteBack } from '@finmesh/service-kit';
import { invoiceStore } from '../invoices/invoice-store';
import { paymentAllocationStore } from '../payments/payment-allocation-store';
import { INVOICE_SYNC_SETTINGS } from '../settings/tokens';
import type { InvoiceSyncSettings } from '../settings/invoice-sync-settings';
import { deliverApInvoiceUpdate } from './ap-invoice-delivery';
import {
  approvedUpdate,
  cancelledUpdate,
  erpValidationUpdate,
  exceptionUpdate,
  matchedUpdate,
  paymentUpdates,
  paymentVoidedUpdates,
  postedUpdate,
  postingFailedUpdate,
  type ApInvoiceUpdate,
} from './ap-invoice-update';

/** An update addressed to the AP invoice it concerns, with the invoice's gross amount (read once, when selected). */
interface ApInvoiceDelivery {
  readonly update: ApInvoiceUpdate;
  readonly apInvoiceId: string;
  readonly grossAmount: string;
}

/**
 * invoice-sync tells the AP platform (FINMESH_AP_*) each invoice's fate through one
 * ServiceWriteBack flow, `ap:invoice-status` (consumer group `invoice-sync.write-back.ap.invoice-status`):
 * matched, exception with reasons and figures, approved, posted with the ERP number, posting
 * failed, held by ERP validation, cancelled (ap-invoice-update.ts); and each payment released,
 * confirmed or voided, with the invoice's payment status (partially paid, paid) as finmesh counts
 * it: payments not voided. Only invoices captured from AP's API have an AP invoice to tell; others
 * are skipped. In order per invoice for invoice events (the invoice topic's key); payments come
 * from the payment topic. Document status writes are ordered by event time, the payment status by
 * the settlement (ap-invoice-delivery.ts).
 *
 * Known limit: two payments of one invoice delivered at the same moment each count the other only
 * once invoice-sync recorded it; the last delivery of a later payment event corrects it, and the
 * comparator shows it meanwhile.
 */
@Injectable()
export class ApInvoiceWriteBack implements OnApplicationBootstrap {
  constructor(
    @Inject(INVOICE_SYNC_SETTINGS) private readonly settings: InvoiceSyncSettings,
    private readonly writeBack: ServiceWriteBack,
  ) {}

  onApplicationBootstrap(): void {
    const target = this.settings.ap;
    if (!target) return;
    const one = (make: (value: never) => ApInvoiceUpdate | undefined) => async (value: unknown, ctx: HandlerContext) => {
      const update = make(value as never);
      return update ? addressed(ctx.manager, [update]) : undefined;
    };
    this.writeBack.register<ApInvoiceDelivery>({
      ...target,
      flow: 'invoice-status',
      events: {
        InvoiceMatched: one((e: InvoiceMatched) => matchedUpdate(e)),
        MatchExceptionRaised: one((e: MatchExceptionRaised) => exceptionUpdate(e)),
        InvoiceApproved: one((e: InvoiceApproved) => approvedUpdate(e)),
        InvoicePosted: one((e: InvoicePosted) => postedUpdate(e)),
        InvoicePostingFailed: one((e: InvoicePostingFailed) => postingFailedUpdate(e)),
        InvoiceErpValidationReported: one((e: InvoiceErpValidationReported) => erpValidationUpdate(e)),
        InvoiceCancelled: async (value, ctx) => {
          const cancelled = value as InvoiceCancelled;
          // A correction after posting: the AP invoice now stands for the replacement; it stays.
          if (await invoiceStore.replacementOf(ctx.manager, cancelled.invoiceId)) return undefined;
          return addressed(ctx.manager, [cancelledUpdate(cancelled)]);
        },
        PaymentReleased: async (value, ctx) => addressed(ctx.manager, paymentUpdates(value as PaymentReleased)),
        PaymentConfirmed: async (value, ctx) => addressed(ctx.manager, paymentUpdates(value as PaymentConfirmed)),
        PaymentVoided: async (value, ctx) => addressed(ctx.manager, paymentVoidedUpdates(value as PaymentVoided)),
      },
      target: (d) => d.update.invoiceId,
      naturalKey: (d) => d.apInvoiceId,
      occurredAt: (d) => d.update.occurredAt,
      deliver: async (d, context) => {
        const payment = d.update.payment;
        const settledByOtherPayments = payment ? (await paymentAllocationStore.settlement(context.transaction, d.update.invoiceId, payment.paymentId)).settled : '0';
        return deliverApInvoiceUpdate(d.update, { apInvoiceId: d.apInvoiceId, grossAmount: d.grossAmount, settledByOtherPayments }, context);
      },
    });
  }
}

/** The updates whose invoice came from AP, with AP's id; none when no invoice did (nothing to tell AP). */
async function addressed(db: EntityManager, updates: readonly ApInvoiceUpdate[]): Promise<ApInvoiceDelivery[] | undefined> {
  const out: ApInvoiceDelivery[] = [];
  for (const update of updates) {
    const invoice = await invoiceStore.find(db, update.invoiceId);
    if (invoice?.apInvoiceId) out.push({ update, apInvoiceId: invoice.apInvoiceId, grossAmount: invoice.grossAmount });
  }
  return out.length > 0 ? out : undefined;
}
