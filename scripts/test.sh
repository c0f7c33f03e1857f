#!/usr/bin/env bash
# The whole test suite from a fresh clone: npm packages, Debian packages and
# Open vSwitch are installed/started here when running as root. Without root
# the tests that need them say so in one line and the rest still run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/lib/npm-deps.sh
if [ "$(id -u)" = 0 ]; then
  bash scripts/lib/ensure-packages.sh openvswitch-switch tshark mininet iproute2 iputils-ping openssl ethtool iperf3 docker.io busybox-static chromium python3-os-ken
  bash scripts/lib/ovs.sh start
  bash scripts/lib/docker.sh start
else
  echo "not root: Open vSwitch and tshark cannot be installed or started; tests that need them will skip"
fi
npm run --silent typecheck
npm run --silent build
if [ $# -gt 0 ]; then exec npx tap "$@"; fi
# Unit and fake-switch tests in parallel, then the tests that drive real
# Open vSwitch and Mininet one file at a time (they share the machine's datapath).
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
npx tap --exclude='test/integration/**' 2>&1 | tee -a "$log" || status=1
npx tap --jobs=1 'test/integration/**/*.test.ts' 2>&1 | tee -a "$log" || status=1
# One closing line over both runs, from tap's own counts.
node -e '
  let pass = 0, fail = 0, skip = 0;
  for (const m of require("fs").readFileSync(process.argv[1], "utf8").matchAll(/^# \{ total: \d+(.*)\}$/gm)) {
    pass += Number(/pass: (\d+)/.exec(m[1])?.[1] ?? 0);
    fail += Number(/fail: (\d+)/.exec(m[1])?.[1] ?? 0);
    skip += Number(/skip: (\d+)/.exec(m[1])?.[1] ?? 0);
  }
  console.log(`${pass} passed, ${fail} failed, ${skip} skipped`);
' "$log"
exit $status
