import { Body, Controller, Inject, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { AuditTrail, CurrentCaller, DatabaseConnection, Idempotent, legalEntityCheckOf, LOGGER, MessagingRuntime, RequestSchema, Roles, type Caller } from '@finmesh/service-kit';
import { FUSION_PAYMENT_SCHEMA, readFusionPayment } from '@finmesh/adapters';
import { PaymentSyncMetrics } from '../metrics/payment-sync-metrics';
import { processPayment, type PaymentStatus } from '../payments/payment-processor';

export type ErpPaymentAnswer =
  | { readonly status: 'RECORDED'; readonly paymentId: string; readonly paymentStatus: PaymentStatus; readonly published: readonly string[] }
  | { readonly status: 'ALREADY_RECORDED'; readonly paymentId: string; readonly paymentStatus: PaymentStatus }
  | { readonly status: 'PARKED'; readonly parkedId: string; readonly reason: string }
  | { readonly status: 'NOTHING_TO_VOID'; readonly reason: string };

/**
 * The ERP's payment webhook (Fusion payablesPayments JSON). 201 RECORDED (events published),
 * 200 ALREADY_RECORDED (a redelivery: nothing new), 202 PARKED (an invoice is unknown; processed
 * automatically once it is posted), 200 NOTHING_TO_VOID (a void of a payment finmesh never
 * recorded), 422 with every bad field (mapping) or every reason the payment cannot be applied
 * (overpayment, currency, stop-initiated, ...): nothing written then. A voided payment (Fusion
 * VoidDate) that was recorded answers 201 RECORDED with paymentStatus VOIDED and PaymentVoided.
 */
@Controller('v1/erp/payments')
export class ErpPaymentsController {
  constructor(
    private readonly db: DatabaseConnection,
    private readonly messaging: MessagingRuntime,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly audit: AuditTrail,
    private readonly metrics: PaymentSyncMetrics,
  ) {}

  @Post()
  @Roles('erp-platform')
  @Idempotent()
  @RequestSchema(FUSION_PAYMENT_SCHEMA, 'A Fusion Payables payment with its relatedInvoices.')
  async receive(@Body() body: unknown, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response): Promise<ErpPaymentAnswer> {
    // Mapping first: a payload with bad fields writes nothing.
    const payment = readFusionPayment(body);
    const outcome = await this.db.dataSource.transaction((tx) =>
      processPayment(
        {
          query: (sql, params) => tx.query(sql, params as unknown[]),
          emit: (events) => this.messaging.outbox.enqueue(tx, events),
          audit: (entry) => this.audit.record(tx, entry),
        },
        payment,
        { payload: body, deliveredBy: caller.clientId, mayActOn: legalEntityCheckOf(caller) },
      ),
    );
    // Ids and outcome only: the payload may carry bank details.
    this.logger.info({ erpPaymentId: payment.erpPaymentId, erpStatus: payment.erpStatus, status: payment.status, outcome: outcome.kind }, 'ERP payment received');
    switch (outcome.kind) {
      case 'PARKED':
        res.status(202);
        return { status: 'PARKED', parkedId: outcome.parkedId, reason: outcome.reason };
      case 'ALREADY_RECORDED':
        res.status(200);
        return { status: 'ALREADY_RECORDED', paymentId: outcome.paymentId, paymentStatus: outcome.paymentStatus };
      case 'NOTHING_TO_VOID':
        res.status(200);
        return { status: 'NOTHING_TO_VOID', reason: outcome.reason };
      case 'RECORDED':
        this.metrics.paymentConfirmed(outcome.confirmationDelaySeconds);
        res.status(201);
        return { status: 'RECORDED', paymentId: outcome.paymentId, paymentStatus: outcome.paymentStatus, published: outcome.published };
    }
  }
}
