// OpenFlow roles from the cluster's election: the elected master of a
// switch sends OFPT_ROLE_REQUEST master with the election's generation id,
// the others slave. Only a master whose request the switch confirmed may
// change the switch (the registry's write gate), and taking over reconciles
// the switch's flows to this instance's desired set.
import { OfpErrorReply } from '../../openflow/channel/errors.js';
import type { ControllerRole } from '../../openflow/messages/role.js';
import type { Clock, TimerHandle } from '../clock.js';
import type { EventBus } from '../events.js';
import type { FlowService } from '../flows/flow-service.js';
import type { SwitchLink } from '../southbound.js';
import type { SwitchRecord, SwitchRegistry } from '../switches.js';
import type { ClusterSnapshot, ClusterSwitch, ClusterView, LocalRole } from './cluster-view.js';
import type { Coordinator } from './coordinator.js';

export interface RoleLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface RoleManagerDeps {
  readonly switches: SwitchRegistry;
  readonly flows: Pick<FlowService, 'startReconcile'>;
  /** LLDP probes go out at once when this instance takes a switch over (its links are not known yet). */
  readonly topology: { probeAll(): void };
  readonly events: EventBus;
  readonly coordinator: Coordinator;
  readonly clock: Clock;
  readonly log: RoleLog;
  readonly requestTimeoutMs?: number;
  /** Every switch's role is checked against the election this often (retries after a refusal or a timeout). */
  readonly recheckMs?: number;
}

interface RoleState {
  readonly sw: SwitchRecord;
  /** What the switch confirmed last (pending: nothing yet, the switch treats us as equal but we do not write). */
  role: 'pending' | 'master' | 'slave';
  generation: bigint | undefined;
  /** A role request is in flight; `again` asks for another look when it is answered. */
  busy: boolean;
  again: boolean;
  /** The last refusal, so a retry of the same is logged once. */
  refused: string | undefined;
}

const isSlaveError = (m: { err_type: string | number; code?: string | number }): boolean => m.err_type === 'bad_request' && m.code === 'is_slave';

export class RoleManager implements ClusterView {
  private readonly states = new Map<bigint, RoleState>();
  private readonly d: RoleManagerDeps;
  private readonly timer: TimerHandle;
  private knownMembers = new Set<string>();
  private reachable: boolean;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(d: RoleManagerDeps) {
    this.d = d;
    const { switches, coordinator } = d;
    this.reachable = coordinator.reachable;
    switches.gateWrites((dpid) => this.states.get(dpid)?.role === 'master');
    this.unsubscribe.push(
      switches.onSwitchUp((sw) => {
        this.states.set(sw.dpid, { sw, role: 'pending', generation: undefined, busy: false, again: false, refused: undefined });
        coordinator.join(sw.id);
        this.evaluate(sw.dpid);
      }),
      switches.onSwitchDown((sw) => {
        if (this.states.get(sw.dpid)?.sw !== sw) return;
        this.states.delete(sw.dpid);
        coordinator.leave(sw.id);
      }),
      switches.onMessage((sw, msg) => {
        // The switch says another controller is master now (its request had a larger generation): stop writing.
        if (msg.type === 'error' && 'code' in msg && isSlaveError(msg)) this.demoted(sw);
      }),
      coordinator.onChange((dpid) => {
        if (dpid === undefined) this.clusterChanged();
        else this.evaluate(BigInt(`0x${dpid}`));
      }),
    );
    this.timer = d.clock.setInterval(() => {
      for (const dpid of this.states.keys()) this.evaluate(dpid);
    }, d.recheckMs ?? 1000);
  }

  /** This instance's confirmed role for a switch. */
  roleOf(dpid: bigint): LocalRole {
    return this.states.get(dpid)?.role ?? 'none';
  }

  stop(): void {
    this.d.clock.clearInterval(this.timer);
    for (const u of this.unsubscribe) u();
  }

  snapshot(): ClusterSnapshot {
    const c = this.d.coordinator;
    const out = new Map<string, ClusterSwitch>();
    for (const [dpid, s] of c.switches()) {
      out.set(dpid, {
        dpid, master: s.master?.node ?? null, generation: s.master?.generation.toString() ?? null,
        role: this.roleOf(BigInt(`0x${dpid}`)), candidates: s.candidates,
      });
    }
    for (const st of this.states.values()) {
      if (out.has(st.sw.id)) continue;
      out.set(st.sw.id, { dpid: st.sw.id, master: null, generation: null, role: st.role, candidates: [c.nodeId] });
    }
    return {
      mode: 'etcd',
      node_id: c.nodeId,
      etcd_reachable: c.reachable,
      members: c.members().map((m) => ({ ...m, self: m.node_id === c.nodeId })),
      switches: [...out.values()].sort((a, b) => (a.dpid < b.dpid ? -1 : 1)),
    };
  }

