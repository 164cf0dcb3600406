// Dead-letter inspection and replay, and consumer-group offset resets (ops tooling).
export * from './dead-letter-record';
export * from './dead-letter-filter';
export * from './dead-letter-summary';
export * from './dead-letter-reader';
export * from './replay-ledger';
export * from './dead-letter-replay';
export * from './consumer-group-reset';
