import { runCli } from './cli';

// `npx finmesh ...` (via bin/finmesh.js) or `node -r @swc-node/register apps/ops-cli/src/main.ts ...`.
runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`finmesh: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
