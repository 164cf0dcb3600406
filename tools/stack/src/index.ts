/** Entry point of the local stack tooling for the demo and tests: the service catalog and the dev JWT secret. */
export * from './service-catalog';
export * from './dev-secret';
export * from './service-supervisor';
