#!/usr/bin/env bash
# Install the Debian packages a script needs, only those not yet installed.
#
#   scripts/lib/ensure-packages.sh openvswitch-switch tshark mininet ...
#
# An argument may also be a command name; it is mapped to its package:
#   ovs-vsctl -> openvswitch-switch   tshark -> tshark   mn -> mininet
#   osken-manager -> python3-os-ken   ping -> iputils-ping   ip -> iproute2
#
# Idempotent: a package is missing when dpkg-query does not report it
# "install ok installed" (or, where dpkg-query does not exist, when its
# command is not on PATH). When something is missing and we run as root:
# one `apt-get update`, then one non-interactive `apt-get install -y`.
# Without root: one line on stderr naming what is missing, exit 3.
# Exit codes: 0 all present, 2 usage, 3 missing and not root, other: apt's.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 PACKAGE|COMMAND..." >&2
  exit 2
fi

# package for a command name; a name that is not a known command is a package
pkg_for() {
  case "$1" in
    ovs-vsctl|ovs-ofctl|ovs-vswitchd|ovsdb-server|ovsdb-tool|ovs-appctl) echo openvswitch-switch ;;
    tshark) echo tshark ;;
    mn) echo mininet ;;
    osken-manager) echo python3-os-ken ;;
    ping) echo iputils-ping ;;
    ip) echo iproute2 ;;
    *) echo "$1" ;;
  esac
}

# a command that the package provides, to check when dpkg-query is absent
cmd_for() {
  case "$1" in
    openvswitch-switch) echo ovs-vsctl ;;
    tshark) echo tshark ;;
    mininet) echo mn ;;
    python3-os-ken) echo osken-manager ;;
    iputils-ping) echo ping ;;
    iproute2) echo ip ;;
    *) echo "" ;;
  esac
}

is_installed() {
  local pkg=$1 status cmd
  if command -v dpkg-query >/dev/null 2>&1; then
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = "install ok installed" ]
    return
  fi
  cmd=$(cmd_for "$pkg")
  [ -n "$cmd" ] && command -v "$cmd" >/dev/null 2>&1
}

missing=()
for arg in "$@"; do
  pkg=$(pkg_for "$arg")
  if ! is_installed "$pkg"; then
    case " ${missing[*]-} " in *" $pkg "*) ;; *) missing+=("$pkg") ;; esac
  fi
done

[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-packages: missing Debian packages (need root to install): ${missing[*]}" >&2
  exit 3
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-packages: missing packages and no apt-get on this machine: ${missing[*]}" >&2
  exit 3
fi

export DEBIAN_FRONTEND=noninteractive
for pkg in "${missing[@]}"; do
  if [ "$pkg" = tshark ] || [ "$pkg" = wireshark-common ]; then
    # otherwise wireshark-common asks whether non-root users may capture
    echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  fi
done

echo "ensure-packages: installing ${missing[*]}" >&2
apt-get update
apt-get install -y "${missing[@]}"
