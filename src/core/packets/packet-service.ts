import type { PacketIn } from '../../openflow/messages/packet-in.js';
import type { Action } from '../../openflow/structs/action.js';
import type { PortNo } from '../../openflow/common.js';
import type { SwitchRecord, SwitchRegistry, SwitchView } from '../switches.js';

/**
 * advisor: annotates (e.g. parses, classifies), never sends;
 * director: may handle the packet, and the first that does stops the others;
 * observer: sees every packet, handled or not, never sends (host tracker, counters).
 */
export type ProcessorKind = 'advisor' | 'director' | 'observer';

export interface PacketInContext {
  /** The switch without its connection: processors answer through the packet and flow services. */
  readonly sw: SwitchView;
  readonly msg: PacketIn;
  /** in_port from the packet-in match (0 when the switch omitted it). */
  readonly inPort: number;
  readonly data: Buffer;
  /** Set by the director that handled the packet. */
  handledBy: string | undefined;
  /** Advisors' annotations for later processors. */
  readonly notes: Map<string, unknown>;
}

export interface PacketProcessor {
  readonly name: string;
  readonly kind: ProcessorKind;
  /** Lower runs first within its kind (default 100). */
  readonly order?: number;
  /** Directors return true when they handled the packet. */
  process(ctx: PacketInContext): boolean | void;
}

export interface PacketOutSpec {
  readonly inPort?: PortNo;
  /** A packet the switch buffered (a packet-in's buffer_id): released by naming it, and `data` is not sent. */
  readonly bufferId?: number | 'no_buffer';
  readonly actions: readonly Action[];
  readonly data: Buffer;
}

export interface PacketServiceLog {
  warn(obj: object, msg: string): void;
}

const NO_DATA = Buffer.alloc(0);

function inPortOf(msg: PacketIn): number {
  for (const f of msg.match) if ('field' in f && f.field === 'in_port') return typeof f.value === 'number' ? f.value : 0;
  return 0;
}

/** One packet-in's context; the notes map is made only for a processor that uses it (most packets never need one). */
class Context implements PacketInContext {
  readonly inPort: number;
  readonly data: Buffer;
  handledBy: string | undefined = undefined;
  private notesMap: Map<string, unknown> | undefined;
  constructor(
    readonly sw: SwitchView,
    readonly msg: PacketIn,
  ) {
    this.inPort = inPortOf(msg);
    this.data = msg.data;
  }
  get notes(): Map<string, unknown> {
    return (this.notesMap ??= new Map());
  }
}

/** Packet-ins through ordered processors, and packet-outs. */
export class PacketService {
  private advisors: PacketProcessor[] = [];
  private directors: PacketProcessor[] = [];
  private observers: PacketProcessor[] = [];
  /** Packet-ins seen, and how many each director handled (for metrics and benchmarks). */
  readonly counters = { packetIns: 0, unhandled: 0, packetOuts: 0, handledBy: new Map<string, number>() };

  constructor(
    private readonly switches: SwitchRegistry,
    private readonly log: PacketServiceLog,
  ) {
    switches.onMessage((sw, msg) => {
      // A slave gets no packet-ins; before its role is settled a switch sends them to every controller: only the master answers.
      if (msg.type === 'packet_in' && switches.writable(sw.dpid)) this.dispatch(sw, msg);
    });
  }

  register(p: PacketProcessor): () => void {
    const list = p.kind === 'advisor' ? 'advisors' : p.kind === 'director' ? 'directors' : 'observers';
    this[list] = [...this[list], p].sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
    return () => {
      this[list] = this[list].filter((x) => x !== p);
    };
  }

  packetOut(dpid: bigint, spec: PacketOutSpec): boolean {
    const sw = this.switches.get(dpid);
    if (!sw || !this.switches.writable(dpid)) return false;
    this.counters.packetOuts++;
    const buffered = spec.bufferId !== undefined && spec.bufferId !== 'no_buffer';
    return sw.link.send({ type: 'packet_out', xid: sw.link.xid(), buffer_id: spec.bufferId ?? 'no_buffer', in_port: spec.inPort ?? 'controller', actions: spec.actions, data: buffered ? NO_DATA : spec.data });
  }

  /** Visible for tests and benchmarks: run one packet-in through the processors. */
  dispatch(sw: SwitchRecord, msg: PacketIn): PacketInContext {
    this.counters.packetIns++;
    const ctx: PacketInContext = new Context(sw, msg);
    for (const p of this.advisors) this.run(p, ctx);
    for (const p of this.directors) {
      if (this.run(p, ctx)) {
        ctx.handledBy = p.name;
        this.counters.handledBy.set(p.name, (this.counters.handledBy.get(p.name) ?? 0) + 1);
        break;
      }
    }
    if (ctx.handledBy === undefined) this.counters.unhandled++;
    for (const p of this.observers) this.run(p, ctx);
    return ctx;
  }

  private run(p: PacketProcessor, ctx: PacketInContext): boolean {
    try {
      return p.process(ctx) === true;
    } catch (e) {
      // One app's bug must not stop the others from seeing the packet.
      this.log.warn({ processor: p.name, switch: ctx.sw.id, err: (e as Error).stack ?? String(e) }, 'packet processor failed');
      return false;
    }
  }
}
