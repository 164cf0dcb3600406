/** `@finmesh/simulator-kit`: the HTTP plumbing the platform simulators share (listening, held requests, CLI main). */
export * from './held-requests';
export * from './listen';
export * from './simulator-main';
