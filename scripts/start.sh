#!/usr/bin/env bash
# `npm start`: dependencies, infrastructure, topics and contracts, the five services.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
node -r @swc-node/register tools/stack/src/stack-cli.ts up
