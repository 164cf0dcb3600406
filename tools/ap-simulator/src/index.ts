/** Entry point of the AP platform simulator for tests, the demo and the stack: start one in process. */
export * from './server';
export { DEFAULT_DISPUTE_REASONS } from './ap-invoices';
