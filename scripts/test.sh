#!/usr/bin/env bash
# `npm test`: everything CI checks, on a fresh clone or a warm workspace.
#   1. npm dependencies          4. type check and lint
#   2. schema governance         5. unit tests, then integration tests against the real
#   3. real infrastructure          Kafka (KRaft), Apicurio registry and PostgreSQL
# Extra arguments go to Jest (e.g. `npm test -- libs/messaging`).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

bash scripts/ensure-deps.sh

echo "==> schema governance (parse, compatibility, generated types in sync)"
npm run --silent schemas:check

echo "==> type check"
npx tsc -p tsconfig.json

echo "==> lint"
npx eslint --max-warnings 0 .

echo "==> infrastructure (idempotent: a running stack is reused)"
if [ "${FINMESH_INFRA:-local}" != "containers" ]; then
  node infra/finmesh-infra.mjs up
fi

echo "==> tests"
npx jest --ci --maxWorkers=2 "$@"

echo "==> npm test finished in $(( $(date +%s) - started ))s"
