// Append-only, hash-chained audit trail of state transitions and operator actions.
export * from './audit-entry';
export * from './audit-masking';
export * from './audit-hash';
export * from './audit-table';
export * from './audit-writer';
export * from './audit-verification';
export * from './operator-audit';
