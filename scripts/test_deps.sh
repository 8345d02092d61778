#!/usr/bin/env bash
# What the browser tests need beyond the Python environments: Debian's Chromium and the pinned
# axe-core from npm. Installed only when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "Chromium is needed for the browser tests: run 'sudo apt-get install chromium' first." >&2
        exit 1
    fi
    echo "==> Installing Chromium from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "==> Installing axe-core from package-lock.json"
    npm ci --no-audit --no-fund --silent
fi
