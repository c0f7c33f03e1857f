#!/usr/bin/python3
"""Switchyard's Mininet driver: one network per process, driven by JSON lines.

    /usr/bin/python3 mininet/driver.py '{"topo": "linear,3", "prefix": "x7",
        "controller": {"ip": "127.0.0.1", "port": 6653}}'
    /usr/bin/python3 mininet/driver.py -     # the spec is the first stdin line

Spec: topo is "single,N", "linear,N", "tree,DEPTH,FANOUT" (numbered exactly
as `mn --topo` numbers them) or {"switches": [...], "hosts": [...],
"links": [...]} where a switch is "s1" or {"name", "dpid"}, a host is "h1"
or {"name", "ip", "mac", "image"} (image: a Docker container of that image,
mininet/docker_host.py) and a link is ["s1", "s2"] or {"a", "b", "aPort",
"bPort", "bw"} (bw in Mbit/s: a TCLink, htb). Every node name gets the prefix (switch s1 -> x7s1); switch n gets
dpid n (the digits at the end of its name) unless a dpid is given. Switches
are OVSSwitch datapath=user protocols=OpenFlow13 failMode=secure (a switch may
give its own "protocols", e.g. "OpenFlow10").
Optional: "controllers": [{ip, port, protocol}] (protocol "ssl" needs "ssl":
{"key","cert","ca"} file paths, set with `ovs-vsctl set-ssl`, which is global
to the machine and restored on exit), "ipBase", "autoSetMacs" (default true).

Then one JSON command per stdin line, {"id": 1, "cmd": "pingall", ...}, and
one answer per line on stdout: {"id": 1, "ok": true, "result": ...} or
{"id": 1, "ok": false, "error": "..."}. Commands: pingall {timeout, parallel},
ping {src, dst, count, timeout, interval}, links, hosts, switches,
link {a, b, state}, port {switch, port, state}, cmd {host, args, timeout,
background}, dump_flows {switch, table}, cli, stop.
With `--proto-fd N` (first argument) the protocol runs both ways on fd N and
stdin/stdout stay the terminal's: `cli` then runs Mininet's CLI there until
the person types exit, Ctrl-D or Ctrl-C at the prompt (used by `switchyard lab`). Node names may be given with or
without the prefix. Logs go to stderr. The first stdout line is
{"ready": true, ...} (or {"ready": false, "error"}). stop, stdin EOF, SIGTERM,
SIGINT and SIGHUP all tear the network down (net.stop() deletes its bridges
and veths; host shells die with it) before exiting. Never runs `mn -c`.
"""
import json
import os
import re
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial

# Keep stdout for the protocol only: anything else that writes to fd 1
# (Mininet's output(), child processes) lands on stderr. With --proto-fd N
# the protocol runs both ways on fd N instead (a socket the caller passed),
# which leaves the terminal on stdin/stdout for the `cli` command.
PROTO_FD = None
if len(sys.argv) > 2 and sys.argv[1] == '--proto-fd':
    PROTO_FD = int(sys.argv[2])
    del sys.argv[1:3]
if PROTO_FD is None:
    PROTO = os.fdopen(os.dup(1), 'w', buffering=1)
    PROTO_IN = sys.stdin
    os.dup2(2, 1)
    sys.stdout = sys.stderr
else:
    PROTO = os.fdopen(os.dup(PROTO_FD), 'w', buffering=1)
    PROTO_IN = os.fdopen(PROTO_FD, 'r', buffering=1)

from mininet.cli import CLI  # noqa: E402
from mininet.log import lg, setLogLevel, info, error, output  # noqa: E402
from mininet.net import Mininet  # noqa: E402
from mininet.node import OVSSwitch, RemoteController  # noqa: E402
from mininet.topo import Topo  # noqa: E402
from mininet.link import TCLink  # noqa: E402

IFNAMSIZ = 15
PORT_ACTIONS = {'up', 'down', 'stp', 'no-stp', 'receive', 'no-receive', 'receive-stp', 'no-receive-stp',
                'forward', 'no-forward', 'flood', 'no-flood', 'packet-in', 'no-packet-in'}


class LabCLI(CLI):
    """Mininet's CLI, except that Ctrl-C at the prompt ends it (and so the lab);
    Ctrl-C while a host command runs still only interrupts that command."""
    prompt = 'mininet> '

    def run(self):
        try:
            if self.isatty():
                subprocess.run(['stty', 'echo', 'sane', 'intr', '^C'], check=False)  # as Mininet's CLI.run
            self.cmdloop()
        except KeyboardInterrupt:
            output('\n')


