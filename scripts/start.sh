#!/usr/bin/env bash
# Quick start: install what is missing, build (when stale), and run the controller in the
# foreground with its default apps. As root with Mininet available (installed
# here if missing), a demo network (tree,2,2: 3 switches, 4 hosts) is started
# against it and removed again on exit; SWITCHYARD_DEMO=0 turns that off.
# Extra arguments go to `switchyard start`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/lib/npm-deps.sh
# Builds only when a source (src, bench, ui, the build configs) changed since the last build.
node scripts/lib/build-if-stale.mjs

demo=${SWITCHYARD_DEMO:-1}
if [ "$demo" = 1 ] && [ "$(id -u)" = 0 ]; then
  bash scripts/lib/ensure-packages.sh openvswitch-switch mininet iproute2 iputils-ping >/dev/null || demo=0
  [ "$demo" = 1 ] && { bash scripts/lib/ovs.sh start >/dev/null || demo=0; }
else
  demo=0
fi
if [ "$demo" = 0 ]; then
  exec node bin/switchyard.js start "$@"
fi

# The demo network follows the controller's OpenFlow port.
of_port=6653
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  [ "${args[$i]}" = --of-port ] && of_port=${args[$((i + 1))]:-6653}
done

node bin/switchyard.js start "$@" &
ctl=$!
fifo=$(mktemp -u)
mkfifo "$fifo"
exec 3<>"$fifo"   # the driver runs until this stays open; closing it tears the network down
rm -f "$fifo"
/usr/bin/python3 mininet/driver.py "{\"topo\": \"tree,2,2\", \"prefix\": \"demo\", \"controller\": {\"ip\": \"127.0.0.1\", \"port\": $of_port}}" <&3 >/dev/null 2>&1 &
drv=$!
echo "demo network: Mininet tree,2,2 (switches demos1-demos3, hosts demoh1-demoh4) -> OpenFlow port $of_port; Ctrl-C stops both" >&2
stop() {
  exec 3>&-
  kill -TERM "$drv" 2>/dev/null || true
  wait "$drv" 2>/dev/null || true
  kill -TERM "$ctl" 2>/dev/null || true
  wait "$ctl" 2>/dev/null || true
}
trap stop INT TERM EXIT
wait "$ctl"
