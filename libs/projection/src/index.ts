/**
 * `@finmesh/projection`: read models built from the event history. Tables and their row stores,
 * projected events, the live-projection handlers, and the rebuild by replay (history reader,
 * worker-thread participants, bulk COPY loads, staging and the atomic switch-over). It loads no
 * NestJS or OpenTelemetry: a rebuild worker thread imports it through the projection module.
 */
export * from './read-model-table';
export * from './row-store';
export * from './sql-row-store';
export * from './bulk-load';
export * from './maybe-async';
export * from './staging-load';
export * from './table-checksum';
export * from './read-model-projection';
export * from './read-model-switch';
export * from './projected-event';
export * from './history-reader';
export * from './rebuild-participant';
export * from './rebuild-worker-protocol';
export * from './projection-rebuild';
export * from './live-projection-handlers';
