/** Entry point of the procurement (Coupa) simulator for tests, the demo and the stack: start one in process. */
export * from './server';
/** Building blocks shared with tools/ap-simulator. */
export * as coupaKit from './kit';
