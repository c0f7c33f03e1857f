#!/usr/bin/env bash
# Open vSwitch without systemd (see /work/shared/notes/lab-machine.md).
#
#   scripts/lib/ovs.sh start    # idempotent: starts only what is not running
#   scripts/lib/ovs.sh status   # exit 0 when ovsdb-server and ovs-vswitchd answer
#
# Works without systemd or Docker: ovsdb-server and ovs-vswitchd are started
# as detached daemons with pidfiles in /var/run/openvswitch. Bridges must use
# the userspace datapath (datapath_type=netdev): there is no kernel module.
# Never runs `mn -c` and never touches bridges.
#
# Environment: OVS_START_TIMEOUT (seconds, default 20) bounds every wait.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUN_DIR=/var/run/openvswitch
ETC_DIR=/etc/openvswitch
LOG_DIR=/var/log/openvswitch
DB=$ETC_DIR/conf.db
SCHEMA=/usr/share/openvswitch/vswitch.ovsschema
TIMEOUT=${OVS_START_TIMEOUT:-20}

log() { echo "ovs: $*" >&2; }

# pid from a pidfile when that process is alive, else nothing (exit 1)
live_pid() {
  local f=$RUN_DIR/$1.pid pid
  [ -r "$f" ] || return 1
  pid=$(tr -dc '0-9' <"$f")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

# (subshells with "exit $?" so that bash's "Alarm clock" note for a timed-out
# ovs-vsctl goes to /dev/null too)
db_answers() { ( ovs-vsctl --timeout=2 show; exit $? ) >/dev/null 2>&1; }
db_init() { ( ovs-vsctl --timeout=2 --no-wait init; exit $? ) >/dev/null 2>&1; }
vswitchd_answers() { ( ovs-appctl --timeout=2 -t ovs-vswitchd version; exit $? ) >/dev/null 2>&1; }

# poll CMD... every 0.1 s until it succeeds or TIMEOUT seconds pass
wait_for() {
  local what=$1; shift
  local deadline=$((SECONDS + TIMEOUT))
  until "$@"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "timed out after ${TIMEOUT}s waiting for $what"
      return 1
    fi
    sleep 0.1
  done
}

ensure_installed() {
  if ! command -v ovs-vsctl >/dev/null 2>&1 || ! command -v ovs-vswitchd >/dev/null 2>&1; then
    "$HERE/ensure-packages.sh" openvswitch-switch
  fi
}

start_db() {
  if live_pid ovsdb-server >/dev/null && db_answers; then
    return 0
  fi
  mkdir -p "$RUN_DIR" "$ETC_DIR" "$LOG_DIR"
  # Debian's conf.db is a symlink into /var/lib/openvswitch: make its target dir
  if [ -L "$DB" ]; then mkdir -p "$(dirname "$(readlink -f "$DB")")"; fi
  if [ ! -f "$DB" ]; then
    log "creating $DB"
    ovsdb-tool create "$DB" "$SCHEMA"
  elif [ "$(ovsdb-tool needs-conversion "$DB" "$SCHEMA" 2>/dev/null || echo no)" = yes ]; then
    log "converting $DB to the installed schema"
    ovsdb-tool convert "$DB" "$SCHEMA"
  fi
  if ! live_pid ovsdb-server >/dev/null; then
    log "starting ovsdb-server"
    ovsdb-server "$DB" --remote=punix:$RUN_DIR/db.sock \
      --remote=db:Open_vSwitch,Open_vSwitch,manager_options \
      --pidfile --detach --log-file -vconsole:warn ||
      log "ovsdb-server did not start (already started by someone else?); waiting for it"
  fi
  # a fresh database has no Open_vSwitch row yet (`show` would block): init first
  wait_for "ovsdb-server (ovs-vsctl init)" db_init
  wait_for "ovsdb-server (ovs-vsctl show)" db_answers
}

start_vswitchd() {
  if live_pid ovs-vswitchd >/dev/null && vswitchd_answers; then
    return 0
  fi
  if ! live_pid ovs-vswitchd >/dev/null; then
    log "starting ovs-vswitchd (userspace datapath; the kernel-module warning is expected)"
    ovs-vswitchd --pidfile --detach --log-file -vconsole:warn ||
      log "ovs-vswitchd did not start (already started by someone else?); waiting for it"
  fi
  wait_for "ovs-vswitchd (ovs-appctl version)" vswitchd_answers
}

cmd_start() {
  ensure_installed
  start_db
  start_vswitchd
  wait_for "ovs-vsctl show" db_answers
}

cmd_status() {
  local rc=0 pid
  if ! command -v ovs-vsctl >/dev/null 2>&1; then
    echo "openvswitch: not installed"
    return 3
  fi
  if pid=$(live_pid ovsdb-server) && db_answers; then
    echo "ovsdb-server: running (pid $pid)"
  else
    echo "ovsdb-server: not running"; rc=1
  fi
  if pid=$(live_pid ovs-vswitchd) && vswitchd_answers; then
    echo "ovs-vswitchd: running (pid $pid), $(ovs-vswitchd --version | head -n1)"
  else
    echo "ovs-vswitchd: not running"; rc=1
  fi
  if [ "$rc" -eq 0 ]; then
    echo "bridges: $(ovs-vsctl --timeout=2 list-br | tr '\n' ' ')"
  fi
  return "$rc"
}

case "${1:-}" in
  start) cmd_start ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|status" >&2; exit 2 ;;
esac
