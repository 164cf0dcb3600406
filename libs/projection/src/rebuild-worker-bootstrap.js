// Worker threads start without the TypeScript loader the main thread has (swc-node, or Jest's
// transform). This gives them one: each .ts file is compiled by @swc/core with the options
// @swc-node/register derives from tsconfig.base.json (ES2022, CommonJS, legacy decorators with
// metadata, the path aliases). It is not @swc-node/register itself because that loads the
// TypeScript compiler to read tsconfig: about 0.6 s of CPU in every worker before it could read
// a single event, where this takes a few milliseconds.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { transformSync } = require('@swc/core');

const ROOT = path.resolve(__dirname, '../../..');
const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.base.json'), 'utf8'));
const baseUrl = path.resolve(ROOT, compilerOptions.baseUrl ?? '.');
const options = {
  swcrc: false,
  sourceMaps: 'inline',
  module: { type: 'commonjs' },
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
    target: 'es2022',
    keepClassNames: true,
    baseUrl,
    paths: Object.fromEntries(Object.entries(compilerOptions.paths ?? {}).map(([alias, targets]) => [alias, targets.map((t) => path.resolve(baseUrl, t))])),
  },
};

// Stack traces point into the TypeScript sources (inline source maps).
process.setSourceMapsEnabled(true);
require.extensions['.ts'] = (module, filename) => {
  module._compile(transformSync(fs.readFileSync(filename, 'utf8'), { ...options, filename }).code, filename);
};
require('./rebuild-worker.ts');
