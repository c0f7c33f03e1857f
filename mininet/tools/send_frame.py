#!/usr/bin/python3
"""Send raw Ethernet frames from inside a host's network namespace.

    send_frame.py HEX [COUNT] [IFACE]

HEX is the whole frame (destination MAC first, no FCS). IFACE defaults to
the first interface that is not lo. Used by the labs to forge frames (an
LLDP probe a host should not be able to pass off as a link).
"""
import socket
import sys


def main():
    frame = bytes.fromhex(sys.argv[1].replace(':', '').replace(' ', ''))
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    iface = sys.argv[3] if len(sys.argv) > 3 else next(n for _, n in socket.if_nameindex() if n != 'lo')
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    for _ in range(count):
        s.send(frame)
    print('sent %d frame(s) of %d bytes on %s' % (count, len(frame), iface))


if __name__ == '__main__':
    main()
