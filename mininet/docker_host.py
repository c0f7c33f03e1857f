"""Mininet hosts that are Docker containers, on stock Mininet (Containernet-style).

    from docker_host import DockerHost, addDocker, SafeTCLink
    d1 = addDocker(net, 'd1', ip='10.0.0.251', dimage='local/busybox:1')

A DockerHost starts `docker run -d --network none` (so Docker gives it no
network of its own) and becomes a Mininet host whose network namespace is
that container's: Mininet's veth ends are moved into it, its IP and MAC are
set there, and `docker exec d1 ip addr` shows them. The host's shell is
Mininet's usual bash, entered into the container's network and UTS
namespaces with nsenter, so Mininet's commands (ifconfig, ping, iperf3, tc)
come from this machine while every packet uses the container's stack. That
is also how iperf3 runs "in" a busybox container that has no iperf3 and no
libc: bind-mounting a dynamically linked binary, its libraries and loader
into a foreign root file system is fragile, while the network namespace is
exactly what a link measurement is about. `host.dexec('ping -c1 ...')` runs
a command in the container proper (its file system: busybox).

Containers are named after the host (prefix included) and labelled
switchyard.mininet=1; one with that name that already exists is an error,
never removed (it may be someone else's). Stopping the host removes its
container, and with it the container's end of every link.
"""
import os
import pty
import select
import subprocess

from mininet.link import TCIntf, TCLink
from mininet.log import error, warn
from mininet.node import Host

LABEL = 'switchyard.mininet=1'
DEFAULT_IMAGE = 'local/busybox:1'


def docker(*args, timeout=60):
    p = subprocess.run(['docker'] + list(args), stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        raise RuntimeError('docker %s: %s' % (' '.join(args[:2]), (p.stderr or p.stdout).strip()))
    return p.stdout.strip()


class DockerHost(Host):
    """A Mininet host living in a Docker container's network namespace."""

    def __init__(self, name, dimage=DEFAULT_IMAGE, dcmd='sleep 2147483647', volumes=(), **params):
        self.dimage = dimage
        self.dcmd = dcmd
        self.volumes = list(volumes)
        self.cname = name
        self.cid = None
        self.cpid = None
        Host.__init__(self, name, inNamespace=True, **params)

    def start_container(self):
        args = ['run', '-d', '--name', self.cname, '--hostname', self.name, '--network', 'none', '--label', LABEL]
        for v in self.volumes:
            args += ['-v', v]
        try:
            self.cid = docker(*(args + [self.dimage, 'sh', '-c', self.dcmd]))
        except RuntimeError as e:
            if 'is already in use' in str(e):
                raise RuntimeError('a container named %s exists already: remove it or use another prefix' % self.cname)
            raise
        self.cpid = int(docker('inspect', '-f', '{{.State.Pid}}', self.cid))
        if self.cpid == 0:
            raise RuntimeError('container %s is not running: %s' % (self.cname, docker('logs', self.cid)))

    def startShell(self, mnopts=None):
        """Mininet's Node.startShell, with the shell entered into the container
        (nsenter --net --uts) instead of a new namespace made by mnexec."""
        if self.shell:
            error('%s: shell is already running\n' % self.name)
            return
        self.start_container()
        cmd = ['nsenter', '--target', str(self.cpid), '--net', '--uts', 'env', 'PS1=' + chr(127),
               'bash', '--norc', '--noediting', '-is', 'mininet:' + self.name]
        self.master, self.slave = pty.openpty()
        # its own session, as mnexec -d gives Mininet's shells: Node.terminate() kills the process group
        self.shell = self._popen(cmd, stdin=self.slave, stdout=self.slave, stderr=self.slave, close_fds=False,
                                 start_new_session=True)
        self.stdin = os.fdopen(self.master, 'r')
        self.stdout = self.stdin
        self.pid = self.shell.pid  # nsenter execs bash: this pid is in the container's netns
        self.pollOut = select.poll()
        self.pollOut.register(self.stdout)
        self.outToNode[self.stdout.fileno()] = self
        self.inToNode[self.stdin.fileno()] = self
        self.execed = False
        self.lastCmd = None
        self.lastPid = None
        self.readbuf = ''
        while True:
            data = self.read(1024)
            if data[-1] == chr(127):
                break
            self.pollOut.poll()
        self.waiting = False
        self.cmd('unset HISTFILE; stty -echo; set +m')

    def dexec(self, command, timeout=60):
        """Run a command in the container itself (its file system), like `docker exec`."""
        p = subprocess.run(['docker', 'exec', self.cname, 'sh', '-c', command], stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=timeout)
        return p.stdout + p.stderr

    def configDefault(self, **moreParams):
        r = Host.configDefault(self, **moreParams)
        # Open vSwitch's userspace datapath forwards what a veth hands it as is; with
        # checksum offload on, a TCP segment would arrive with its checksum never filled in.
        for intf in self.intfList():
            if intf.name != 'lo':
                self.cmd('ethtool -K %s tx off >/dev/null 2>&1' % intf.name)
        return r

    def terminate(self):
        try:
            Host.terminate(self)
        except ProcessLookupError:
            pass  # the shell is gone already
        if self.cid is not None:
            cid, self.cid = self.cid, None
            subprocess.run(['docker', 'rm', '-f', cid], capture_output=True)


def addDocker(net, name, dimage=DEFAULT_IMAGE, **params):
    """Containernet's net.addDocker() for a stock Mininet object."""
    return net.addHost(name, cls=DockerHost, dimage=dimage, **params)


# ------------------------------------------------------------ links without netem

_NETEM = None


def netem_available():
    """Whether this kernel has the netem qdisc, tried on the loopback of a
    throwaway network namespace (unshare -n), so no real interface is touched."""
    global _NETEM
    if _NETEM is None:
        p = subprocess.run(['unshare', '-n', 'tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms'],
                           capture_output=True, text=True)
        _NETEM = p.returncode == 0
    return _NETEM


NETEM_PARAMS = ('delay', 'jitter', 'loss')
_warned = set()


class SafeTCIntf(TCIntf):
    """TCIntf that, without netem, keeps the bandwidth limit (htb) and drops
    delay/jitter/loss with one clear line instead of tc errors."""

    def config(self, **params):
        asked = {k: params[k] for k in NETEM_PARAMS if params.get(k)}
        if asked and not netem_available():
            if self.name not in _warned:  # Mininet configures an interface more than once
                _warned.add(self.name)
                warn('*** %s: this kernel has no netem qdisc: %s ignored (bandwidth limit kept)\n'
                      % (self.name, ', '.join('%s=%s' % kv for kv in sorted(asked.items()))))
            params = {k: v for k, v in params.items() if k not in NETEM_PARAMS}
        return TCIntf.config(self, **params)


class SafeTCLink(TCLink):
    """TCLink with SafeTCIntf on both ends."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault('cls1', SafeTCIntf)
        kwargs.setdefault('cls2', SafeTCIntf)
        TCLink.__init__(self, *args, **kwargs)
