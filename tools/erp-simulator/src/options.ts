import type { Logger } from 'pino';
import type { AuthOptions } from './auth/credentials';

export interface ErpSimulatorOptions {
  /** 0 (default) = any free port. */
  readonly port?: number;
  readonly host?: '127.0.0.1' | string;
  /** How long a `timeout` fault holds a request before dropping the socket. Default 30 s. */
  readonly hangMs?: number;
  /** Max JSON body size. Default 1 MiB. */
  readonly bodyLimitBytes?: number;
  /** Per-delivery timeout for payment webhooks. Default 5 s. */
  readonly deliveryTimeoutMs?: number;
  /** Users (HTTP Basic), OAuth clients and anonymous access; dev defaults finmesh / finmesh-dev. */
  readonly auth?: AuthOptions;
  /** Lifetime of tokens from POST /oauth2/v1/token. Default 3600. */
  readonly tokenTtlSeconds?: number;
  /**
   * 'enforce' (default): a PO-matched invoice line or a receipt line must name a submitted PO's
   * line and schedule, as Fusion requires. 'off': PO references are accepted unchecked.
   */
  readonly purchaseOrderCheck?: 'enforce' | 'off';
  /**
   * Invoices validate automatically this long after creation (0, the default: at once, seen on the
   * next read); null = only through POST …/invoices/action/validateInvoice.
   */
  readonly validationDelayMs?: number | null;
  /** How many calls GET /__admin/calls keeps. Default 1000. */
  readonly callLogSize?: number;
  /** Default: silent. */
  readonly logger?: Logger;
}

export interface SimulatorSettings {
  readonly hangMs: number;
  readonly bodyLimit: number;
  readonly deliveryTimeoutMs: number;
  readonly purchaseOrderCheck: 'enforce' | 'off';
}
