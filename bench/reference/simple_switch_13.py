# A plain OpenFlow 1.3 learning switch for os-ken (the structure of Ryu's
# well-known simple_switch_13), the baseline of `npm run bench:mininet`:
#
#   SIMPLE_SWITCH_STATS=/tmp/stats.json \
#     osken-manager --ofp-tcp-listen-port 6653 bench/reference/simple_switch_13.py
#
# - on switch features: a table-miss flow (priority 0, everything to the
#   controller, unbuffered);
# - on a packet-in: learn the source MAC's port (per switch), then either
#   install in_port+eth_dst+eth_src -> output for a known destination and send
#   the packet there, or flood it (OFPP_FLOOD) when the destination is unknown.
#   Floods go everywhere, so on a topology with a loop this switch storms: that
#   is what it is for here.
#
# Counters for the benchmark, written as JSON to $SIMPLE_SWITCH_STATS (atomic
# rename, at most every 100 ms, only when something changed):
#   {"packet_in": N, "flow_mod": N, "packet_out": N, "switches": ["<16 hex>", ...]}
# switches are the datapaths whose table-miss flow has been sent. Without the
# variable the same JSON goes to stdout as lines starting with "STATS ".
import json
import os
import sys

from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER, DEAD_DISPATCHER, set_ev_cls
from os_ken.lib import hub
from os_ken.lib.packet import ethernet, ether_types, packet
from os_ken.ofproto import ofproto_v1_3


class SimpleSwitch13(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super(SimpleSwitch13, self).__init__(*args, **kwargs)
        self.mac_to_port = {}
        self.stats = {'packet_in': 0, 'flow_mod': 0, 'packet_out': 0}
        self.switches = set()
        self.dirty = True
        self.stats_path = os.environ.get('SIMPLE_SWITCH_STATS')
        self.writer = hub.spawn(self._write_stats_loop)

    # ---- counters
    def _write_stats(self):
        doc = dict(self.stats, switches=sorted('%016x' % d for d in self.switches))
        text = json.dumps(doc, separators=(',', ':'))
        if self.stats_path:
            tmp = self.stats_path + '.tmp'
            with open(tmp, 'w') as f:
                f.write(text)
            os.replace(tmp, self.stats_path)
        else:
            sys.stdout.write('STATS %s\n' % text)
            sys.stdout.flush()

    def _write_stats_loop(self):
        while True:
            if self.dirty:
                self.dirty = False
                try:
                    self._write_stats()
                except OSError as e:
                    self.logger.warning('cannot write stats: %s', e)
            hub.sleep(0.1)

    # ---- OpenFlow
    def add_flow(self, datapath, priority, match, actions, buffer_id=None):
        ofproto = datapath.ofproto
        parser = datapath.ofproto_parser
        inst = [parser.OFPInstructionActions(ofproto.OFPIT_APPLY_ACTIONS, actions)]
        if buffer_id is not None and buffer_id != ofproto.OFP_NO_BUFFER:
            mod = parser.OFPFlowMod(datapath=datapath, buffer_id=buffer_id, priority=priority,
                                    match=match, instructions=inst)
        else:
            mod = parser.OFPFlowMod(datapath=datapath, priority=priority, match=match, instructions=inst)
        datapath.send_msg(mod)
        self.stats['flow_mod'] += 1
        self.dirty = True

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def switch_features_handler(self, ev):
        datapath = ev.msg.datapath
        ofproto = datapath.ofproto
        parser = datapath.ofproto_parser
        # Table-miss: the whole unbuffered packet to the controller.
        match = parser.OFPMatch()
        actions = [parser.OFPActionOutput(ofproto.OFPP_CONTROLLER, ofproto.OFPCML_NO_BUFFER)]
        self.add_flow(datapath, 0, match, actions)
        self.switches.add(datapath.id)
        self.dirty = True

    @set_ev_cls(ofp_event.EventOFPStateChange, DEAD_DISPATCHER)
    def state_change_handler(self, ev):
        dpid = ev.datapath.id
        if dpid is not None:
            self.switches.discard(dpid)
            self.mac_to_port.pop(dpid, None)
            self.dirty = True

    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)
    def packet_in_handler(self, ev):
        msg = ev.msg
        datapath = msg.datapath
        ofproto = datapath.ofproto
        parser = datapath.ofproto_parser
        in_port = msg.match['in_port']
        self.stats['packet_in'] += 1
        self.dirty = True

        eth = packet.Packet(msg.data).get_protocols(ethernet.ethernet)[0]
        if eth.ethertype == ether_types.ETH_TYPE_LLDP:
            return
        dst, src = eth.dst, eth.src

        table = self.mac_to_port.setdefault(datapath.id, {})
        table[src] = in_port
        out_port = table.get(dst, ofproto.OFPP_FLOOD)
        actions = [parser.OFPActionOutput(out_port)]

        if out_port != ofproto.OFPP_FLOOD:
            match = parser.OFPMatch(in_port=in_port, eth_dst=dst, eth_src=src)
            if msg.buffer_id != ofproto.OFP_NO_BUFFER:
                # The switch sends the buffered packet along with the flow: no packet-out.
                self.add_flow(datapath, 1, match, actions, msg.buffer_id)
                return
            self.add_flow(datapath, 1, match, actions)

        data = msg.data if msg.buffer_id == ofproto.OFP_NO_BUFFER else None
        out = parser.OFPPacketOut(datapath=datapath, buffer_id=msg.buffer_id, in_port=in_port,
                                  actions=actions, data=data)
        datapath.send_msg(out)
        self.stats['packet_out'] += 1
