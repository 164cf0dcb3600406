/**
 * What the connectors report, for metrics and alerts. Labels stay low-cardinality: platform,
 * operation (a resource name such as 'payablesPayments', never an id) and outcome.
 */
export type CallOutcome = 'ok' | 'auth_refused' | 'rate_limited' | 'unavailable' | 'refused' | 'bad_response';

export interface PlatformCallObservation {
  readonly platform: string;
  readonly operation: string;
  readonly outcome: CallOutcome;
  readonly seconds: number;
}

export interface PollObservation {
  readonly platform: string;
  readonly resource: string;
  /** Records the platform returned in this cycle, and how many were new (not seen before). */
  readonly fetched: number;
  readonly processed: number;
  readonly rejected: number;
  readonly seconds: number;
}

export interface PollLagObservation {
  readonly platform: string;
  readonly resource: string;
  /** Change at the platform (its LastUpdateDate / updated-at) -> committed in finmesh. */
  readonly seconds: number;
}

export type PollerState = 'standby' | 'polling' | 'backing_off' | 'stopped_auth' | 'stopped';

export interface ConnectorObserver {
  platformCall?(observation: PlatformCallObservation): void;
  pollFinished?(observation: PollObservation): void;
  recordLag?(observation: PollLagObservation): void;
  pollerState?(platform: string, resource: string, state: PollerState): void;
  tokenFetched?(platform: string, lifetimeSeconds: number): void;
}
