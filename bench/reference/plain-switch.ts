// The reference for `npm run bench:flows`: what plain Node does here, with
// no framework. A learning switch with the behaviour of Ryu's
// simple_switch_13 (bench/reference/simple_switch_13.py), in one file that
// imports nothing but node:net:
//
// - handshake: HELLO, FEATURES_REQUEST; on the reply a table-miss flow
//   (priority 0, everything to the controller, unbuffered);
// - ECHO_REQUEST answered, BARRIER_REQUEST answered (a switch never sends
//   one, but cheap), everything else ignored;
// - PACKET_IN: learn source MAC → in_port per switch; a known destination
//   gets FLOW_MOD in_port+eth_dst+eth_src → output (with the packet's
//   buffer_id when it has one) and, when unbuffered, a PACKET_OUT with the
//   data; an unknown one is flooded with a PACKET_OUT.
// - writes of one read are corked into one.
//
//   node dist/bench/reference/plain-switch.js [port]   prints "listening PORT"
import net from 'node:net';

const NO_BUFFER = 0xffffffff;
const OFPP_FLOOD = 0xfffffffb;
const OFPP_CONTROLLER = 0xfffffffd;

function header(b: Buffer, type: number, len: number, xid: number): void {
  b[0] = 4;
  b[1] = type;
  b.writeUInt16BE(len, 2);
  b.writeUInt32BE(xid, 4);
}

/** ofp_flow_mod ADD, apply_actions(output) (OF 1.3.5 §7.3.4.1); `oxm` is the match's OXM TLVs. */
function flowMod(priority: number, oxm: Buffer, outPort: number, bufferId: number): Buffer {
  const matchLen = 4 + oxm.length;
  const matchPadded = (matchLen + 7) & ~7;
  const len = 48 + matchPadded + 8 + 16;
  const b = Buffer.alloc(len);
  header(b, 14, len, 0);
  b.writeUInt16BE(priority, 30);
  b.writeUInt32BE(bufferId, 32);
  b.writeUInt32BE(0xffffffff, 36); // out_port any
  b.writeUInt32BE(0xffffffff, 40); // out_group any
  b.writeUInt16BE(1, 48); // OFPMT_OXM
  b.writeUInt16BE(matchLen, 50);
  oxm.copy(b, 52);
  const ins = 48 + matchPadded;
  b.writeUInt16BE(4, ins); // OFPIT_APPLY_ACTIONS
  b.writeUInt16BE(24, ins + 2);
  b.writeUInt16BE(0, ins + 8); // OFPAT_OUTPUT
  b.writeUInt16BE(16, ins + 10);
  b.writeUInt32BE(outPort, ins + 12);
  b.writeUInt16BE(0xffff, ins + 16); // max_len no_buffer
  return b;
}

/** ofp_packet_out with one output action (OF 1.3.5 §7.3.7); data only when unbuffered. */
function packetOut(bufferId: number, inPort: number, outPort: number, data: Buffer | undefined): Buffer {
  const len = 24 + 16 + (data?.length ?? 0);
  const b = Buffer.allocUnsafe(len);
  b.fill(0, 0, 40);
  header(b, 13, len, 0);
  b.writeUInt32BE(bufferId, 8);
  b.writeUInt32BE(inPort, 12);
  b.writeUInt16BE(16, 16);
  b.writeUInt16BE(0, 24);
  b.writeUInt16BE(16, 26);
  b.writeUInt32BE(outPort, 28);
  b.writeUInt16BE(0xffff, 32);
  data?.copy(b, 40);
  return b;
}

function oxm(field: number, value: Buffer): Buffer {
  const b = Buffer.alloc(4 + value.length);
  b.writeUInt16BE(0x8000, 0);
  b[2] = field << 1;
  b[3] = value.length;
  value.copy(b, 4);
  return b;
}

const TABLE_MISS = flowMod(0, Buffer.alloc(0), OFPP_CONTROLLER, NO_BUFFER);

function serve(sock: net.Socket): void {
  sock.setNoDelay(true);
  const macToPort = new Map<number, number>();
  let pending: Buffer | undefined;
  const send = (b: Buffer): boolean => sock.write(b);
  const hello = Buffer.alloc(8);
  header(hello, 0, 8, 1);
  const features = Buffer.alloc(8);
  header(features, 5, 8, 2);
  send(hello);
  send(features);

  const packetIn = (b: Buffer, off: number, len: number): void => {
    const bufferId = b.readUInt32BE(off + 8);
    const matchLen = b.readUInt16BE(off + 26);
    let inPort = 0;
    for (let p = off + 28; p + 4 <= off + 24 + matchLen; p += 4 + b[p + 3]!) {
      if (b.readUInt16BE(p) === 0x8000 && b[p + 2]! >> 1 === 0) inPort = b.readUInt32BE(p + 4);
    }
    const d = off + 24 + ((matchLen + 7) & ~7) + 2;
    if (off + len - d < 14) return;
    const dst = b.readUIntBE(d, 6);
    const src = b.readUIntBE(d + 6, 6);
    if (b.readUInt16BE(d + 12) === 0x88cc) return; // LLDP
    macToPort.set(src, inPort);
    const out = macToPort.get(dst) ?? OFPP_FLOOD;
    const data = bufferId === NO_BUFFER ? b.subarray(d, off + len) : undefined;
    if (out !== OFPP_FLOOD) {
      const match = Buffer.concat([oxm(0, u32(inPort)), oxm(3, b.subarray(d, d + 6)), oxm(4, b.subarray(d + 6, d + 12))]);
      send(flowMod(1, match, out, bufferId));
      if (bufferId !== NO_BUFFER) return;
    }
    send(packetOut(bufferId, inPort, out, data));
  };

  const frame = (b: Buffer, off: number, len: number): void => {
    const type = b[off + 1];
    if (type === 10) packetIn(b, off, len);
    else if (type === 2 || type === 20) {
      const r = Buffer.from(b.subarray(off, off + len));
      r[1] = type + 1; // echo_reply, barrier_reply
      send(r);
    } else if (type === 6) send(TABLE_MISS); // features_reply
  };

  sock.on('data', (chunk: Buffer) => {
    const b = pending ? Buffer.concat([pending, chunk]) : chunk;
    pending = undefined;
    sock.cork();
    let off = 0;
    while (b.length - off >= 8) {
      const len = b.readUInt16BE(off + 2);
      if (len < 8) return void sock.destroy();
      if (b.length - off < len) break;
      frame(b, off, len);
      off += len;
    }
    if (off < b.length) pending = Buffer.from(b.subarray(off));
    sock.uncork();
  });
  sock.on('error', () => sock.destroy());
}

function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v);
  return b;
}

const server = net.createServer(serve);
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const a = server.address() as net.AddressInfo;
  process.stdout.write(`listening ${a.port}\n`);
});