class Shutdown(Exception):
    pass


class CommandError(Exception):
    pass


def log(msg):
    sys.stderr.write('driver: %s\n' % msg)
    sys.stderr.flush()


def send(obj):
    PROTO.write(json.dumps(obj, separators=(',', ':')) + '\n')
    PROTO.flush()


def run(args, timeout=30):
    """Run a command on the machine; returns stdout, raises CommandError on failure."""
    p = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        raise CommandError('%s exited %d: %s' % (' '.join(args), p.returncode, (p.stderr or p.stdout).strip()))
    return p.stdout


def spawn(node, argv, stdout):
    """Run argv in node's namespaces as our own child (mnexec -a, not -d, which
    would fork away from us) in a new process group, so that kill_group ends it
    and whatever it started."""
    return node.popen(argv, mncmd=['mnexec', '-a', str(node.pid)], start_new_session=True,
                      stdin=subprocess.DEVNULL, stdout=stdout, stderr=subprocess.STDOUT)


def kill_group(p):
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


# ---------------------------------------------------------------- topology

def number_of(name, fallback):
    m = re.search(r'(\d+)$', name)
    return int(m.group(1)) if m else fallback


def dpid_hex(value):
    if isinstance(value, int):
        n = value
    else:
        s = str(value).replace(':', '').lower()
        n = int(s[2:], 16) if s.startswith('0x') else int(s, 16)
    if n < 0 or n >= 1 << 64:
        raise ValueError('dpid out of range: %r' % value)
    return '%016x' % n


def preset(kind):
    """Switches, hosts and links of mn's single/linear/tree, in mn's order."""
    parts = [p.strip() for p in kind.split(',')]
    name, args = parts[0], [int(a) for a in parts[1:] if a]
    sw, hosts, links = [], [], []
    if name == 'single':
        k = args[0] if args else 2
        sw.append('s1')
        for i in range(1, k + 1):
            hosts.append('h%d' % i)
            links.append(['h%d' % i, 's1'])
    elif name == 'linear':
        k = args[0] if args else 2
        for i in range(1, k + 1):
            sw.append('s%d' % i)
            hosts.append('h%d' % i)
            links.append(['h%d' % i, 's%d' % i])
            if i > 1:
                links.append(['s%d' % i, 's%d' % (i - 1)])
    elif name == 'tree':
        depth = args[0] if args else 1
        fanout = args[1] if len(args) > 1 else 2
        count = {'s': 1, 'h': 1}

        def add_tree(d):
            if d > 0:
                node = 's%d' % count['s']
                count['s'] += 1
                sw.append(node)
                for _ in range(fanout):
                    links.append([node, add_tree(d - 1)])
                return node
            node = 'h%d' % count['h']
            count['h'] += 1
            hosts.append(node)
            return node
        add_tree(depth)
    else:
        raise ValueError('unknown topology %r (single,N | linear,N | tree,DEPTH,FANOUT | {switches,hosts,links})' % kind)
    return {'switches': sw, 'hosts': hosts, 'links': links}


class SpecTopo(Topo):
    def build(self, spec, prefix):
        t = preset(spec) if isinstance(spec, str) else spec
        names = set()
        for i, s in enumerate(t.get('switches', [])):
            s = {'name': s} if isinstance(s, str) else dict(s)
            name = prefix + s['name']
            dpid = dpid_hex(s['dpid']) if 'dpid' in s else dpid_hex(number_of(s['name'], i + 1))
            opts = {'protocols': s['protocols']} if 'protocols' in s else {}
            self.addSwitch(name, dpid=dpid, **opts)
            names.add(name)
        for h in t.get('hosts', []):
            h = {'name': h} if isinstance(h, str) else dict(h)
            opts = {k: h[k] for k in ('ip', 'mac') if k in h}
            if 'image' in h:
                # a Docker container (mininet/docker_host.py), named like the host; removed at stop
                from docker_host import DockerHost
                opts.update(cls=DockerHost, dimage=h['image'])
            self.addHost(prefix + h['name'], **opts)
            names.add(prefix + h['name'])
        for ln in t.get('links', []):
            if isinstance(ln, (list, tuple)):
                ln = {'a': ln[0], 'b': ln[1]}
            a, b = prefix + ln['a'], prefix + ln['b']
            for n in (a, b):
                if n not in names:
                    raise ValueError('link names unknown node %r' % n)
            opts = {}
            if 'aPort' in ln:
                opts['port1'] = int(ln['aPort'])
            if 'bPort' in ln:
                opts['port2'] = int(ln['bPort'])
            if 'bw' in ln:
                opts.update(cls=TCLink, bw=float(ln['bw']))
            self.addLink(a, b, **opts)


