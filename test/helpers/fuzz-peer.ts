// A hostile OpenFlow peer: many connections, each finishing the handshake
// as a switch (so frames reach the state the controller spends its life in),
// then sending mutated and random frames. Every frame the codec rejects must
// be answered with an OFPT_ERROR naming its xid (OF 1.3.5 §7.4.4), a frame
// whose header length is below 8 (the stream cannot be resynchronised) must
// close that connection, and no other connection may be closed by the
// controller. Used by test/openflow/fuzz-peer.test.ts (CI size) and
// scripts/soak/fuzz-peer.ts (1,000,000 frames).
import { encodeMessage, tryDecode } from '../../src/openflow/codec.js';
import { allFrames } from './corpus.js';
import { EVERY_MESSAGE } from './every-message.js';
import { FakeSwitch } from './fake-switch.js';
import { mutate, rng } from './mutate.js';

export interface FuzzPeerOptions {
  readonly port: number;
  readonly frames: number;
  /** Connections open at once. */
  readonly parallel: number;
  /** Frames per connection before it is closed and a new one (a new datapath id) opened. */
  readonly perConnection: number;
  readonly seed: number;
  /** Share of connections that end with a fatal frame (header length < 8). */
  readonly fatalShare?: number;
  /** Datapath ids from here up (below any a real switch in the same test uses). */
  readonly firstDpid?: bigint;
  /** Called after every connection, for progress. */
  readonly onConnection?: (r: FuzzResult) => void;
}

export interface FuzzResult {
  framesSent: number;
  connections: number;
  /** Frames our decoder rejects: each must get an OFPT_ERROR. */
  undecodable: number;
  errorsAnswered: number;
  /** Undecodable frames that got no OFPT_ERROR (must stay 0). */
  unanswered: number;
  /** OFPT_ERRORs for frames that decoded (the controller refusing what it does not handle, e.g. an experimenter). */
  errorsForDecodable: number;
  fatalSent: number;
  /** Connections closed after a fatal frame (must equal fatalSent). */
  closedAfterFatal: number;
  /** Connections the controller closed without a fatal frame (must stay 0). */
  closedUnexpectedly: number;
  /** Handshakes that did not finish (must stay 0). */
  handshakeFailures: number;
}

const XID_BASE = 0xf0000000;

/** The corpus: hand-built samples, OVS captures and one message of every type. */
export function fuzzCorpus(): Buffer[] {
  return [...allFrames(), ...EVERY_MESSAGE.map((m) => encodeMessage(m.msg))];
}

export async function runFuzzPeer(o: FuzzPeerOptions): Promise<FuzzResult> {
  const r = rng(o.seed);
  const corpus = fuzzCorpus();
  const res: FuzzResult = {
    framesSent: 0, connections: 0, undecodable: 0, errorsAnswered: 0, unanswered: 0, errorsForDecodable: 0,
    fatalSent: 0, closedAfterFatal: 0, closedUnexpectedly: 0, handshakeFailures: 0,
  };
  let nextDpid = o.firstDpid ?? 0x5a0000000000n;
  let xid = 0;
  const one = async (count: number): Promise<void> => {
    const sw = new FakeSwitch({ dpid: nextDpid++, ports: 2 });
    let closed = false;
    sw.once('close', () => (closed = true));
    try {
      await sw.connect(o.port);
      // The controller's last handshake request; frames after our answer find the connection up.
      await sw.waitFor((m) => m.type === 'barrier_request', 20_000);
    } catch {
      res.handshakeFailures++;
      sw.close();
      return;
    }
    const expected = new Set<number>();
    const decodable = new Set<number>();
    const chunks: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      let f = mutate(r, corpus[Math.floor(r() * corpus.length)]!);
      // Keep the stream framed (header length = bytes sent); a fatal length is its own case below.
      if (f.length > 0xffff) f = f.subarray(0, 0xffff);
      f.writeUInt16BE(f.length, 2);
      const x = (XID_BASE + (xid++ % 0x0fffffff)) >>> 0;
      f.writeUInt32BE(x, 4);
      if (tryDecode(f).ok) decodable.add(x);
      else expected.add(x);
      chunks.push(f);
    }
    res.framesSent += count;
    res.undecodable += expected.size;
    // Written in a few large writes: the controller sees many frames per read, as from a fast peer.
    for (let i = 0; i < chunks.length; i += 64) sw.sendRaw(Buffer.concat(chunks.slice(i, i + 64)));
    // A last echo: the channel answers in order, so its reply comes after every error for the frames before it.
    const marker = 0xeffffff0;
    sw.send({ type: 'echo_request', xid: marker, data: Buffer.alloc(0) });
    try {
      await sw.waitFor((m) => m.type === 'echo_reply' && m.xid === marker, 30_000);
    } catch {
      // counted below: a connection closed under us, or no answer
    }
    for (const m of sw.received) {
      if (m.type !== 'error') continue;
      if (expected.delete(m.xid)) res.errorsAnswered++;
      else if (decodable.has(m.xid)) res.errorsForDecodable++;
    }
    res.unanswered += expected.size;
    if (closed) res.closedUnexpectedly++;
    else if (r() < (o.fatalShare ?? 0.1)) {
      res.fatalSent++;
      const fatal = Buffer.from('0400000400000000', 'hex'); // OFPT_HELLO claiming 4 bytes: below the header
      const gone = new Promise<void>((resolve) => (closed ? resolve() : sw.once('close', () => resolve())));
      sw.sendRaw(fatal);
      const t = await Promise.race([gone.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000).unref())]);
      if (t) res.closedAfterFatal++;
    }
    sw.close();
    sw.received.length = 0;
    res.connections++;
    o.onConnection?.(res);
  };
  let left = o.frames;
  const worker = async (): Promise<void> => {
    while (left > 0) {
      const n = Math.min(o.perConnection, left);
      left -= n;
      await one(n);
    }
  };
  await Promise.all(Array.from({ length: o.parallel }, worker));
  return res;
}
