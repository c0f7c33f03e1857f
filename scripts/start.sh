#!/usr/bin/env bash
# Quick start: install what is missing, build (when stale), and run the controller with its
# default apps. As root with Mininet available (installed here if missing), a
# demo network (tree,2,2: 3 switches, 4 hosts) is built against it and you get
# Mininet's `mininet>` prompt; it is removed again on exit. SWITCHYARD_DEMO=0
# runs the controller alone in the foreground.
# Extra arguments go to `switchyard start`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/lib/npm-deps.sh
# Builds only when a source (src, bench, ui, the build configs) changed since the last build.
node scripts/lib/build-if-stale.mjs

demo=${SWITCHYARD_DEMO:-1}
if [ "$demo" = 1 ] && [ "$(id -u)" = 0 ]; then
  bash scripts/lib/ensure-packages.sh openvswitch-switch mininet iproute2 iputils-ping tshark >/dev/null || demo=0
  [ "$demo" = 1 ] && { bash scripts/lib/ovs.sh start >/dev/null || demo=0; }
else
  demo=0
fi
if [ "$demo" = 0 ]; then
  exec node bin/switchyard.js start "$@"
fi

# The demo network is a lab (mininet/labs/demo): the controller in the
# foreground with its log in .switchyard/labs/demo/, tshark captures of the
# OpenFlow channel and the switch ports, and Mininet's CLI (`mininet>`).
# `exit` or Ctrl-C at the prompt stops everything it started. Extra
# arguments still go to the controller (they win over the demo's defaults).
# Without a terminal (a service, a pipe) there is no prompt: the network stays up until SIGTERM.
cli=()
[ -t 0 ] || cli=(--no-cli)
exec node bin/switchyard.js lab demo "${cli[@]}" -- "$@"
