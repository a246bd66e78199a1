#!/usr/bin/env bash
# Installs what a fresh machine lacks: npm packages (which also verify and convert the bundled backbone)
# and, when asked with --browser, Debian's Chromium for the browser tests. Nothing else is downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--browser" ]] && ! [ -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium for the browser tests"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

if ! [ -d node_modules ] || ! [ node_modules/.package-lock.json -nt package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
