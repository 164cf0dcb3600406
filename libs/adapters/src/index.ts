// Shared mapping vocabulary
export * from './mapping/mapping-error';
export * from './mapping/mapping-context';
export * from './mapping/field-reader';
export * from './mapping/exact-decimal';
export * from './mapping/amount-checks';
export * from './mapping/payment-terms';
