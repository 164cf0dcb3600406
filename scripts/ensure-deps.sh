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

# The dashboard test drives Debian's chromium through playwright-core (no bundled browser download).
if [ -x /usr/bin/chromium ]; then
  echo "==> chromium present (/usr/bin/chromium)"
elif [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> installing chromium (apt-get) for the dashboard browser test"
  # Not fatal (no mirror reachable, say): the services run without it; only the browser test needs it.
  if ! { DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium; }; then
    echo "==> chromium could not be installed; the dashboard browser test will fail until 'apt-get install -y chromium' succeeds"
  fi
else
  echo "==> chromium missing at /usr/bin/chromium and not installable here (needs root and apt-get):"
  echo "    install it with 'sudo apt-get install -y chromium'; the dashboard browser test fails without it"
fi
