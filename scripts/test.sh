#!/usr/bin/env bash
# The whole test suite from a fresh clone: npm packages, Debian packages and
# Open vSwitch are installed/started here when running as root. Without root
# the tests that need them say so in one line and the rest still run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/lib/npm-deps.sh
if [ "$(id -u)" = 0 ]; then
  bash scripts/lib/ensure-packages.sh openvswitch-switch tshark
  bash scripts/lib/ovs.sh start
else
  echo "not root: Open vSwitch and tshark cannot be installed or started; tests that need them will skip"
fi
npm run --silent typecheck
npm run --silent build
if [ $# -gt 0 ]; then exec npx tap "$@"; fi
# Unit and fake-switch tests in parallel, then the tests that drive real
# Open vSwitch and Mininet one file at a time (they share the machine's datapath).
npx tap --exclude='test/integration/**'
npx tap --jobs=1 'test/integration/**/*.test.ts'
