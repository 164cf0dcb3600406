#!/usr/bin/env bash
# Installs npm dependencies when node_modules is missing or older than package-lock.json,
# so `npm start` and `npm test` work on a fresh clone (CI runs on one).
set -euo pipefail
cd "$(dirname "$0")/.."
marker=node_modules/.package-lock.json
if [ ! -f "$marker" ] || [ package-lock.json -nt "$marker" ]; then
  echo "==> installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
else
  echo "==> npm dependencies up to date"
fi
