#!/usr/bin/env bash
# The 1,000,000-frame fuzzing peer (issue 15): the CI test at soak size.
# Prints the figures line ("fuzz-peer: ...") docs/reliability.md quotes.
#   bash scripts/soak/fuzz-peer.sh [FRAMES] [SEED]
set -euo pipefail
cd "$(dirname "$0")/../.."
export SY_FUZZ_PEER_FRAMES="${1:-1000000}"
export SY_FUZZ_PEER_SEED="${2:-$(( $(date +%s) % 1000000 ))}"
export SY_FUZZ_PEER_PER_CONNECTION="${SY_FUZZ_PEER_PER_CONNECTION:-2000}"
exec npx tap --timeout 3600 --reporter tap test/openflow/fuzz-peer.test.ts
