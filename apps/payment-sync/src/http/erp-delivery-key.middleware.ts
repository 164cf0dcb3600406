import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { IDEMPOTENCY_HEADER } from '@finmesh/service-kit';

/**
 * The ERP's payment webhook (Fusion, and the ERP simulator) sends no Idempotency-Key, but the
 * endpoint is @Idempotent and would answer 400. A delivery has a natural key — the ERP payment id
 * and its status — so when the header is absent it is derived from the body: a redelivered
 * payment gets the first answer, a changed payload under the same id/status gets 422. A caller
 * that sends its own key keeps it. (Deliveries are idempotent on the ERP payment id anyway, in
 * payment-processor; this only makes the HTTP contract hold for callers that cannot send keys.)
 */
@Injectable()
export class ErpDeliveryKeyMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    const body: unknown = req.body;
    if (req.headers[IDEMPOTENCY_HEADER] === undefined && typeof body === 'object' && body !== null) {
      const { PaymentId, PaymentStatus } = body as Record<string, unknown>;
      if ((typeof PaymentId === 'string' || typeof PaymentId === 'number') && typeof PaymentStatus === 'string') {
        req.headers[IDEMPOTENCY_HEADER] = `fusion-payment:${String(PaymentId)}:${PaymentStatus}`;
      }
    }
    next();
  }
}
