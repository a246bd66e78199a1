#!/usr/bin/env bash
# Runs every test (type-check, lint, unit tests, production build, browser tests in Debian's Chromium),
# installing what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
npm test
