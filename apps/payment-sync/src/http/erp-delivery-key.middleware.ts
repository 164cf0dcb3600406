import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { IDEMPOTENCY_HEADER } from '@finmesh/service-kit';

/**
 * The ERP's payment webhook (Fusion, and the ERP simulator) sends no Idempotency-Key, but the
 * endpoint is @Idempotent and would answer 400. A delivery has a natural key — the payment's CheckId
 * (payablesPayments key), its PaymentStatus and its VoidDate (Oracle's void example keeps
 * PaymentStatus 'Negotiable' and sets VoidDate) — so when the header is absent it is derived from
 * the body (PaymentId stands in when CheckId is missing, so the mapping can name it): a redelivered
 * payment gets the first answer, a changed payload under the same id/status gets 422. A caller
 * that sends its own key keeps it. (Deliveries are idempotent on the ERP payment id anyway, in
 * payment-processor; this only makes the HTTP contract hold for callers that cannot send keys.)
 */
@Injectable()
export class ErpDeliveryKeyMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    const body: unknown = req.body;
    if (req.headers[IDEMPOTENCY_HEADER] === undefined && typeof body === 'object' && body !== null) {
      const { CheckId, PaymentId, PaymentStatus, VoidDate } = body as Record<string, unknown>;
      const id = CheckId ?? PaymentId;
      if ((typeof id === 'string' || typeof id === 'number') && typeof PaymentStatus === 'string') {
        const voided = typeof VoidDate === 'string' && VoidDate !== '' ? `:void-${VoidDate}` : '';
        req.headers[IDEMPOTENCY_HEADER] = `fusion-payment:${String(id)}:${PaymentStatus}${voided}`;
      }
    }
    next();
  }
}
