// A packet-in storm is cut at the switch: on every switch whose meter
// features offer packets-per-second drop bands, the special meter
// OFPM_CONTROLLER (OF 1.3.5 §7.3.4.4: "meter for slow datapath to controller
// connection") gets one drop band at `rate` packets/s. Open vSwitch applies
// it to every packet it sends to the controller (its "controller meter", in
// the userspace datapath too), so a flood from a host beyond the rate never
// leaves the switch. The controller's own per-switch budget (the channel's
// packet-in token bucket) stays, for switches without meters.
//
// Installed with add; a meter left by an earlier run (OFPMMFC_METER_EXISTS)
// is modified to this rate. With rate 0 nothing is sent: a controller meter
// someone set by hand stays as it is.

import { OfpErrorReply } from '../../openflow/channel/errors.js';
import type { MeterFeaturesReply } from '../../openflow/multipart/meter-features.js';
import type { MeterMod } from '../../openflow/messages/meter-mod.js';
import type { SwitchRecord, SwitchRegistry } from '../switches.js';
import type { EventBus } from '../events.js';

export interface PacketInMeterDeps {
  readonly switches: SwitchRegistry;
  /** In a cluster a switch is written by its master only: the meter goes on when this instance becomes master. */
  readonly events?: Pick<EventBus, 'on'>;
  /** The flow service's confirmed send (one barrier; a refusal rejects with OfpErrorReply). */
  sendConfirmed(dpid: bigint, msgs: readonly Omit<MeterMod, 'xid'>[], owner: string): Promise<void>;
  readonly log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; debug(obj: object, msg: string): void };
}

export function controllerMeter(command: 'add' | 'modify', rate: number): Omit<MeterMod, 'xid'> {
  // burst_size 0: the switch picks its default burst (OVS: the rate itself, one second's worth).
  return { type: 'meter_mod', command, flags: ['pktps'], meter_id: 'controller', bands: [{ type: 'drop', rate, burst_size: 0 }] };
}

/** Whether a switch's meter features can carry the controller meter. */
export function meterCapable(f: MeterFeaturesReply | undefined): boolean {
  return f !== undefined && f.max_meter > 0 && f.band_types.includes('drop') && f.capabilities.includes('pktps');
}

export class PacketInMeter {
  /** Switches that got the meter, and those whose features did not allow it (for tests and the log). */
  readonly counters = { installed: 0, unsupported: 0, failed: 0 };
  private readonly off: () => void;

  constructor(
    private readonly deps: PacketInMeterDeps,
    readonly rate: number,
  ) {
    if (rate <= 0) {
      this.off = () => {};
      return;
    }
    const offUp = deps.switches.onSwitchUp((sw) => {
      if (deps.switches.writable(sw.dpid)) void this.install(sw);
    });
    const offRole =
      deps.events?.on('cluster.role', (e) => {
        const sw = e.data.role === 'master' ? deps.switches.get(BigInt('0x' + e.data.dpid)) : undefined;
        if (sw !== undefined) void this.install(sw);
      }) ?? (() => {});
    this.off = () => {
      offUp();
      offRole();
    };
  }

  stop(): void {
    this.off();
  }

  /** Resolves to whether the meter is on the switch now. */
  async install(sw: SwitchRecord): Promise<boolean> {
    try {
      // A switch that answers meter_features with an error has no meters.
      const bodies: readonly { type: string }[] = await sw.link.multipart({ type: 'meter_features' }).catch((e: unknown) => {
        if (e instanceof OfpErrorReply) return [];
        throw e;
      });
      const f = bodies.find((b): b is MeterFeaturesReply => b.type === 'meter_features');
      if (!meterCapable(f)) {
        this.counters.unsupported++;
        this.deps.log.debug({ switch: sw.id }, 'switch has no packets-per-second meters: packet-ins limited by the controller only');
        return false;
      }
      try {
        await this.deps.sendConfirmed(sw.dpid, [controllerMeter('add', this.rate)], 'core');
      } catch (e) {
        if (!(e instanceof OfpErrorReply && e.code === 'meter_exists')) throw e;
        await this.deps.sendConfirmed(sw.dpid, [controllerMeter('modify', this.rate)], 'core');
      }
      this.counters.installed++;
      this.deps.log.info({ switch: sw.id, pktps: this.rate }, 'packet-in meter set on the switch');
      return true;
    } catch (e) {
      this.counters.failed++;
      this.deps.log.warn({ switch: sw.id, err: String(e) }, 'could not set the packet-in meter');
      return false;
    }
  }
}
