#!/usr/bin/env bash
# What the tests need beyond the Python environments: Debian's Chromium and the pinned axe-core
# and GOV.UK Frontend from npm (browser tests, the staff console), and Debian's PostgreSQL server binaries (the app database's tests start
# their own throwaway server from them; the packaged 'main' cluster is never started), Redis and
# nginx (the scale-out test starts its own, unprivileged, on loopback: bench/services.py).
# Installed only when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
if [ ! -x /usr/bin/chromium ]; then
    missing+=(chromium fonts-dejavu-core)
fi
if ! compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null; then
    missing+=(postgresql)
fi
if [ ! -x /usr/bin/redis-server ]; then
    missing+=(redis-server)
fi
if [ ! -x /usr/sbin/nginx ]; then
    missing+=(nginx)
fi
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "The tests need Debian packages that are missing: run 'sudo apt-get install ${missing[*]}' first." >&2
        exit 1
    fi
    echo "==> Installing from Debian's packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -f node_modules/govuk-frontend/package.json ] \
    || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "==> Installing axe-core and GOV.UK Frontend (the staff console's styles) from package-lock.json"
    npm ci --no-audit --no-fund --silent
fi