def check_names(topo):
    """Interface names are NODE-ethN (N = port); all must fit IFNAMSIZ."""
    for n in topo.nodes():
        if len(n) > IFNAMSIZ:
            raise ValueError('node name %r is longer than %d characters' % (n, IFNAMSIZ))
    for a, b, info_ in topo.links(withInfo=True):
        for node, port in ((a, info_.get('port1')), (b, info_.get('port2'))):
            intf = '%s-eth%s' % (node, port if port is not None else 99)
            if len(intf) > IFNAMSIZ:
                raise ValueError('interface name %r would be longer than %d characters: use a shorter prefix' % (intf, IFNAMSIZ))


# ---------------------------------------------------------------- the network

class Driver:
    def __init__(self, spec):
        self.spec = spec
        self.prefix = str(spec.get('prefix', ''))
        if not re.match(r'^[a-z][a-z0-9]{0,7}$|^$', self.prefix):
            raise ValueError('prefix must be lowercase letters/digits, starting with a letter, at most 8 characters')
        self.net = None
        self.background = []
        self.ssl_restore = None

    # ---- lifecycle
    def start(self):
        t0 = time.time()
        ctrls = self.spec.get('controllers') or [self.spec.get('controller') or {}]
        topo = SpecTopo(spec=self.spec.get('topo', 'single,2'), prefix=self.prefix)
        check_names(topo)
        if any(c.get('protocol') == 'ssl' for c in ctrls):
            self.set_ssl(self.spec.get('ssl'))
        switch = partial(OVSSwitch, datapath='user', protocols='OpenFlow13', failMode='secure')
        self.net = Mininet(topo=topo, switch=switch, controller=None, build=False,
                           autoSetMacs=self.spec.get('autoSetMacs', True),
                           ipBase=self.spec.get('ipBase', '10.0.0.0/8'), waitConnected=False)
        for i, c in enumerate(ctrls):
            self.net.addController(RemoteController('%sc%d' % (self.prefix, i), ip=c.get('ip', '127.0.0.1'),
                                                    port=int(c.get('port', 6653)), protocol=c.get('protocol', 'tcp')))
        self.net.build()
        self.net.start()
        ready = {'ready': True, 'prefix': self.prefix, 'switches': self.switches(), 'hosts': self.hosts(),
                 'links': self.links(), 'interfaces': self.interfaces(), 'elapsed_ms': int((time.time() - t0) * 1000)}
        send(ready)

    def stop(self):
        for p in self.background:
            kill_group(p)
            p.wait()
        self.background = []
        if self.net is not None:
            net, self.net = self.net, None
            try:
                net.stop()
            except Exception as e:  # keep going: the bridges must go
                error('net.stop failed: %s\n' % e)
                for s in net.switches:
                    subprocess.run(['ovs-vsctl', '--if-exists', 'del-br', s.name], capture_output=True)
        if self.ssl_restore is not None:
            restore, self.ssl_restore = self.ssl_restore, None
            if restore:
                run(['ovs-vsctl', 'set-ssl'] + restore)
            else:
                run(['ovs-vsctl', 'del-ssl'])

    def set_ssl(self, files):
        if not files or not all(k in files for k in ('key', 'cert', 'ca')):
            raise ValueError('an ssl controller needs "ssl": {"key", "cert", "ca"} (file paths)')
        before = run(['ovs-vsctl', 'get-ssl'])
        vals = dict(re.findall(r'^(Private key|Certificate|CA Certificate): (.*)$', before, re.M))
        self.ssl_restore = [vals[k] for k in ('Private key', 'Certificate', 'CA Certificate')] if len(vals) == 3 else []
        log('setting the machine-wide OVS SSL config (restored on exit)')
        run(['ovs-vsctl', 'set-ssl', files['key'], files['cert'], files['ca']])

    # ---- lookups
    def node(self, name, kind=None):
        for n in (name, self.prefix + name):
            if n in self.net.nameToNode:
                node = self.net.nameToNode[n]
                if kind == 'switch' and node not in self.net.switches:
                    raise CommandError('%s is not a switch' % n)
                if kind == 'host' and node not in self.net.hosts:
                    raise CommandError('%s is not a host' % n)
                return node
        raise CommandError('no node named %r (prefix %r)' % (name, self.prefix))

    def ofports(self):
        out = run(['ovs-vsctl', '--format=json', '--columns=name,ofport', 'list', 'Interface'])
        return {row[0]: row[1] for row in json.loads(out)['data'] if isinstance(row[1], int)}

    def port_ref(self, intf, ofports):
        return {'switch': intf.node.name, 'dpid': intf.node.dpid, 'port': ofports.get(intf.name), 'name': intf.name}

    # ---- queries
    def switches(self):
        return [{'name': s.name, 'dpid': s.dpid} for s in self.net.switches]

    def links(self):
        ofports = self.ofports()
        out = []
        for ln in self.net.links:
            a, b = ln.intf1, ln.intf2
            if a.node in self.net.switches and b.node in self.net.switches:
                out.append({'a': self.port_ref(a, ofports), 'b': self.port_ref(b, ofports),
                            'up': a.isUp() and b.isUp()})
        return out

    def hosts(self):
        ofports = self.ofports()
        out = []
        for h in self.net.hosts:
            intf = h.defaultIntf()
            entry = {'name': h.name, 'mac': intf.MAC() if intf else None, 'ip': h.IP(), 'dpid': None, 'port': None}
            link = intf.link if intf else None
            if link is not None:
                other = link.intf2 if link.intf1 is intf else link.intf1
                if other.node in self.net.switches:
                    entry.update(dpid=other.node.dpid, port=ofports.get(other.name), switch=other.node.name)
            out.append(entry)
        return out

    def interfaces(self):
        names = []
        for ln in self.net.links:
            names += [ln.intf1.name, ln.intf2.name]
        return names

    # ---- actions
    def ping_once(self, src, dst_ip, count, timeout, interval):
        args = ['ping', '-n', '-c', str(count), '-W', str(timeout)]
        if interval is not None:
            args += ['-i', str(interval)]
        p = spawn(src, args + [dst_ip], subprocess.PIPE)
        try:
            out = p.communicate(timeout=count * ((interval or 1) + timeout) + 5)[0]
        except subprocess.TimeoutExpired:
            kill_group(p)
            out = p.communicate()[0]
        out = out.decode(errors='replace')
        m = re.search(r'(\d+) packets transmitted, (\d+) (?:packets )?received', out)
        sent, received = (int(m.group(1)), int(m.group(2))) if m else (count, 0)
        r = re.search(r'= ([\d.]+)/([\d.]+)/([\d.]+)/([\d.]+) ms', out)
        rtt = dict(zip(('min', 'avg', 'max', 'mdev'), map(float, r.groups()))) if r else None
        return {'sent': sent, 'received': received, 'rtt_ms': rtt, 'output': out}

    def pingall(self, timeout=1, parallel=1):
        hosts = self.net.hosts
        pairs = [(s, d) for s in hosts for d in hosts if s is not d]

        def one(pair):
            s, d = pair
            r = self.ping_once(s, d.IP(), 1, timeout, None)
            return {'src': s.name, 'dst': d.name, 'sent': r['sent'], 'received': r['received'],
                    'rtt_ms': r['rtt_ms']['avg'] if r['rtt_ms'] else None}
        with ThreadPoolExecutor(max_workers=max(1, int(parallel))) as pool:
            results = list(pool.map(one, pairs))
        sent = sum(r['sent'] for r in results)
        received = sum(r['received'] for r in results)
        dropped = 100.0 * (sent - received) / sent if sent else 0.0
        return {'dropped_pct': round(dropped, 2), 'sent': sent, 'received': received, 'results': results}

    def ping(self, src, dst, count=1, timeout=1, interval=None):
        s = self.node(src, 'host')
        try:
            ip = self.node(dst, 'host').IP()
        except CommandError:
            ip = dst  # an address
        r = self.ping_once(s, ip, int(count), timeout, interval)
        sent, received = r['sent'], r['received']
        r['dropped_pct'] = round(100.0 * (sent - received) / sent, 2) if sent else 0.0
        return r

    def link(self, a, b, state):
        if state not in ('up', 'down'):
            raise CommandError('state must be up or down')
        na, nb = self.node(a), self.node(b)
        conns = na.connectionsTo(nb)
        if not conns:
            raise CommandError('%s and %s are not connected' % (na.name, nb.name))
        self.net.configLinkStatus(na.name, nb.name, state)
        return {'interfaces': [[x.name, y.name] for x, y in conns]}

    def port(self, switch, port, state):
        if state not in PORT_ACTIONS:
            raise CommandError('state must be one of %s' % ', '.join(sorted(PORT_ACTIONS)))
        s = self.node(switch, 'switch')
        run(['ovs-ofctl', '-O', 'OpenFlow13', 'mod-port', s.name, str(port), state])
        return {}

    def cmd(self, host, args, timeout=30, background=False):
        h = self.node(host)
        argv = ['sh', '-c', args] if isinstance(args, str) else [str(a) for a in args]
        if background:
            p = spawn(h, argv, subprocess.DEVNULL)
            self.background.append(p)
            return {'pid': p.pid}
        p = spawn(h, argv, subprocess.PIPE)
        try:
            out = p.communicate(timeout=timeout)[0]
        except subprocess.TimeoutExpired:
            kill_group(p)
            p.communicate()
            raise CommandError('%r in %s did not finish within %ss' % (args, h.name, timeout))
        return {'output': out.decode(errors='replace'), 'status': p.returncode}

    def dump_flows(self, switch, table=None):
        s = self.node(switch, 'switch')
        args = ['ovs-ofctl', '-O', 'OpenFlow13', 'dump-flows', s.name]
        if table is not None:
            args.append('table=%s' % table)
        lines = run(args).splitlines()
        return [ln.strip() for ln in lines if ln.strip() and not ln.startswith('OFPST_FLOW')]

    def cli(self):
        """Mininet's own CLI on the terminal (only with --proto-fd: stdin is the
        person's). SIGINT goes back to Python's default meanwhile, so that
        Ctrl-C interrupts a command as in `mn`."""
        if PROTO_FD is None:
            raise CommandError('cli needs --proto-fd (stdin carries the protocol otherwise)')
        previous = signal.signal(signal.SIGINT, signal.default_int_handler)
        level = lg.getEffectiveLevel()
        setLogLevel('output')  # what the person's commands print is logged at 'output'
        try:
            LabCLI(self.net)
        finally:
            lg.setLevel(level)
            signal.signal(signal.SIGINT, previous)
        return {}

    def handle(self, req):
        c = req.get('cmd')
        a = {k: v for k, v in req.items() if k not in ('cmd', 'id')}
        if c == 'pingall':
            return self.pingall(a.get('timeout', 1), a.get('parallel', 1))
        if c == 'ping':
            return self.ping(a['src'], a['dst'], a.get('count', 1), a.get('timeout', 1), a.get('interval'))
        if c == 'links':
            return self.links()
        if c == 'hosts':
            return self.hosts()
        if c == 'switches':
            return self.switches()
        if c == 'link':
            return self.link(a['a'], a['b'], a['state'])
        if c == 'port':
            return self.port(a['switch'], a['port'], a['state'])
        if c == 'cmd':
            return self.cmd(a['host'], a['args'], a.get('timeout', 30), a.get('background', False))
        if c == 'dump_flows':
            return self.dump_flows(a['switch'], a.get('table'))
        if c == 'cli':
            return self.cli()
        raise CommandError('unknown command %r' % c)


