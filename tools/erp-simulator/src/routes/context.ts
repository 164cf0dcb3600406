import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/authenticator';
import type { CallLog } from '../call-log';
import type { DeliveryResult, DeliveryTarget } from '../delivery';
import type { FaultInjector } from '../fault-injector';
import type { SimulatorSettings } from '../options';
import type { InvoiceStore } from '../resources/invoices';
import type { Payment, PaymentStore } from '../resources/payments';
import type { PurchaseOrderStore } from '../resources/purchase-orders';
import type { ReceiptStore } from '../resources/receipts';
import type { SupplierStore } from '../resources/suppliers';

/** The simulator's in-memory state, for in-process assertions (the admin API exposes the same). */
export interface ErpSimulatorState {
  /** Payables invoices (named postings: every create is one, see InvoiceStore). */
  readonly postings: InvoiceStore;
  readonly faults: FaultInjector;
  readonly payments: PaymentStore;
  readonly suppliers: SupplierStore;
  readonly purchaseOrders: PurchaseOrderStore;
  readonly receipts: ReceiptStore;
  readonly calls: CallLog;
  readonly auth: Authenticator;
}

export type PaymentEvent = 'payment.issued' | 'payment.cleared' | 'payment.voided';

/** What route modules share. */
export interface SimulatorContext {
  readonly state: ErpSimulatorState;
  readonly settings: SimulatorSettings;
  readonly logger: Logger;
  /** Holds a request open for `ms`, then drops the socket without an answer. */
  hang(req: IncomingMessage, res: ServerResponse, ms: number): void;
  deliver(payment: Payment, target: DeliveryTarget | undefined, event: PaymentEvent): Promise<(DeliveryResult & { CheckId: number }) | undefined>;
}

export function eventOf(payment: Payment): PaymentEvent {
  return payment.PaymentStatus === 'Cleared' ? 'payment.cleared' : payment.PaymentStatus === 'Voided' ? 'payment.voided' : 'payment.issued';
}

/** A numeric path id; 404 when it is not one (Fusion answers 404 for an unknown key). */
export function idParam(raw: string | undefined): number {
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : -1;
}
