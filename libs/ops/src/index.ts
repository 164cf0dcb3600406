/**
 * `@finmesh/ops`: what operators repair and inspect with: dead-letter inspection, replay and
 * purge (each with its ledger), consumer-group resets, consumer lag, topic inspection and the
 * registry-versus-contracts diff. Used by the `finmesh` CLI and the services' admin APIs.
 */
export * from './replay';
export * from './purge/purge-ledger';
export * from './purge/dead-letter-purge';
export * from './lag/consumer-lag';
export * from './topics/topic-inspection';
export * from './registry/registry-diff';
export * from './convergence/differences';
export * from './convergence/erp-view';
export * from './convergence/coupa-views';