# ---------------------------------------------------------------- main

def main():
    setLogLevel(os.environ.get('MININET_LOGLEVEL', 'warning'))
    stopping = {'now': False}

    def on_signal(signum, _frame):
        if not stopping['now']:
            stopping['now'] = True
            raise Shutdown('signal %d' % signum)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, on_signal)

    driver = None
    code = 0
    try:
        arg = sys.argv[1] if len(sys.argv) > 1 else '-'
        try:
            driver = Driver(json.loads(PROTO_IN.readline() if arg == '-' else arg))
            driver.start()
        except (Shutdown, KeyboardInterrupt):
            raise
        except Exception as e:
            send({'ready': False, 'error': '%s: %s' % (type(e).__name__, e)})
            code = 1
            return code
        while True:
            line = PROTO_IN.readline()
            if not line:
                log('stdin closed: stopping')
                break
            if not line.strip():
                continue
            rid = None
            try:
                req = json.loads(line)
                rid = req.get('id')
                if req.get('cmd') == 'stop':
                    stopping['now'] = True
                    driver.stop()
                    send({'id': rid, 'ok': True, 'result': {}})
                    break
                send({'id': rid, 'ok': True, 'result': driver.handle(req)})
            except (Shutdown, KeyboardInterrupt):
                raise
            except KeyError as e:
                send({'id': rid, 'ok': False, 'error': 'missing argument %s' % e})
            except Exception as e:
                send({'id': rid, 'ok': False, 'error': '%s: %s' % (type(e).__name__, e)})
    except Shutdown as e:
        log('%s: stopping' % e)
        code = 0
    except KeyboardInterrupt:
        code = 130
    finally:
        stopping['now'] = True
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        if driver is not None:
            try:
                driver.stop()
            except Exception as e:
                log('cleanup failed: %s' % e)
                code = code or 1
    return code


if __name__ == '__main__':
    sys.exit(main())
