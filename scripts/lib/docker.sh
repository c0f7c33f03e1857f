#!/usr/bin/env bash
# The Docker engine without systemd, and the offline busybox image the tests
# and labs run (no registry is reachable: the image is built from Debian's
# busybox-static; see /work/shared/notes/lab-machine.md).
#
#   scripts/lib/docker.sh start    # idempotent: installs, starts dockerd, imports local/busybox:1
#   scripts/lib/docker.sh status   # exit 0 when the engine answers
#
# dockerd runs with --iptables=false --bridge=none: containers get their
# network from Switchyard (or --network none), never from Docker's bridge,
# and the machine's firewall is left alone. Never stops a running daemon.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
IMAGE=${SWITCHYARD_TEST_IMAGE:-local/busybox:1}
TIMEOUT=${DOCKER_START_TIMEOUT:-30}
LOG=/var/log/switchyard-dockerd.log

log() { echo "docker: $*" >&2; }
engine_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

wait_for() {
  local what=$1; shift
  local deadline=$((SECONDS + TIMEOUT))
  until "$@"; do
    if [ "$SECONDS" -ge "$deadline" ]; then log "timed out after ${TIMEOUT}s waiting for $what (see $LOG)"; return 1; fi
    sleep 0.2
  done
}

ensure_image() {
  docker image inspect "$IMAGE" >/dev/null 2>&1 && return 0
  local busybox root
  busybox=$(command -v busybox || echo /bin/busybox)
  [ -x "$busybox" ] || { log "no busybox binary (package busybox-static)"; return 1; }
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/tmp" "$root/etc"
  cp "$busybox" "$root/bin/busybox"
  for c in sh ip ping ifconfig sleep udhcpc cat nc wget httpd ls echo hostname route arp true false kill ps; do
    ln -sf busybox "$root/bin/$c"
  done
  log "importing $IMAGE from $busybox"
  tar -C "$root" -c . | docker import - "$IMAGE" >/dev/null
  rm -rf "$root"
}

cmd_start() {
  if ! command -v dockerd >/dev/null 2>&1 || ! command -v busybox >/dev/null 2>&1; then
    "$HERE/ensure-packages.sh" docker.io busybox-static
  fi
  if ! engine_answers; then
    log "starting dockerd (--iptables=false --bridge=none), log in $LOG"
    mkdir -p /run/docker/plugins
    nohup dockerd --iptables=false --bridge=none >"$LOG" 2>&1 </dev/null &
    wait_for "dockerd" engine_answers
  fi
  ensure_image
}

cmd_status() {
  if engine_answers; then echo "docker: running, engine $(docker version --format '{{.Server.Version}}')"; else echo "docker: not running"; return 1; fi
}

case "${1:-}" in
  start) cmd_start ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|status" >&2; exit 2 ;;
esac
