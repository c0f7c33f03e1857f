import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { decodePort, encodePort, type Port } from '../structs/port.js';
import { decodeUntilEnd, encodeEach } from './record.js';

/** OFPMP_PORT_DESC reply body (ofp_port list, OF 1.3.5 §7.3.5.7); the request has no body. */
export interface PortDescReply {
  readonly type: 'port_desc';
  readonly ports: readonly Port[];
}

// OFPMP_PORT_DESC reply body, OF 1.3.5 §7.3.5.7: ofp_port[] (64 bytes each) to the end of the message
export function decodePortDescReply(r: Reader): PortDescReply {
  return { type: 'port_desc', ports: decodeUntilEnd(r, decodePort) };
}

// OFPMP_PORT_DESC reply body, OF 1.3.5 §7.3.5.7: ofp_port[] (64 bytes each)
export function encodePortDescReply(w: Writer, b: PortDescReply): void {
  encodeEach(w, b.ports, 'ports', encodePort);
}
