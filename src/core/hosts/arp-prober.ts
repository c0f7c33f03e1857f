// Asking quiet hosts for their IPv4 address.
//
// A host that only answers never shows us an address: its ARP replies and
// echo replies follow flows to hosts already learned, and the switch never
// sends them up (in a Mininet pingall the last host is asked for by every
// other one first, so it never ARPs itself). What we do see is the question:
// a broadcast ARP request for an address no known host owns. Then, a moment
// later (the asker's own reply may still teach it), each attached host that
// has no IPv4 address yet gets an ARP probe for that address, unicast on its
// own port: sender PROBE_MAC, sender address 0.0.0.0 (RFC 5227, so no
// neighbour cache learns anything from it). The owner answers to PROBE_MAC,
// which no flow knows: the reply misses to the controller, and the host
// tracker learns the address from its sender fields like any other ARP.
//
// Bounded: one probe round per address per `repeatMs`, at most `maxHosts`
// hosts per round, at most `maxPending` addresses waiting.

import { ARP_REQUEST, ETHERTYPE_ARP, buildArp, buildEthernet } from '../../packet/index.js';
import type { Clock, TimerHandle } from '../clock.js';

/** A locally administered unicast MAC that only our probes use as their source. */
export const PROBE_MAC = '06:53:77:00:00:01';

/** Send one frame out of one switch port (a packet-out). */
export type ProbeSend = (dpid: string, port: number, frame: Buffer) => void;

export interface ArpProbeOptions {
  /** How long after the question to probe (default 500 ms). */
  readonly delayMs?: number;
  /** An address is probed at most once per this long (default 30 000 ms). */
  readonly repeatMs?: number;
  /** Hosts probed per round (default 16). */
  readonly maxHosts?: number;
  /** Addresses waiting for their round (default 64). */
  readonly maxPending?: number;
}

export interface ProbeCandidate {
  readonly mac: string;
  readonly vlan: number | null;
  readonly dpid: string;
  readonly port_no: number;
}

export interface ArpProberDeps {
  readonly clock: Clock;
  readonly send: ProbeSend;
  /** Whether a known host owns the address already. */
  owned(ip: string): boolean;
  /** Up to `limit` attached hosts without an IPv4 address. */
  candidates(limit: number): readonly ProbeCandidate[];
}

/** The probe frame: an ARP request for `ip` to `to` (unicast), from PROBE_MAC with sender address 0.0.0.0. */
export function probeFrame(to: ProbeCandidate, ip: string): Buffer {
  return buildEthernet({
    dst: to.mac,
    src: PROBE_MAC,
    ethertype: ETHERTYPE_ARP,
    ...(to.vlan !== null && { vlans: [{ vid: to.vlan }] }),
    payload: buildArp({ op: ARP_REQUEST, sha: PROBE_MAC, spa: '0.0.0.0', tpa: ip }),
  });
}

export class ArpProber {
  private readonly lastRound = new Map<string, number>();
  private readonly pending = new Map<string, TimerHandle>();
  private readonly delayMs: number;
  private readonly repeatMs: number;
  private readonly maxHosts: number;
  private readonly maxPending: number;
  /** Probes sent (for tests and metrics). */
  sent = 0;

  constructor(
    private readonly deps: ArpProberDeps,
    o: ArpProbeOptions = {},
  ) {
    this.delayMs = o.delayMs ?? 500;
    this.repeatMs = o.repeatMs ?? 30_000;
    this.maxHosts = o.maxHosts ?? 16;
    this.maxPending = o.maxPending ?? 64;
  }

  /** Someone sent an ARP request for `ip`. */
  asked(ip: string): void {
    if (this.deps.owned(ip) || this.pending.has(ip) || this.pending.size >= this.maxPending) return;
    const last = this.lastRound.get(ip);
    if (last !== undefined && this.deps.clock.now() - last < this.repeatMs) return;
    // Whether anyone could be probed is left to the round: asking here cost a scan of every host per ARP
    // request, and a storm of ARPs for an unowned address from hosts that all have addresses made it quadratic.
    this.pending.set(ip, this.deps.clock.setTimeout(() => this.round(ip), this.delayMs));
  }

  stop(): void {
    for (const t of this.pending.values()) this.deps.clock.clearTimeout(t);
    this.pending.clear();
  }

  private round(ip: string): void {
    this.pending.delete(ip);
    if (this.deps.owned(ip)) return;
    const now = this.deps.clock.now();
    // Forget rounds long past, so the map stays as small as the set of recent questions.
    for (const [k, t] of this.lastRound) if (now - t >= this.repeatMs) this.lastRound.delete(k);
    const to = this.deps.candidates(this.maxHosts);
    // Nobody to ask is not a round: a host that turns up without an address is asked at the next question.
    if (to.length === 0) return;
    this.lastRound.set(ip, now);
    for (const h of to) {
      this.deps.send(h.dpid, h.port_no, probeFrame(h, ip));
      this.sent++;
    }
  }
}
