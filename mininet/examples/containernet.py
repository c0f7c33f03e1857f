#!/usr/bin/python3
"""The classic Containernet example on stock Mininet, against Switchyard.

    sudo /usr/bin/python3 mininet/examples/containernet.py [--controller 127.0.0.1:6653]
        [--prefix P] [--image local/busybox:1] [--test]

Docker containers d1 and d2 (busybox, --network none) behind switches s1 and
s2, which are joined by a link limited to 1 Mbit/s (htb) with a 100 ms delay
asked for: this kernel has no netem, so the delay is dropped with one line
and the limit kept. Start the controller first (`npm start` or
`switchyard start`, l2-switch app). Then, at the `mininet>` prompt:

    d1 ping -c3 d2          # through s1 and s2, flows from Switchyard
    d2 iperf3 -s -D ; d1 iperf3 -c d2 -t 5      # about 0.95 Mbit/s
    sh docker exec d1 ip addr                    # the container has the address

--test runs ping and iperf3 unattended instead of the CLI and prints one
JSON line with the results. Either way, on exit (or Ctrl-C, SIGTERM) the
containers, switches and veths it made are removed.
"""
import argparse
import json
import os
import re
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

from mininet.cli import CLI  # noqa: E402
from mininet.log import info, setLogLevel  # noqa: E402
from mininet.net import Mininet  # noqa: E402
from mininet.node import OVSSwitch, RemoteController  # noqa: E402

from docker_host import SafeTCLink, addDocker  # noqa: E402


def build(prefix, ctl_ip, ctl_port, image):
    net = Mininet(controller=None, waitConnected=False, autoSetMacs=True)
    net.addController(RemoteController(prefix + 'c0', ip=ctl_ip, port=ctl_port))
    info('*** Adding docker containers\n')
    d1 = addDocker(net, prefix + 'd1', ip='10.0.0.251/24', dimage=image)
    d2 = addDocker(net, prefix + 'd2', ip='10.0.0.252/24', dimage=image)
    info('*** Adding switches\n')
    sw = dict(cls=OVSSwitch, datapath='user', protocols='OpenFlow13', failMode='secure')
    s1 = net.addSwitch(prefix + 's1', dpid='%016x' % 1, **sw)
    s2 = net.addSwitch(prefix + 's2', dpid='%016x' % 2, **sw)
    info('*** Creating links\n')
    net.addLink(d1, s1)
    net.addLink(s1, s2, cls=SafeTCLink, delay='100ms', bw=1)
    net.addLink(s2, d2)
    return net, d1, d2


def wait_connected(net, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if all(s.connected() for s in net.switches):
            return True
        time.sleep(0.2)
    return False


def run_test(net, d1, d2):
    """Ping, then iperf3 for 5 s d1 -> d2; the rate is what the receiver got."""
    out = {'connected': wait_connected(net)}
    ping = ''
    for _ in range(10):  # the first packets may go while the controller learns
        ping = d1.cmd('ping -c3 -W1 %s' % d2.IP())
        if ' 0% packet loss' in ping:
            break
    m = re.search(r'(\d+) received', ping)
    out['ping_received'] = int(m.group(1)) if m else 0
    out['docker_ping'] = '3 packets received' in d1.dexec('ping -c3 -W1 %s' % d2.IP())
    out['container_addr'] = d2.IP() in d2.dexec('ip addr')
    d2.cmd('iperf3 -s -1 -D -p 5201 --logfile /dev/null')
    time.sleep(0.5)  # iperf3 -D returns before it listens; a refused connect is retried below
    raw = ''
    for _ in range(5):
        raw = d1.cmd('iperf3 -c %s -p 5201 -t 5 -J --connect-timeout 3000' % d2.IP())
        if '"sum_received"' in raw or 'Connection refused' not in raw:
            break
        time.sleep(0.5)
    try:
        res = json.loads(raw[raw.index('{'):])
        out['iperf3_bps'] = res['end']['sum_received']['bits_per_second']
    except (ValueError, KeyError) as e:
        out['iperf3_bps'] = None
        out['iperf3_error'] = '%s: %s' % (type(e).__name__, raw.strip()[:300])
    out['intfs'] = [i.name for n in net.hosts + net.switches for i in n.intfList() if i.name != 'lo']
    out['containers'] = [d1.cname, d2.cname]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--controller', default='127.0.0.1:6653')
    ap.add_argument('--prefix', default='')
    ap.add_argument('--image', default='local/busybox:1')
    ap.add_argument('--test', action='store_true')
    a = ap.parse_args()
    ip, _, port = a.controller.rpartition(':')
    setLogLevel('warning' if a.test else 'info')
    net, d1, d2 = build(a.prefix, ip or '127.0.0.1', int(port), a.image)

    def on_term(signum, _frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_term)
    code = 0
    try:
        net.start()
        if a.test:
            print(json.dumps(run_test(net, d1, d2)), flush=True)
        else:
            info('*** Running CLI\n')
            CLI(net)
    except KeyboardInterrupt:
        code = 130
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        info('*** Stopping network\n')
        net.stop()
    return code


if __name__ == '__main__':
    sys.exit(main())
