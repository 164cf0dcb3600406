/**
 * `@finmesh/connectors`: finmesh's live edge to the platforms' APIs — credentials (env or
 * files, never logged), authentication (HTTP Basic, OAuth 2.0 client credentials with cached,
 * early-refreshed tokens), one HTTP client whose errors say whether to retry, and the pollers
 * (a LastUpdateDate watermark for Fusion, the exported flag for Coupa) with their ledger, leader
 * lock and backoff. Mapping a record stays in `@finmesh/adapters`; publishing stays in the
 * service's outbox.
 */
export * from './credentials/secret';
export * from './credentials/platform-auth-settings';
export * from './auth/authorizer';
export * from './auth/basic-authorizer';
export * from './auth/client-credentials-authorizer';
export * from './auth/authorizer-for';
export * from './http/platform-errors';
export * from './http/platform-http-client';
export * from './observability/connector-observer';
export * from './observability/connector-metrics';
export * from './polling/polled-record';
export * from './polling/poll-tables';
export * from './polling/poll-ledger';
export * from './polling/apply-page';
export * from './polling/poll-cycle';
export * from './polling/poller';
export * from './fusion/fusion-collection-source';
export * from './coupa/coupa-exported-source';
export * from './coupa/coupa-updated-source';
export * from './polling/polling-runtime';
export * from './connections/platform-connection';
export * from './polling/poll-settings';
export * from './polling/poll-context';
export * from './fusion/fusion-poll';
export * from './coupa/coupa-poll';
export * from './fusion/fusion-collection-reader';
export * from './delivery/clock';
export * from './delivery/token-bucket';
export * from './delivery/circuit-breaker';
export * from './delivery/delivery-tables';
export * from './delivery/delivery-ledger';
export * from './delivery/delivery-observer';
export * from './delivery/delivery-metrics';
export * from './delivery/platform-sink';
export * from './delivery/sink-leadership';
export * from './delivery/delivery-settings';
export * from './delivery/delivery-history';
export * from './coupa/coupa-collection-reader';
