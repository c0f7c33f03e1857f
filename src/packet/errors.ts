// What can go wrong reading or writing a packet. Parsers return a
// PacketError instead of throwing: packet-ins are untrusted bytes from the
// network, and one bad frame must never cost more than its own decode.
// Builders throw PacketBuildError: their input comes from our own apps, so
// a bad field is a bug to surface loudly, not a value to carry along.

export type PacketLayer =
  | 'ethernet'
  | 'vlan'
  | 'arp'
  | 'ipv4'
  | 'ipv6'
  | 'icmp'
  | 'icmpv6'
  | 'udp'
  | 'tcp'
  | 'lldp'
  | 'dhcp';

export type PacketErrorKind =
  | 'truncated' // the layer needs more bytes than the frame has
  | 'bad_length' // a length field disagrees with the bytes around it
  | 'bad_value' // a field holds something the layer's spec does not allow
  | 'internal'; // a parser bug caught at the boundary; the fuzz tests fail on it

/** Not an Error subclass: it is returned, never thrown, and serialises to plain JSON. */
export class PacketError {
  constructor(
    readonly layer: PacketLayer,
    readonly kind: PacketErrorKind,
    /** Byte offset from the first byte of the frame. */
    readonly offset: number,
    readonly reason: string,
  ) {}

  toString(): string {
    return `${this.layer}: ${this.reason} at offset ${this.offset}`;
  }
}

export function isPacketError(v: unknown): v is PacketError {
  return v instanceof PacketError;
}

export class PacketBuildError extends Error {
  override readonly name = 'PacketBuildError';
  constructor(
    readonly layer: PacketLayer,
    readonly field: string,
    reason: string,
  ) {
    super(`${layer}.${field}: ${reason}`);
  }
}

/** The shared shape of a truncation error, so every layer words it alike. */
export function truncated(layer: PacketLayer, offset: number, need: number, have: number): PacketError {
  return new PacketError(layer, 'truncated', offset, `needs ${need} bytes, ${Math.max(0, have)} left`);
}
