import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallLog } from './call-log';
import type { Clock } from './clock';
import type { FaultInjector } from './fault-injector';
import type { TokenService } from './oauth';
import type { PurchaseOrderRules } from './purchase-orders';
import type { RateLimiter } from './rate-limiter';
import type { VoidMode } from './receiving-transactions';
import type { ResourceStore } from './resource-store';

/** The simulator's in-memory state, for in-process assertions (the admin API exposes the same). */
export interface ProcurementSimulatorState {
  readonly purchaseOrders: ResourceStore;
  readonly receivingTransactions: ResourceStore;
  readonly invoices: ResourceStore;
  readonly suppliers: ResourceStore;
  /** Remit-to addresses of suppliers (`supplier-id` names the supplier). */
  readonly supplierAddresses: ResourceStore;
  readonly tokens: TokenService;
  readonly faults: FaultInjector;
  readonly calls: CallLog;
  readonly rateLimiter: RateLimiter;
  readonly clock: Clock;
}

export interface SimulatorSettings {
  readonly bodyLimitBytes: number;
  readonly voidMode: VoidMode;
  readonly purchaseOrderRules: PurchaseOrderRules;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, params: string[], url: URL) => Promise<void>;

export interface Route {
  readonly method: string;
  /** Template as faults and the call log name it, e.g. `/api/purchase_orders/:id`. */
  readonly template: string;
  readonly handler: Handler;
  /** Scope a bearer token must carry (API routes); undefined = no authentication. */
  readonly scope?: string;
  /** Faults may apply (API and token routes). */
  readonly faultable?: boolean;
}

/** `GET /api/purchase_orders/:id` style name of a route. */
export const routeName = (r: Pick<Route, 'method' | 'template'>): string => `${r.method} ${r.template}`;

/** Regular expression of a template: `:id` (or any `:name`, e.g. `:supplier_id`) is a positive integer. */
export function templatePattern(template: string): RegExp {
  return new RegExp(`^${template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[a-z_]+\b/g, '(\\d+)')}$`);
}