  private clusterChanged(): void {
    const c = this.d.coordinator;
    if (c.reachable !== this.reachable) {
      this.reachable = c.reachable;
      this.d.events.emit('cluster.etcd', { reachable: c.reachable });
    }
    const now = new Set(c.members().map((m) => m.node_id));
    for (const n of now) if (!this.knownMembers.has(n)) this.d.events.emit('cluster.member', { node_id: n, change: 'joined' });
    for (const n of this.knownMembers) if (!now.has(n)) this.d.events.emit('cluster.member', { node_id: n, change: 'left' });
    this.knownMembers = now;
    for (const dpid of this.states.keys()) this.evaluate(dpid);
  }

  private evaluate(dpid: bigint): void {
    const st = this.states.get(dpid);
    if (st === undefined) return;
    if (st.busy) {
      st.again = true;
      return;
    }
    const rec = this.d.coordinator.master(st.sw.id);
    if (rec === undefined) {
      // During an etcd outage the last view stands: a master keeps serving. With etcd answering and
      // nobody elected (a hand-over or an expiry in progress), nobody writes until the election is decided.
      if (this.d.coordinator.reachable && st.role === 'master') this.change(st, 'pending', undefined);
      return;
    }
    if (rec.mine) {
      if (st.role !== 'master' || st.generation !== rec.generation) void this.request(st, 'master', rec.generation);
      return;
    }
    // Another instance is master: stop writing now, and tell the switch (slaves get no packet-ins).
    if (st.role === 'master' || st.role === 'pending') this.change(st, st.role === 'master' ? 'pending' : st.role, st.generation);
    if (st.role !== 'slave' || st.generation !== rec.generation) void this.request(st, 'slave', rec.generation);
  }

  private async request(st: RoleState, role: 'master' | 'slave', generation: bigint): Promise<void> {
    const link: SwitchLink = st.sw.link;
    st.busy = true;
    try {
      const reply = await link.request({ type: 'role_request', xid: 0, role: role as ControllerRole, generation_id: generation }, this.d.requestTimeoutMs);
      if (this.states.get(st.sw.dpid) !== st) return;
      if (reply.type !== 'role_reply' || reply.role !== role) throw new Error(`switch answered the ${role} role request with ${reply.type} ${reply.type === 'role_reply' ? String(reply.role) : ''}`);
      st.refused = undefined;
      // Still what the election says? (it may have moved while the request was in flight; `again` then looks once more)
      const rec = this.d.coordinator.master(st.sw.id);
      const stillWanted = role === 'master' ? rec?.mine === true && rec.generation === generation : rec?.mine !== true;
      if (!stillWanted) {
        st.again = true;
        return;
      }
      const was = st.role;
      const wasGeneration = st.generation;
      this.change(st, role, generation);
      // A new generation while master means our election key expired and was won again: another
      // instance may have been master in between (and written), so it is a takeover too.
      if (role === 'master' && (was !== 'master' || wasGeneration !== generation)) {
        const started = this.d.clock.now();
        this.d.topology.probeAll();
        const report = await this.d.flows.startReconcile(st.sw.dpid);
        this.d.log.info({ switch: st.sw.id, generation: generation.toString(), ms: Math.round(this.d.clock.now() - started), ...report }, 'took the switch over as master');
      }
    } catch (e) {
      const why = e instanceof OfpErrorReply ? `${String(e.errType)}/${String(e.code)}` : String(e);
      // role_request_failed/stale: the switch saw a larger generation (a newer master); our view of etcd catches up.
      if (st.refused !== why) this.d.log.warn({ switch: st.sw.id, role, generation: generation.toString(), err: why }, 'role request refused');
      st.refused = why;
    } finally {
      st.busy = false;
      if (st.again) {
        st.again = false;
        this.evaluate(st.sw.dpid);
      }
    }
  }

  private demoted(sw: SwitchRecord): void {
    const st = this.states.get(sw.dpid);
    if (st === undefined || st.sw !== sw || st.role !== 'master') return;
    this.d.log.warn({ switch: sw.id }, 'the switch says another controller is master: no longer writing');
    this.change(st, 'pending', st.generation);
  }

  private change(st: RoleState, role: RoleState['role'], generation: bigint | undefined): void {
    const before = st.role;
    st.role = role;
    st.generation = generation;
    if (before === role) return;
    const rec = this.d.coordinator.master(st.sw.id);
    this.d.events.emit('cluster.role', { dpid: st.sw.id, role, previous: before, generation: generation?.toString() ?? null, master: rec?.node ?? null });
  }
}
