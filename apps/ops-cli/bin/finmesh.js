#!/usr/bin/env node
// Launcher for the finmesh ops CLI (`npx finmesh`, declared as a bin in the root package.json).
// The CLI is TypeScript run through @swc-node/register like every finmesh process; the repo's
// tsconfig.json is pinned so the @finmesh/* path aliases resolve from any working directory.
'use strict';
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..', '..');
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || path.join(root, 'tsconfig.json');
require(require.resolve('@swc-node/register', { paths: [root] }));
require(path.join(root, 'apps', 'ops-cli', 'src', 'main.ts'));
