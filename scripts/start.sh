#!/usr/bin/env bash
# Quick start: install what is missing, build, and run the controller in the
# foreground. Extra arguments go to `switchyard start`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/lib/npm-deps.sh
npm run --silent build
exec node bin/switchyard.js start "$@"
