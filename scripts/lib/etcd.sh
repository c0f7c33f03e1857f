#!/usr/bin/env bash
# etcd for a Switchyard cluster on one machine, without systemd: Debian's
# etcd-server (3.4) on private ports with a private data directory, one
# member or three. For a lab or a manual try; the tests start their own
# members through test/helpers/etcd.ts (same flags, free ports, temp dirs).
#
#   scripts/lib/etcd.sh install                 # etcd-server + etcd-client (as root)
#   scripts/lib/etcd.sh start DIR [1|3] [PORT]  # members under DIR, client ports PORT, PORT+2, PORT+4
#                                               # (peer port = client port + 1; default PORT 23790);
#                                               # prints the --cluster argument on stdout
#   scripts/lib/etcd.sh status DIR              # exit 0 when every member answers /health
#   scripts/lib/etcd.sh stop DIR                # stops the members started in DIR (by their pidfiles)
#
#   url=$(scripts/lib/etcd.sh start /tmp/sy-etcd 3)
#   switchyard start --cluster "$url" --node-id a
#
# Only the processes whose pids this script wrote into DIR are ever stopped.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TIMEOUT=${ETCD_START_TIMEOUT:-30}

log() { echo "etcd: $*" >&2; }
usage() { echo "usage: $0 install | start DIR [1|3] [PORT] | status DIR | stop DIR" >&2; exit 2; }

healthy() { curl -fsS --max-time 2 "http://127.0.0.1:$1/health" 2>/dev/null | grep -q '"health":"true"'; }

cmd_install() {
  "$HERE/ensure-packages.sh" etcd-server etcd-client curl
}

cmd_start() {
  local dir=${1:-} n=${2:-1} base=${3:-23790} i cluster="" urls="" name client peer
  [ -n "$dir" ] || usage
  case "$n" in 1|3) ;; *) log "members must be 1 or 3, got $n"; exit 2 ;; esac
  command -v etcd >/dev/null 2>&1 || cmd_install
  mkdir -p "$dir"
  for ((i = 0; i < n; i++)); do
    client=$((base + 2 * i)); peer=$((client + 1))
    cluster+="${cluster:+,}m$i=http://127.0.0.1:$peer"
    urls+="${urls:+,}127.0.0.1:$client"
  done
  for ((i = 0; i < n; i++)); do
    name=m$i; client=$((base + 2 * i)); peer=$((client + 1))
    if [ -f "$dir/$name.pid" ] && kill -0 "$(cat "$dir/$name.pid")" 2>/dev/null; then
      log "$name already running (pid $(cat "$dir/$name.pid"))"; continue
    fi
    nohup etcd --name "$name" --data-dir "$dir/$name" \
      --listen-client-urls "http://127.0.0.1:$client" --advertise-client-urls "http://127.0.0.1:$client" \
      --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
      --initial-cluster "$cluster" --initial-cluster-token "switchyard-$(basename "$dir")" \
      --initial-cluster-state new --log-level warn >"$dir/$name.log" 2>&1 </dev/null &
    echo $! >"$dir/$name.pid"
    echo "$client" >"$dir/$name.port"
  done
  local deadline=$((SECONDS + TIMEOUT))
  for ((i = 0; i < n; i++)); do
    client=$((base + 2 * i))
    until healthy "$client"; do
      if [ "$SECONDS" -ge "$deadline" ]; then log "member m$i (127.0.0.1:$client) not healthy after ${TIMEOUT}s; see $dir/m$i.log"; exit 1; fi
      sleep 0.2
    done
  done
  log "$n member(s) healthy in $dir"
  echo "etcd://$urls"
}

members() { ls "$1"/m*.pid 2>/dev/null || true; }

cmd_status() {
  local dir=${1:-} f ok=0 name port
  [ -n "$dir" ] || usage
  for f in $(members "$dir"); do
    name=$(basename "$f" .pid)
    port=$(cat "$dir/$name.port" 2>/dev/null || true)
    if [ -n "$port" ] && healthy "$port"; then echo "etcd: $name healthy on 127.0.0.1:$port"; else echo "etcd: $name not healthy"; ok=1; fi
  done
  [ -n "$(members "$dir")" ] || { echo "etcd: nothing started in $dir"; return 1; }
  return $ok
}

cmd_stop() {
  local dir=${1:-} f pid
  [ -n "$dir" ] || usage
  for f in $(members "$dir"); do
    pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    fi
    rm -f "$f"
  done
}

case "${1:-}" in
  install) cmd_install ;;
  start) shift; cmd_start "$@" ;;
  status) shift; cmd_status "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  *) usage ;;
esac
