// One switch's OpenFlow 1.3 pipeline for one packet (OF 1.3.5 §5): table 0
// first; in each table the highest-priority matching flow; its instructions
// in the spec's order (meter, apply_actions, clear_actions, write_actions,
// write_metadata, goto_table); without a goto_table the action set runs in
// the spec's order (§5.10). No matching flow drops the packet. Groups
// (§5.6.1): all runs every bucket on a copy, indirect its one bucket, ff the
// first live bucket, select one bucket (the switch hashes; the trace takes
// the first live one and says so).
import type { Action } from '../../openflow/structs/action.js';
import type { Instruction } from '../../openflow/structs/instruction.js';
import type { OxmBasic } from '../../openflow/structs/oxm.js';
import type { FlowStats } from '../../openflow/multipart/flow-stats.js';
import type { GroupDesc } from '../../openflow/multipart/group-desc.js';
import { OFPVID_PRESENT } from '../../openflow/structs/oxm-fields.js';
import { fieldBytes, Header } from './header.js';
import type { MatchedFlow, TableStep, TraceSwitch, DropReason } from './types.js';

/** A copy of the packet the pipeline let out, before the network decides where it lands. */
export type Emit =
  | { readonly kind: 'port'; readonly port: number | 'in_port' | 'controller' | 'local' | 'normal' | 'flood' | 'all' | 'table' | 'any'; readonly header: Header; readonly via: string }
  | { readonly kind: 'drop'; readonly reason: DropReason; readonly detail: string; readonly table_id?: number; readonly header: Header; readonly via: string };

export interface PipelineResult {
  readonly tables: TableStep[];
  readonly actions: Action[];
  readonly emits: Emit[];
}

const MAX_GROUP_DEPTH = 16;

/** Spec order of the action set (§5.10); lower runs first. */
function setOrder(a: Action): number {
  switch (a.type) {
    case 'copy_ttl_in': return 0;
    case 'pop_vlan': case 'pop_mpls': case 'pop_pbb': return 1;
    case 'push_mpls': return 2;
    case 'push_pbb': return 3;
    case 'push_vlan': return 4;
    case 'copy_ttl_out': return 5;
    case 'dec_mpls_ttl': case 'dec_nw_ttl': return 6;
    case 'set_mpls_ttl': case 'set_nw_ttl': case 'set_field': return 7;
    case 'set_queue': return 8;
    case 'group': return 9;
    case 'output': return 10;
    default: return 7;
  }
}

/** The action set holds one action per type, and one set_field per field (§5.10). */
function setKey(a: Action): string {
  if (a.type === 'set_field') return `set_field:${'field' in a.field ? a.field.field : 'raw'}`;
  if (a.type === 'pop_vlan' || a.type === 'pop_mpls' || a.type === 'pop_pbb') return a.type;
  return a.type;
}

interface CompiledField {
  readonly name: OxmBasic['field'];
  readonly want: ReturnType<typeof fieldBytes>;
}
interface CompiledFlow {
  readonly stats: FlowStats;
  readonly fields: readonly CompiledField[] | null; // null: a field we cannot evaluate (not OpenFlow-basic)
}

/** A switch's flows by table, highest priority first, matches turned to bytes once. */
export class SwitchTables {
  private readonly byTable = new Map<number, CompiledFlow[]>();
  private readonly groups = new Map<number, GroupDesc>();

  constructor(
    readonly sw: TraceSwitch,
    private readonly ownerOf: (f: FlowStats) => string | null,
  ) {
    for (const f of sw.flows) {
      const fields: CompiledField[] = [];
      let ok = true;
      for (const m of f.match) {
        if (!('field' in m)) ok = false;
        else fields.push({ name: m.field, want: fieldBytes(m) });
      }
      const list = this.byTable.get(f.table_id) ?? [];
      list.push({ stats: f, fields: ok ? fields : null });
      this.byTable.set(f.table_id, list);
    }
    // Stable: among equal priorities the switch's order stands (the spec leaves overlapping equal priorities undefined).
    for (const list of this.byTable.values()) list.sort((a, b) => b.stats.priority - a.stats.priority);
    for (const g of sw.groups) if (typeof g.group_id === 'number') this.groups.set(g.group_id, g);
  }

  lookup(table: number, h: Header): FlowStats | undefined {
    for (const c of this.byTable.get(table) ?? []) {
      if (c.fields === null) continue;
      if (c.fields.every((f) => h.matches(f.name, f.want))) return c.stats;
    }
    return undefined;
  }

  group(id: number): GroupDesc | undefined {
    return this.groups.get(id);
  }

  matched(f: FlowStats): MatchedFlow {
    return { table_id: f.table_id, priority: f.priority, cookie: f.cookie, owner: this.ownerOf(f), match: f.match, instructions: f.instructions };
  }

  portUp(port: number): boolean {
    return this.sw.ports.some((p) => p.port_no === port && p.up);
  }
}

function applyHeaderAction(h: Header, a: Action): void {
  switch (a.type) {
    case 'set_field':
      if ('field' in a.field) h.set(a.field);
      return;
    case 'push_vlan': {
      // The new tag copies the VID and PCP of an existing outer tag, else zero (OF 1.3.5 §7.2.5).
      const vid = h.has('vlan_vid') ? h.bytes('vlan_vid').readUInt16BE(0) & 0x0fff : 0;
      h.set({ field: 'vlan_vid', value: OFPVID_PRESENT | vid });
      if (!h.has('vlan_pcp')) h.set({ field: 'vlan_pcp', value: 0 });
      return;
    }
    case 'pop_vlan':
      h.delete('vlan_vid');
      h.delete('vlan_pcp');
      return;
    default:
      return; // TTLs, queues and MPLS/PBB tags are not header fields a later table matches here
  }
}

