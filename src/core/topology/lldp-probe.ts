// Our LLDP probe: what goes out of each switch port, and how we recognise it
// when it comes back as a PACKET_IN. Any host can send LLDP, so a probe only
// counts when it carries a valid HMAC over (dpid, port, send time) under this
// controller's secret; the send time bounds how long a captured probe can be
// replayed.
//
// Layout (IEEE 802.1AB TLVs, after an Ethernet header to 01:80:c2:00:00:0e):
//   Chassis ID  subtype 7 (locally assigned), text "dpid:<16 hex>"   (as Ryu/os-ken)
//   Port ID     subtype 7 (locally assigned), the port number in decimal text
//               (Ryu/os-ken send subtype 2 with 4 binary bytes, which
//               Wireshark flags as "Trailing stray characters")
//   TTL         the link timeout in seconds
//   Org-specific OUI 0a:53:59 subtype 1: dpid(8) port(4) sent_ms(8) hmac(16)
//   End
// 0a:53:59 is not an IEEE-registered OUI: it only has to be unlikely to
// collide with real vendor TLVs, since the HMAC is what makes a probe ours.

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Match } from '../../openflow/structs/match.js';
import type { Action } from '../../openflow/structs/action.js';
import { buildEthernet, ETHERTYPE_LLDP, isPacketError, LLDP_MULTICAST, parseEthernet, parseLldp, parseMac, buildLldp, type LldpId } from '../../packet/index.js';

export const PROBE_OUI = '0a:53:59';
export const PROBE_SUBTYPE = 1;
const FUTURE_SLACK_MS = 100;
const HMAC_BYTES = 16;
const BODY_BYTES = 8 + 4 + 8 + HMAC_BYTES;
/** Keeps the MAC of our probes from being valid for any other use of the same secret. */
const DOMAIN = Buffer.from('switchyard lldp probe v1\0');

export interface ProbeFields {
  readonly dpid: bigint;
  readonly port: number;
  /** The port's own MAC, as 802.1AB asks; a placeholder is used if it is not a valid MAC. */
  readonly srcMac: string;
  /** Clock ms when sent. */
  readonly timestamp: number;
  readonly ttlSeconds: number;
}

export type ProbeRejection =
  /** LLDP without our TLV: a host's lldpd, a legacy switch, another controller. */
  | 'not_ours'
  /** LLDP that does not parse, or whose fields disagree with the signed ones. */
  | 'malformed'
  | 'bad_hmac'
  /** Signed by us but sent longer ago than a link lives (or in the future): a replay. */
  | 'stale';

export type ProbeVerdict =
  | { readonly kind: 'not_lldp' }
  | { readonly kind: 'rejected'; readonly reason: ProbeRejection }
  | { readonly kind: 'probe'; readonly dpid: bigint; readonly port: number; readonly timestamp: number };

/**
 * The flow every switch needs so LLDP reaches the controller: plain data for
 * the flow service to install (in the first table), above any app's flows.
 */
export interface LldpFlowSpec {
  readonly priority: number;
  readonly match: Match;
  readonly actions: readonly Action[];
}

export const LLDP_FLOW_PRIORITY = 65000;

export function lldpFlowSpecs(): LldpFlowSpec[] {
  return [
    {
      priority: LLDP_FLOW_PRIORITY,
      match: [{ field: 'eth_type', value: ETHERTYPE_LLDP }],
      // no_buffer: the whole probe, HMAC included, must reach us.
      actions: [{ type: 'output', port: 'controller', max_len: 'no_buffer' }],
    },
  ];
}

export class LldpProber {
  constructor(private readonly secret: Buffer) {
    if (secret.length === 0) throw new Error('LLDP probe secret must not be empty');
  }

  build(f: ProbeFields): Buffer {
    const ts = Math.floor(f.timestamp);
    const body = Buffer.alloc(BODY_BYTES);
    body.writeBigUInt64BE(f.dpid, 0);
    body.writeUInt32BE(f.port, 8);
    body.writeBigUInt64BE(BigInt(ts), 12);
    this.mac(f.dpid, f.port, ts).copy(body, 20);
    const lldp = buildLldp({
      chassisId: { subtype: 7, value: chassisText(f.dpid), format: 'text' },
      portId: { subtype: 7, value: String(f.port), format: 'text' },
      ttl: Math.min(0xffff, Math.max(1, Math.ceil(f.ttlSeconds))),
      tlvs: [{ type: 'org_specific', oui: PROBE_OUI, subtype: PROBE_SUBTYPE, data: body }],
    });
    const src = parseMac(f.srcMac) ? f.srcMac : '02:00:00:00:00:01';
    return buildEthernet({ dst: LLDP_MULTICAST, src, ethertype: ETHERTYPE_LLDP, payload: lldp });
  }

  /** What a received frame is, for a probe that may be at most `maxAgeMs` old at `now`. */
  read(frame: Buffer, now: number, maxAgeMs: number): ProbeVerdict {
    const eth = parseEthernet(frame);
    if (isPacketError(eth) || eth.ethertype !== ETHERTYPE_LLDP) return { kind: 'not_lldp' };
    const l = parseLldp(frame, eth.payloadOffset, frame.length);
    if (isPacketError(l)) return rejected('malformed');
    const org = l.tlvs.find((t) => t.type === 'org_specific' && t.oui === PROBE_OUI && t.subtype === PROBE_SUBTYPE);
    if (!org || org.type !== 'org_specific') return rejected('not_ours');
    const body = typeof org.data === 'string' ? Buffer.from(org.data, 'hex') : Buffer.from(org.data);
    if (body.length !== BODY_BYTES) return rejected('malformed');
    const dpid = body.readBigUInt64BE(0);
    const port = body.readUInt32BE(8);
    const ts = Number(body.readBigUInt64BE(12));
    if (!timingSafeEqual(body.subarray(20), this.mac(dpid, port, ts))) return rejected('bad_hmac');
    // The readable TLVs must say what the signed ones say, so tools that
    // show chassis/port (tshark, lldpd) never disagree with the link we make.
    if (idBytes(l.chassisId).toString('utf8') !== chassisText(dpid) || l.chassisId.subtype !== 7) return rejected('malformed');
    if (l.portId.subtype !== 7 || idBytes(l.portId).toString('utf8') !== String(port)) return rejected('malformed');
    const age = now - ts;
    // A little future is allowed: the sender makes send times unique per port by bumping a repeated one by a millisecond.
    if (age < -FUTURE_SLACK_MS || age > maxAgeMs) return rejected('stale');
    return { kind: 'probe', dpid, port, timestamp: ts };
  }

  private mac(dpid: bigint, port: number, ts: number): Buffer {
    const msg = Buffer.alloc(20);
    msg.writeBigUInt64BE(dpid, 0);
    msg.writeUInt32BE(port, 8);
    msg.writeBigUInt64BE(BigInt(ts), 12);
    return createHmac('sha256', this.secret).update(DOMAIN).update(msg).digest().subarray(0, HMAC_BYTES);
  }
}

function rejected(reason: ProbeRejection): ProbeVerdict {
  return { kind: 'rejected', reason };
}

function chassisText(dpid: bigint): string {
  return 'dpid:' + dpid.toString(16).padStart(16, '0');
}

/** The id's bytes whichever way the decoder chose to present them (text when they happen to be UTF-8). */
function idBytes(id: LldpId): Buffer {
  return id.format === 'hex' ? Buffer.from(id.value, 'hex') : Buffer.from(id.value, 'utf8');
}
