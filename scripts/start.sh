#!/usr/bin/env bash
# `npm start`: dependencies, infrastructure, topics and contracts, the services and the ERP
# simulator, then the source-to-pay demo flow (skip it with FINMESH_SKIP_DEMO=1).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
node -r @swc-node/register tools/stack/src/stack-cli.ts up
if [ "${FINMESH_SKIP_DEMO:-0}" != "1" ]; then
  echo "==> source-to-pay demo (procurement → AP → finmesh → ERP → payment)"
  node -r @swc-node/register tools/demo/src/demo-cli.ts
fi
