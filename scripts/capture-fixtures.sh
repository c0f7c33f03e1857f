#!/usr/bin/env bash
# Capture golden OpenFlow 1.3 fixtures from a real Open vSwitch into
# test/fixtures/ovs/ (see the README written there).
#
#   sudo bash scripts/capture-fixtures.sh [OUT_DIR]
#
# Needs root (bridges, namespaces, packet capture). Installs what is missing
# (openvswitch-switch, tshark, iproute2, iputils-ping) and starts OVS without
# systemd. Creates only bridges/namespaces/veths named syfxa0*/syfxb0* (plus
# QoS/Queue rows tagged external_ids:syfx=capture-fixtures) and removes all
# of them, and every process it started, on exit. Never runs `mn -c`. Safe
# to re-run; two runs at once are refused (lock file). Takes about 25 s.
#
# Environment: KEEP_WORK=1 keeps the work directory (raw pcap, JSON lines).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FX=$ROOT/scripts/fixtures
OUT=${1:-$ROOT/test/fixtures/ovs}
# --no-names: otherwise every command first fetches all table features (1.2 MB)
# and the port names, on extra connections
O13=(ovs-ofctl -O OpenFlow13 --timeout=10 --no-names)

log() { echo "capture-fixtures: $*" >&2; }
die() { log "$*"; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
  echo "capture-fixtures: needs root (creates bridges, namespaces and captures on lo)" >&2
  exit 3
fi
command -v node >/dev/null || die "node is required"

"$ROOT/scripts/lib/ensure-packages.sh" openvswitch-switch tshark iproute2 iputils-ping
"$ROOT/scripts/lib/ovs.sh" start

mkdir -p /run/lock
exec 9>/run/lock/syfx-capture-fixtures.lock
flock -n 9 || die "another capture-fixtures run holds /run/lock/syfx-capture-fixtures.lock"

BR_A=syfxa0
BR_B=syfxb0
NAMESPACES=(syfxa0h1 syfxa0h2 syfxb0h1 syfxb0h2)
LINKS=(syfxa0p1 syfxa0p2 syfxa0p3 syfxb0p1 syfxb0p2 syfxb0p3)
PIDS=()
WORK=$(mktemp -d /tmp/syfx-capture.XXXXXX)

remove_our_things() {
  local br ns l
  for br in "$BR_A" "$BR_B"; do ovs-vsctl --timeout=10 --if-exists del-br "$br" 2>/dev/null || true; done
  for ns in "${NAMESPACES[@]}"; do
    if ip netns list 2>/dev/null | grep -qw "^$ns"; then ip netns del "$ns" 2>/dev/null || true; fi
  done
  for l in "${LINKS[@]}"; do
    if ip link show "$l" >/dev/null 2>&1; then ip link del "$l" 2>/dev/null || true; fi
  done
  # QoS and Queue rows are roots in OVSDB: they outlive the port. Ours are tagged.
  local t u
  for t in qos queue; do
    for u in $(ovs-vsctl --timeout=10 --bare --columns=_uuid find "$t" external_ids:syfx=capture-fixtures 2>/dev/null); do
      ovs-vsctl --timeout=10 --if-exists destroy "$t" "$u" 2>/dev/null || true
    done
  done
}

cleanup() {
  local rc=$? pid deadline
  set +e
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  deadline=$((SECONDS + 5))
  for pid in "${PIDS[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  done
  remove_our_things
  if [ "${KEEP_WORK:-0}" = 1 ]; then log "work directory kept: $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_until SECONDS CMD...: poll CMD every 0.1 s, bounded
wait_until() {
  local limit=$1; shift
  local deadline=$((SECONDS + limit))
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}
not_alive() { ! kill -0 "$1" 2>/dev/null; }
file_has() { grep -q -- "$2" "$1" 2>/dev/null; }
nonempty() { [ -s "$1" ]; }
listening() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# bridge BR N: userspace datapath, OpenFlow 1.3 only, fixed dpid and MAC
make_bridge() {
  local br=$1 n=$2
  ovs-vsctl --timeout=10 add-br "$br" -- set bridge "$br" datapath_type=netdev protocols=OpenFlow13 \
    fail-mode=secure other-config:datapath-id=00000000000000"$n"0 other-config:hwaddr=02:00:00:00:"$n"0:00 \
    other-config:disable-in-band=true
}

# host BR N: namespace BRhN with eth0 (10.0.0.N, MAC 02:00:00:00:00:0N) on port N
make_host() {
  local br=$1 n=$2 ns=${1}h$2 port=${1}p$2
  ip netns add "$ns"
  ip link add "$port" address "02:00:00:00:ff:0$n" type veth peer name "$ns" address "02:00:00:00:00:0$n"
  ip link set "$ns" netns "$ns"
  ip -n "$ns" link set "$ns" name eth0
  ip -n "$ns" addr add "10.0.0.$n/24" dev eth0
  ip -n "$ns" link set lo up
  ip -n "$ns" link set eth0 up
  ip link set "$port" up
  ovs-vsctl --timeout=10 add-port "$br" "$port" -- set interface "$port" ofport_request="$n"
}

# two linux-htb queues on port 1, so queue config/stats replies have bodies
make_queues() {
  local port=$1
  ovs-vsctl --timeout=10 -- set port "$port" qos=@q \
    -- --id=@q create qos type=linux-htb other-config:max-rate=100000000 external-ids:syfx=capture-fixtures \
         queues:0=@q0 queues:1=@q1 \
    -- --id=@q0 create queue other-config:min-rate=1000000 other-config:max-rate=10000000 external-ids:syfx=capture-fixtures \
    -- --id=@q1 create queue other-config:min-rate=2000000 other-config:max-rate=20000000 external-ids:syfx=capture-fixtures \
    >/dev/null
}

remove_our_things

###############################################################################
# Part A: OVS connects to fake-controller.mjs, which records both directions
###############################################################################
log "part A: fake controller"
make_bridge "$BR_A" a
make_host "$BR_A" 1
make_host "$BR_A" 2
make_queues "$BR_A"p1
PHASE=$WORK/phase
set_phase() { printf '%s\n' "$1" >"$PHASE"; log "phase: $1"; }
set_phase "setup"
node "$FX/fake-controller.mjs" --port 0 --port-file "$WORK/fc.port" --out "$WORK/fc.jsonl" \
  --phase-file "$PHASE" --ready-file "$WORK/fc.ready" 2>"$WORK/fc.log" &
FC_PID=$!
PIDS+=("$FC_PID")
wait_until 10 nonempty "$WORK/fc.port" || die "fake controller did not start: $(cat "$WORK/fc.log")"
FC_PORT=$(cat "$WORK/fc.port")
ovs-vsctl --timeout=10 set-controller "$BR_A" "tcp:127.0.0.1:$FC_PORT" \
  -- set controller "$BR_A" inactivity_probe=1000 connection_mode=out-of-band
wait_until 150 nonempty "$WORK/fc.ready" || die "fake controller script did not finish: $(tail -5 "$WORK/fc.log")"
[ "$(cat "$WORK/fc.ready")" = ok ] || log "warning: switch closed the connection during the script"

set_phase "ip netns exec syfxa0h1 ping -c 2 10.0.0.2 (table-miss to controller; it floods)"
ip netns exec syfxa0h1 ping -c 2 -i 0.3 -W 1 10.0.0.2 >/dev/null 2>&1 || log "ping h1->h2 failed (fine for capture)"
set_phase "ip netns exec syfxa0h2 ping -6 -c 1 ff02::1%eth0"
ip netns exec syfxa0h2 ping -6 -c 1 -W 1 ff02::1%eth0 >/dev/null 2>&1 || true
set_phase "ovs-vsctl add-port syfxa0 syfxa0p3 (type=internal)"
ovs-vsctl --timeout=10 add-port "$BR_A" syfxa0p3 -- set interface syfxa0p3 type=internal ofport_request=3
wait_until 5 file_has "$WORK/fc.jsonl" 'reason=add port=syfxa0p3' || log "no port_status add seen"
set_phase "ip link set syfxa0p3 up"
ip link set syfxa0p3 up
wait_until 5 file_has "$WORK/fc.jsonl" 'reason=modify port=syfxa0p3' || log "no port_status modify seen"
set_phase "ip link set syfxa0p2 down (veth of port 2)"
ip link set syfxa0p2 down
wait_until 5 file_has "$WORK/fc.jsonl" 'reason=modify port=syfxa0p2' || log "no port_status modify (down) seen"
set_phase "ip link set syfxa0p2 up"
ip link set syfxa0p2 up
set_phase "ovs-vsctl del-port syfxa0 syfxa0p3"
ovs-vsctl --timeout=10 del-port "$BR_A" syfxa0p3
wait_until 5 file_has "$WORK/fc.jsonl" 'reason=delete port=syfxa0p3' || log "no port_status delete seen"
set_phase "idle (flow timeouts, inactivity probe)"
wait_until 10 file_has "$WORK/fc.jsonl" 'reason=hard_timeout' || log "no flow_removed hard_timeout seen"
wait_until 10 file_has "$WORK/fc.jsonl" 'reason=idle_timeout' || log "no flow_removed idle_timeout seen"
wait_until 10 file_has "$WORK/fc.jsonl" 'switch echo_request' || log "no echo_request from the switch seen"
set_phase "final"
wait_until 30 not_alive "$FC_PID" || log "fake controller did not exit"
ovs-vsctl --timeout=10 del-controller "$BR_A"
log "part A: $(wc -l <"$WORK/fc.jsonl") messages"

###############################################################################
# Part B: ovs-ofctl against the bridge's passive listener, captured by tshark
###############################################################################
log "part B: ovs-ofctl + tshark"
make_bridge "$BR_B" b
make_host "$BR_B" 1
make_host "$BR_B" 2
make_queues "$BR_B"p1
PORT_B=$(free_port)
SW=tcp:127.0.0.1:$PORT_B
ovs-vsctl --timeout=10 set-controller "$BR_B" "ptcp:$PORT_B:127.0.0.1"
wait_until 10 listening "$PORT_B" || die "bridge $BR_B does not listen on $PORT_B"

tshark -i lo -B 64 -f "tcp port $PORT_B" -F pcap -w "$WORK/ofctl.pcap" >"$WORK/tshark.out" 2>"$WORK/tshark.err" &
TSHARK_PID=$!
PIDS+=("$TSHARK_PID")
wait_until 20 file_has "$WORK/tshark.err" 'Capturing on' || die "tshark did not start: $(cat "$WORK/tshark.err")"

LABELS=$WORK/labels.tsv
: >"$LABELS"
# quote an argument for a readable label
q() { if [[ $1 =~ ^[A-Za-z0-9_=:,./@+-]*$ ]]; then printf '%s' "$1"; else printf "'%s'" "$1"; fi; }
# of [--OPTION...] CMD ARGS...: ovs-ofctl -O OpenFlow13 [--OPTION...] CMD <switch> ARGS...,
# labelled with its start and end time (for pcap-extract.mjs)
of() {
  local opts=() cmd a start label
  while [[ $1 == --* ]]; do opts+=("$1"); shift; done
  cmd=$1; shift
  label="ovs-ofctl -O OpenFlow13${opts[*]:+ ${opts[*]}} $cmd <switch>"
  for a in "$@"; do label+=" $(q "${a#"$WORK"/}")"; done
  start=$EPOCHREALTIME
  if ! "${O13[@]}" "${opts[@]}" "$cmd" "$SW" "$@" >>"$WORK/ofctl.out" 2>&1; then echo "  (failed: $label)" >>"$WORK/ofctl.out"; fi
  printf '%s\t%s\t%s\n' "$start" "$EPOCHREALTIME" "$label" >>"$LABELS"
}

# act LABEL CMD...: run a non-OpenFlow command, labelled by time (the
# asynchronous messages it causes on the monitor connection get its label)
act() {
  local label=$1 start=$EPOCHREALTIME; shift
  "$@" >>"$WORK/ofctl.out" 2>&1 || echo "  (failed: $label)" >>"$WORK/ofctl.out"
  printf '%s\t%s\t%s\n' "$start" "$EPOCHREALTIME" "$label" >>"$LABELS"
}

# "Capturing on" comes before dumpcap really captures: probe until packets
# reach the file (dumpcap writes in chunks, so this takes a few probes)
pcap_grew() { [ "$(stat -c %s "$WORK/ofctl.pcap" 2>/dev/null || echo 0)" -gt 24 ]; }
probe_captured() { of probe; pcap_grew; }
wait_until 20 probe_captured || die "tshark captured nothing on lo"
MON_START=$EPOCHREALTIME
"${O13[@]}" monitor "$SW" 65535 watch: >"$WORK/monitor.out" 2>&1 &
MON_PID=$!
PIDS+=("$MON_PID")
wait_until 5 file_has "$WORK/monitor.out" 'FLOW_MONITOR' || log "monitor did not report in"

of show
of dump-desc
of dump-tables
of dump-table-features
of dump-ports
of dump-ports 1
of dump-ports-desc
of get-frags
of set-frags drop
of set-frags normal
of queue-get-config
of queue-get-config 1
of queue-stats
of queue-stats 1 1
of dump-group-features
of meter-features
of ping 16

of add-meter 'meter=1,kbps,burst,stats,bands=type=drop,rate=1000,burst_size=100'
of add-meter 'meter=2,pktps,bands=type=drop,rate=10'
of add-meter 'meter=3,kbps,bands=type=dscp_remark,rate=500,prec_level=1'
of mod-meter 'meter=2,pktps,stats,bands=type=drop,rate=20'
of add-group 'group_id=1,type=all,bucket=output:1,bucket=output:2'
of add-group 'group_id=2,type=select,bucket=weight:50,actions=set_field:02:00:00:00:00:aa->eth_dst,output:1,bucket=weight:100,actions=output:2'
of add-group 'group_id=3,type=indirect,bucket=actions=push_vlan:0x8100,set_field:4138->vlan_vid,output:2'
of add-group 'group_id=4,type=ff,bucket=watch_port:1,actions=output:1,bucket=watch_port:2,actions=output:2'
of add-group 'group_id=5,type=all,bucket=actions=group:3'
of mod-group 'group_id=1,type=all,bucket=output:2'
of add-group 'group_id=1,type=all,bucket=output:1'

of add-flow 'table=0,priority=0,actions=CONTROLLER:65535'
of add-flow 'table=0,priority=100,in_port=1,metadata=0x1234/0xffff,dl_src=00:11:22:33:44:55,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,dl_type=0x0800,nw_src=10.0.0.0/8,nw_dst=192.168.1.1,ip_dscp=46,ip_ecn=1,nw_proto=6,tcp_src=80,tcp_dst=0x1000/0xf000,actions=output:2'
of add-flow 'table=0,priority=101,in_port=1,dl_vlan=100,dl_vlan_pcp=3,udp,nw_src=10.1.0.0/16,udp_src=53,udp_dst=5353,actions=pop_vlan,output:2'
of add-flow 'table=0,priority=102,sctp,sctp_src=1000,sctp_dst=2000,actions=drop'
of add-flow 'table=0,priority=103,icmp,icmp_type=8,icmp_code=0,actions=CONTROLLER:128'
of add-flow 'table=0,priority=104,arp,arp_op=1,arp_spa=10.0.0.1,arp_tpa=10.0.0.0/24,arp_sha=00:11:22:33:44:55,arp_tha=00:00:00:00:00:00,actions=FLOOD'
of add-flow 'table=0,priority=105,ipv6,ipv6_src=2001:db8::/32,ipv6_dst=fe80::1,ipv6_label=0x12345,nw_proto=58,icmpv6_type=135,icmpv6_code=0,nd_target=fe80::2,nd_sll=00:11:22:33:44:55,actions=output:1'
of add-flow 'table=0,priority=106,icmp6,icmpv6_type=136,nd_target=2001:db8::1,nd_tll=00:aa:bb:cc:dd:ee,actions=output:1'
of add-flow 'table=0,priority=107,mpls,mpls_label=1000,mpls_tc=5,mpls_bos=1,actions=pop_mpls:0x0800,output:2'
of add-flow 'table=0,priority=108,tun_id=0x1234567890abcdef/0xffffffff00000000,actions=set_field:0x2a->tun_id,output:2'
of add-flow 'table=0,priority=109,dl_vlan=200,actions=push_mpls:0x8847,set_field:42->mpls_label,set_mpls_ttl:10,dec_mpls_ttl,output:2'
of add-flow 'table=0,priority=110,ip,actions=set_field:10.0.0.9->ip_dst,set_field:00:00:00:00:00:01->eth_src,dec_ttl,set_queue:1,group:1'
of add-flow 'table=0,priority=111,ip,nw_proto=17,actions=meter:1,write_metadata:0xff00/0xff00,goto_table:1'
of add-flow 'table=0,priority=112,tcp,actions=write_actions(output:2,set_field:5->tcp_dst),goto_table:2'
of add-flow 'table=1,priority=1,actions=clear_actions,goto_table:3'
of add-flow 'table=2,priority=1,actions=output:2'
of add-flow 'table=0,priority=113,dl_vlan=300,actions=push_vlan:0x88a8,set_field:4396->vlan_vid,set_field:5->vlan_pcp,output:2'
of add-flow 'table=0,priority=114,dl_vlan=500,actions=mod_vlan_vid:7,mod_vlan_pcp:2,strip_vlan,output:2'
of add-flow 'table=0,priority=115,ipv6,actions=set_field:0x1->ipv6_label,set_field:46->ip_dscp,set_field:2->ip_ecn,set_field:64->nw_ttl,set_field:fe80::5->ipv6_src,output:2'
of add-flow 'table=0,priority=116,tcp,actions=set_field:99->tcp_src,set_field:100->tcp_dst,output:2'
of add-flow 'table=0,priority=117,udp,actions=set_field:99->udp_src,output:IN_PORT,output:LOCAL,output:ALL,output:NORMAL'
of add-flow 'table=0,priority=118,sctp,actions=set_field:99->sctp_dst,output:2'
of add-flow 'table=0,priority=119,arp,actions=set_field:2->arp_op,set_field:1.2.3.4->arp_spa,set_field:00:01:02:03:04:05->arp_tha,output:2'
of add-flow 'table=0,priority=120,icmp,actions=set_field:3->icmp_type,set_field:1->icmp_code,output:2'
of add-flow 'table=0,priority=121,icmp6,actions=set_field:1->icmpv6_type,set_field:4->icmpv6_code,set_field:fe80::9->ipv6_dst,output:2'
of add-flow 'table=0,priority=122,mpls,actions=set_field:1->mpls_tc,output:2'
of add-flow 'table=0,priority=123,cookie=0x1234,idle_timeout=30,hard_timeout=60,send_flow_rem,check_overlap,reset_counts,no_packet_counts,no_byte_counts,ip,nw_dst=10.9.9.9,actions=drop'
of add-flow 'table=0,priority=124,reg0=5,actions=note:de.ad.be.ef,resubmit(,1),load:0x3->NXM_NX_REG1[0..7],output:1'
of add-flow 'table=0,priority=125,ipv6,ipv6_dst=2001:db8::/64,actions=dec_ttl,output:2'
of add-flow 'table=0,priority=126,ip,nw_src=10.0.0.1/255.255.0.255,actions=output:2'
of add-flow 'table=0,priority=127,ip,actions=group:9'
of add-flow 'table=0,priority=128,pbb_isid=0x123456,actions=drop'
of add-flow 'table=0,priority=129,mpls,actions=copy_ttl_out,output:2'
of add-flow 'table=0,priority=130,actions=push_pbb:0x88e7,output:2'
of add-flow 'table=0,priority=131,udp,actions=meter:99,output:2'
of add-flow 'table=0,priority=123,ip,nw_dst=10.9.9.9,check_overlap,actions=drop'
printf '%s\n' 'table=0,priority=140,dl_type=0x88cc,actions=CONTROLLER:65535' \
  'table=0,priority=141,dl_type=0x88b5,actions=drop' >"$WORK/flows.txt"
of add-flows "$WORK/flows.txt"
of --bundle add-flow 'table=0,priority=142,dl_type=0x88b6,actions=drop'
of mod-flows 'table=0,priority=141,dl_type=0x88b5,actions=output:1'
of --strict mod-flows 'table=0,priority=140,dl_type=0x88cc,actions=output:2'
of --names mod-table 0 name:syfx_first

of dump-flows
of dump-flows 'table=0,ip'
of dump-flows 'cookie=0x1234/-1'
of dump-aggregate
of dump-aggregate 'table=0,tcp'
of dump-groups
of dump-groups 2
of dump-group-stats
of dump-meters
of dump-meters meter=1
of meter-stats
of dump-tables

of packet-out 'in_port=CONTROLLER,packet=ffffffffffff020000000001080600010800060400010200000000010a0000010000000000000a000002,actions=FLOOD'
of packet-out 'in_port=LOCAL,packet=ffffffffffff020000000001080600010800060400010200000000010a0000010000000000000a000002,actions=output:CONTROLLER'
of packet-out 'in_port=1,packet=ffffffffffff020000000001080600010800060400010200000000010a0000010000000000000a000002000000000000000000000000000000000000,actions=table'
of packet-out 'in_port=CONTROLLER,packet=02000000000202000000000108004500002cabcd400040017b010a0000010a0000020800b17112340001737769746368796172642d6f6663746c,actions=push_vlan:0x8100,set_field:4103->vlan_vid,output:1'

# async messages to the monitor connection
of add-flow 'table=0,priority=150,hard_timeout=1,send_flow_rem,dl_type=0x88b7,actions=drop'
of add-flow 'table=0,priority=151,send_flow_rem,dl_type=0x88b8,actions=drop'
of --strict del-flows 'table=0,priority=151,dl_type=0x88b8'
act "ip netns exec syfxb0h1 ping -c 2 10.0.0.2" ip netns exec syfxb0h1 ping -c 2 -i 0.3 -W 1 10.0.0.2
wait_until 5 file_has "$WORK/monitor.out" 'PACKET_IN' || log "monitor saw no packet_in"
of mod-port 1 down
of mod-port 1 up
of mod-port 2 no-packet-in
of mod-port 2 packet-in
of mod-port 2 no-flood
act "ovs-vsctl add-port syfxb0 syfxb0p3 (type=internal)" \
  ovs-vsctl --timeout=10 add-port "$BR_B" syfxb0p3 -- set interface syfxb0p3 type=internal ofport_request=3
act "ip link set syfxb0p3 up" ip link set syfxb0p3 up
act "ovs-vsctl del-port syfxb0 syfxb0p3" ovs-vsctl --timeout=10 del-port "$BR_B" syfxb0p3
wait_until 10 file_has "$WORK/monitor.out" 'reason=hard' || log "monitor saw no hard-timeout flow_removed"

of del-meters 'meter=2'
of del-groups 'group_id=5'
of del-flows 'table=0,ip'
of --strict del-flows 'table=0,priority=141,dl_type=0x88b5'
of del-flows 'out_port=2'
of del-flows
of del-groups
of del-meters

kill -TERM "$MON_PID" 2>/dev/null || true
wait_until 5 not_alive "$MON_PID" || true
printf '%s\t%s\t%s\n' "$MON_START" "$EPOCHREALTIME" "ovs-ofctl -O OpenFlow13 monitor <switch> 65535 watch:" >>"$LABELS"

# let tshark catch up: the file must stop growing for 0.5 s (bounded), then stop it
last=-1
stable=0
deadline=$((SECONDS + 10))
while [ "$stable" -lt 5 ] && [ "$SECONDS" -lt "$deadline" ]; do
  size=$(stat -c %s "$WORK/ofctl.pcap" 2>/dev/null || echo 0)
  if [ "$size" = "$last" ]; then stable=$((stable + 1)); else stable=0; last=$size; fi
  sleep 0.1
done
kill -INT "$TSHARK_PID" 2>/dev/null || true
wait_until 10 not_alive "$TSHARK_PID" || log "tshark did not stop"
ovs-vsctl --timeout=10 del-controller "$BR_B"

node "$FX/pcap-extract.mjs" --pcap "$WORK/ofctl.pcap" --switch-port "$PORT_B" --labels "$LABELS" >"$WORK/ofctl.jsonl"
log "part B: $(wc -l <"$WORK/ofctl.jsonl") messages"

###############################################################################
# Write the fixtures
###############################################################################
{
  echo "Captured $(date -u +%Y-%m-%d) with $(ovs-vswitchd --version | head -n1),"
  echo "$(tshark --version 2>/dev/null | head -n1 | sed 's/\.$//'), Node $(node --version), kernel $(uname -r),"
  echo "userspace datapath (\`datapath_type=netdev\`)."
} >"$WORK/readme-extra.md"
node "$FX/write-fixtures.mjs" --out "$OUT" --readme-extra "$WORK/readme-extra.md" "$WORK/fc.jsonl" "$WORK/ofctl.jsonl"
log "fixtures written to $OUT"
