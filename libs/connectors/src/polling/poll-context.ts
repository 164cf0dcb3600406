import type { SqlExecutor } from '@finmesh/persistence';
import type { PlatformHttpClient } from '../http/platform-http-client';
import type { ConnectorObserver } from '../observability/connector-observer';
import type { PollLedger } from './poll-ledger';
import type { PollSettings } from './poll-settings';
import type { TransactionRunner } from './polled-record';

/** What every poll of one platform in one service shares. */
export interface PollContext<Tx extends SqlExecutor> {
  readonly client: PlatformHttpClient;
  readonly ledger: PollLedger;
  readonly transaction: TransactionRunner<Tx>;
  readonly settings: PollSettings;
  readonly observer?: ConnectorObserver;
}
