#!/usr/bin/env bash
# Starts the studio on http://localhost:5173 with the bundled model, installing what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec npx vite --host "${HOST:-localhost}" "$@"