class Run {
  readonly tables: TableStep[] = [];
  readonly actions: Action[] = [];
  readonly emits: Emit[] = [];

  constructor(private readonly t: SwitchTables) {}

  /** Execute an action list in order on h (apply_actions, a bucket, the action set). */
  execute(list: readonly Action[], h: Header, via: string, depth: number): void {
    for (const a of list) {
      this.actions.push(a);
      if (a.type === 'output') this.emits.push({ kind: 'port', port: a.port, header: h.clone(), via });
      else if (a.type === 'group') this.group(a.group_id, h, depth);
      else applyHeaderAction(h, a);
    }
  }

  private group(id: number | 'all' | 'any', h: Header, depth: number): void {
    const g = typeof id === 'number' ? this.t.group(id) : undefined;
    const via = `group ${String(id)}`;
    if (g === undefined) {
      this.emits.push({ kind: 'drop', reason: 'no_such_group', detail: `group ${String(id)} does not exist on the switch`, header: h.clone(), via });
      return;
    }
    if (depth >= MAX_GROUP_DEPTH) {
      this.emits.push({ kind: 'drop', reason: 'too_deep', detail: `groups chained more than ${MAX_GROUP_DEPTH} deep`, header: h.clone(), via });
      return;
    }
    const live = (b: GroupDesc['buckets'][number]): boolean => {
      const p = b.watch_port;
      const g2 = b.watch_group;
      if (typeof p === 'number') return this.t.portUp(p);
      if (typeof g2 === 'number') return this.t.group(g2)?.buckets.some((x) => typeof x.watch_port !== 'number' || this.t.portUp(x.watch_port)) ?? false;
      return true;
    };
    let chosen: { b: GroupDesc['buckets'][number]; i: number }[];
    if (g.group_type === 'all') chosen = g.buckets.map((b, i) => ({ b, i }));
    else if (g.group_type === 'ff') chosen = g.buckets.map((b, i) => ({ b, i })).filter(({ b }) => live(b)).slice(0, 1);
    else if (g.group_type === 'select') chosen = g.buckets.map((b, i) => ({ b, i })).filter(({ b }) => b.weight > 0 && live(b)).slice(0, 1);
    else chosen = g.buckets.slice(0, 1).map((b, i) => ({ b, i }));
    if (chosen.length === 0) {
      this.emits.push({ kind: 'drop', reason: 'no_live_bucket', detail: `group ${String(id)} (${String(g.group_type)}) has no live bucket`, header: h.clone(), via });
      return;
    }
    const what = g.group_type === 'select' && g.buckets.length > 1 ? ` of ${g.buckets.length}, chosen by the switch's hash` : '';
    for (const { b, i } of chosen) this.execute(b.actions, h.clone(), `group ${String(id)} bucket ${i}${what}`, depth + 1);
  }

  pipeline(h: Header): void {
    const set = new Map<string, Action>();
    let table = 0;
    for (;;) {
      const f = this.t.lookup(table, h);
      if (f === undefined) {
        this.tables.push({ table_id: table, flow: null });
        this.emits.push({ kind: 'drop', reason: 'no_match', table_id: table, detail: `no flow in table ${table} matches (and no table-miss flow)`, header: h.clone(), via: `table ${table}` });
        return;
      }
      this.tables.push({ table_id: table, flow: this.t.matched(f) });
      const next = this.instructions(f.instructions, h, set, table);
      if (next === undefined) break;
      if (next <= table) {
        this.emits.push({ kind: 'drop', reason: 'bad_goto', table_id: table, detail: `goto_table ${next} from table ${table} goes backwards`, header: h.clone(), via: `table ${table}` });
        return;
      }
      table = next;
    }
    const acts = [...set.values()].sort((a, b) => setOrder(a) - setOrder(b));
    // With a group in the action set, its output is ignored (§5.10).
    const run = acts.some((a) => a.type === 'group') ? acts.filter((a) => a.type !== 'output') : acts;
    const before = this.emits.length;
    this.execute(run, h, 'action_set', 0);
    if (this.emits.length === 0 && before === 0) {
      const last = this.tables[this.tables.length - 1]!;
      this.emits.push({ kind: 'drop', reason: 'no_actions', table_id: last.table_id, detail: `the flow in table ${last.table_id} (priority ${last.flow?.priority}) sends the packet nowhere`, header: h.clone(), via: `table ${last.table_id}` });
    }
  }

  /** A flow's instructions in the spec's order; the next table, or undefined. */
  private instructions(list: readonly Instruction[], h: Header, set: Map<string, Action>, table: number): number | undefined {
    const of = <T extends Instruction['type']>(type: T) => list.find((i) => i.type === type) as Extract<Instruction, { type: T }> | undefined;
    const apply = of('apply_actions');
    if (apply) this.execute(apply.actions, h, `table ${table} apply_actions`, 0);
    if (of('clear_actions')) set.clear();
    const write = of('write_actions');
    if (write) for (const a of write.actions) set.set(setKey(a), a);
    const md = of('write_metadata');
    if (md) {
      const old = h.bytes('metadata').readBigUInt64BE(0);
      h.set({ field: 'metadata', value: (old & ~md.metadata_mask) | (md.metadata & md.metadata_mask) });
    }
    return of('goto_table')?.table_id;
  }
}

/** The packet `h` (in_port set) through one switch's tables. */
export function runPipeline(t: SwitchTables, h: Header): PipelineResult {
  const r = new Run(t);
  if (!h.has('metadata')) h.set({ field: 'metadata', value: 0n });
  r.pipeline(h);
  return { tables: r.tables, actions: r.actions, emits: r.emits };
}
