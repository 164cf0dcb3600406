/** Entry point of the ERP simulator for tests, the demo and the stack: start one in process. */
export * from './server';
