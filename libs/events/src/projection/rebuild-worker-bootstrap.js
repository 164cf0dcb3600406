// Worker threads start without the TypeScript loader the main thread has (swc-node, or Jest's
// transform): register it, then run the worker written in TypeScript.
require('@swc-node/register');
require('./rebuild-worker.ts');
