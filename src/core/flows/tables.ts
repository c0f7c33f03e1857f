import type { Instruction } from '../../openflow/structs/instruction.js';

/** What a table does with a packet no flow of it matches. */
export type TableMiss = 'controller' | 'drop' | { readonly goto: string };

/** One pipeline table, declared by name; its OpenFlow table id is its position. */
export interface TableDecl {
  readonly name: string;
  readonly miss: TableMiss;
  /** Tables a flow here may goto; omitted = any later table. */
  readonly next?: readonly string[];
  /**
   * Priority bands by owner, inclusive: a listed owner installs only inside
   * its band, and an owner not listed only outside every band, so apps that
   * share a table cannot shadow or replace each other's flows. Core
   * (table-miss, LLDP) and the API (users' own flows) are not bound.
   */
  readonly bands?: Readonly<Record<string, readonly [number, number]>>;
}

export interface Table {
  readonly name: string;
  readonly id: number;
  readonly miss: TableMiss;
  readonly next: ReadonlySet<string> | undefined;
  readonly bands: ReadonlyMap<string, readonly [number, number]> | undefined;
}

/** Owners no band binds. */
const UNBOUND = new Set(['core', 'api']);

/** The layout used when nobody declares one: everything in one table, misses to the controller. */
export const DEFAULT_TABLES: readonly TableDecl[] = [{ name: 'main', miss: 'controller' }];

/** OF 1.3 table ids run 0..254 (255 is OFPTT_ALL). */
const MAX_TABLES = 255;

export class TableError extends Error {
  override readonly name = 'TableError';
}

/**
 * The pipeline, declared once by name in order (Faucet's valve_table idea).
 * Code names tables; only this registry knows numbers, so inserting a table
 * is a one-line change here instead of renumbering every app.
 */
export class TableRegistry {
  private readonly byName = new Map<string, Table>();
  private readonly byId: Table[] = [];

  constructor(decls: readonly TableDecl[] = DEFAULT_TABLES) {
    if (decls.length === 0) throw new TableError('declare at least one table');
    if (decls.length > MAX_TABLES) throw new TableError(`${decls.length} tables declared; OpenFlow 1.3 has at most ${MAX_TABLES}`);
    decls.forEach((d, id) => {
      if (typeof d.name !== 'string' || d.name.length === 0) throw new TableError(`table ${id} needs a name`);
      if (this.byName.has(d.name)) throw new TableError(`table "${d.name}" is declared twice`);
      for (const [owner, [lo, hi]] of Object.entries(d.bands ?? {})) {
        if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi > 0xffff || lo > hi) throw new TableError(`table "${d.name}": band of ${owner} must be [low, high] within 0..65535`);
      }
      const t: Table = { name: d.name, id, miss: d.miss, next: d.next ? new Set(d.next) : undefined, bands: d.bands ? new Map(Object.entries(d.bands)) : undefined };
      this.byName.set(d.name, t);
      this.byId.push(t);
    });
    // Checked after all names are known: goto targets must exist and lie later (OF 1.3.5 §5.1: goto only moves forward).
    for (const t of this.byId) {
      for (const n of t.next ?? []) this.checkForward(t, n, 'next');
      if (typeof t.miss === 'object') {
        this.checkForward(t, t.miss.goto, 'miss goto');
        if (t.next && !t.next.has(t.miss.goto)) throw new TableError(`table "${t.name}" misses to "${t.miss.goto}", which is not in its next list`);
      }
    }
  }

  get size(): number {
    return this.byId.length;
  }
  all(): readonly Table[] {
    return this.byId;
  }
  get(name: string): Table {
    const t = this.byName.get(name);
    if (t === undefined) throw new TableError(`no table named "${name}"; declared: ${[...this.byName.keys()].join(', ')}`);
    return t;
  }
  has(name: string): boolean {
    return this.byName.has(name);
  }
  /** The name of an OpenFlow table id, or undefined for one we did not declare. */
  nameOf(id: number): string | undefined {
    return this.byId[id]?.name;
  }

  /** Refuse a priority outside the owner's band (or, for an owner without one, inside another owner's band). */
  checkBand(t: Table, owner: string, priority: number): void {
    if (t.bands === undefined || UNBOUND.has(owner)) return;
    const own = t.bands.get(owner);
    if (own !== undefined) {
      if (priority < own[0] || priority > own[1]) throw new TableError(`${owner} may use priorities ${own[0]}..${own[1]} in table "${t.name}", not ${priority} (bands are declared in src/apps/pipeline.ts)`);
      return;
    }
    for (const [other, [lo, hi]] of t.bands) {
      if (priority >= lo && priority <= hi) throw new TableError(`priority ${priority} in table "${t.name}" is in ${other}'s band ${lo}..${hi}; ${owner} has no band there (declare one in src/apps/pipeline.ts)`);
    }
  }

  /** The goto_table instruction for `from` → `to`, refusing what the declaration does not allow. */
  gotoInstruction(from: Table, to: string): Instruction {
    const target = this.checkForward(from, to, 'goto');
    if (from.next && !from.next.has(to)) {
      throw new TableError(`a flow in "${from.name}" may not goto "${to}"; allowed: ${[...from.next].join(', ') || 'none'}`);
    }
    return { type: 'goto_table', table_id: target.id };
  }

  /** Instructions of the table-miss flow (priority 0, empty match) that realises a table's miss behaviour. */
  missInstructions(t: Table): Instruction[] {
    if (t.miss === 'drop') return [];
    if (t.miss === 'controller') return [{ type: 'apply_actions', actions: [{ type: 'output', port: 'controller', max_len: 'no_buffer' }] }];
    return [{ type: 'goto_table', table_id: this.get(t.miss.goto).id }];
  }

  private checkForward(from: Table, to: string, what: string): Table {
    const target = this.byName.get(to);
    if (target === undefined) throw new TableError(`table "${from.name}" ${what} "${to}" is not a declared table`);
    if (target.id <= from.id) throw new TableError(`table "${from.name}" ${what} "${to}" goes backwards; goto_table must go to a later table`);
    return target;
  }
}
