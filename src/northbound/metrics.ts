import { Registry, Histogram, Gauge, Counter, collectDefaultMetrics } from 'prom-client';
import type { Core } from '../core/index.js';
import type { ChannelCounters } from '../openflow/channel/connection.js';
import type { EventStreamStats } from './event-stream.js';

/**
 * Prometheus metrics of one controller, in its own registry (several
 * controllers in one process, as in tests, do not mix). Apart from REST
 * latency, every value is read at scrape time from counters the services
 * keep anyway (collect callbacks), so no hot path pays for metrics.
 */
export class ApiMetrics {
  readonly registry = new Registry();
  private readonly latency: Histogram<'method' | 'route' | 'status'>;
  private readonly eventCounts = new Map<string, number>();
  private readonly errorCounts = new Map<string, number>();
  private stream: (() => EventStreamStats) | undefined;
  private readonly cleanups: (() => void)[] = [];

  constructor(readonly ctl: Core) {
    // Unprefixed, as every Prometheus client library names them (process_cpu_seconds_total, nodejs_heap_size_used_bytes): stock dashboards work.
    collectDefaultMetrics({ register: this.registry });
    this.latency = new Histogram({
      name: 'switchyard_rest_request_duration_seconds',
      help: 'REST request latency by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    this.cleanups.push(
      ctl.events.subscribe((e) => {
        this.eventCounts.set(e.type, (this.eventCounts.get(e.type) ?? 0) + 1);
        if (e.type === 'flow.error') this.errorCounts.set(String(e.data.err_type), (this.errorCounts.get(String(e.data.err_type)) ?? 0) + 1);
      }),
    );
    this.define();
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.latency.observe({ method, route, status: String(status) }, seconds);
  }

  /** The event stream reports its clients through this. */
  trackEventStream(stats: () => EventStreamStats): void {
    this.stream = stats;
  }

  /** Stop listening to the controller (the API is closing). */
  close(): void {
    for (const c of this.cleanups.splice(0)) c();
  }

  /** Channel counters over every connection, live and closed (kept by the listener, read through the core). */
  channelTotals(): ChannelCounters {
    return this.ctl.channel.totals();
  }

  private define(): void {
    const { ctl } = this;
    const registers = [this.registry];
    const gauge = (name: string, help: string, read: () => number): void => {
      new Gauge({ name, help, registers, collect() { this.set(read()); } });
    };
    // A counter whose value lives elsewhere: reset and set to the source's total at each scrape.
    const counter = (name: string, help: string, read: () => number): void => {
      new Counter({ name, help, registers, collect() { this.reset(); this.inc(read()); } });
    };
    const labelled = (name: string, help: string, label: string, read: () => ReadonlyMap<string, number>): void => {
      new Counter({
        name, help, registers, labelNames: [label],
        collect() {
          this.reset();
          for (const [k, v] of read()) this.inc({ [label]: k }, v);
        },
      });
    };

    gauge('switchyard_switches_connected', 'Switches connected and past the handshake', () => ctl.switches.size);
    gauge('switchyard_links', 'Inter-switch links discovered by LLDP, one per direction', () => ctl.topology.links().length);
    gauge('switchyard_hosts', 'Hosts known to the host tracker', () => ctl.hosts.size);
    gauge('switchyard_event_seq', 'Sequence number of the latest event', () => ctl.events.seq);
    gauge('switchyard_event_stream_clients', 'WebSocket event stream clients connected', () => this.stream?.().clients ?? 0);

    counter('switchyard_packet_ins_total', 'PACKET_IN messages processed (rate() gives packet-ins per second)', () => ctl.packets.counters.packetIns);
    counter('switchyard_packet_ins_dropped_total', 'PACKET_IN messages dropped by the per-switch rate limit', () => this.channelTotals().droppedPacketIns);
    counter('switchyard_packet_outs_total', 'PACKET_OUT messages sent', () => ctl.packets.counters.packetOuts + ctl.flows.counters.packetOuts);
    counter('switchyard_flow_mods_total', 'FLOW_MOD messages sent (apps, core and the API)', () => ctl.flows.counters.flowMods);
    counter('switchyard_group_mods_total', 'GROUP_MOD messages sent', () => ctl.flows.counters.groupMods);
    counter('switchyard_meter_mods_total', 'METER_MOD messages sent', () => ctl.flows.counters.meterMods);
    labelled('switchyard_openflow_errors_total', 'OFPT_ERROR replies refusing a flow, group or meter mod or packet-out, by error type', 'type', () => this.errorCounts);
    counter('switchyard_openflow_messages_received_total', 'OpenFlow messages received from switches', () => this.channelTotals().rxMessages);
    counter('switchyard_openflow_messages_sent_total', 'OpenFlow messages sent to switches', () => this.channelTotals().txMessages);
    counter('switchyard_openflow_decode_errors_total', 'Messages from switches that could not be decoded', () => this.channelTotals().rxErrors);
    counter('switchyard_openflow_send_dropped_total', 'Messages not sent because a switch was not reading (write queue full)', () => this.channelTotals().droppedTx);
    counter('switchyard_openflow_handshake_timeouts_total', 'Connections closed for not finishing HELLO..FEATURES..DESC within the handshake deadline', () => this.channelTotals().handshakeTimeouts);
    counter('switchyard_openflow_frame_timeouts_total', 'Connections closed because a started frame did not arrive whole within the frame deadline', () => this.channelTotals().frameTimeouts);
    counter('switchyard_openflow_connections_refused_total', 'Connections refused because too many were not yet identified', () => this.channelTotals().refusedUnidentified);
    counter('switchyard_openflow_certificates_refused_total', 'TLS connections closed because the switch certificate was missing or did not chain to the configured CA', () => this.channelTotals().refusedCertificates);
    counter('switchyard_openflow_takeovers_refused_total', 'Connections claiming a connected datapath id that were refused (the established connection answered an echo)', () => this.channelTotals().takeoversRefused);
    counter('switchyard_openflow_takeovers_total', 'Connections that took over a connected datapath id (same address, verified certificate, or the old connection was silent)', () => this.channelTotals().takeoversAccepted);
    labelled('switchyard_lldp_probes_ignored_total', 'LLDP frames that made no link, by reason (bad_hmac, stale, relayed, one_way, ...)', 'reason', () => {
      const c = ctl.topology.counters;
      return new Map([...Object.entries(c.rejected), ['one_way', c.oneWayExpired]]);
    });
    labelled('switchyard_hosts_evicted_total', 'Hosts evicted (least recently seen) to stay under a cap, by cap (per_switch, total)', 'cap', () => new Map([['per_switch', ctl.hosts.caps.evicted.perSwitch], ['total', ctl.hosts.caps.evicted.total]]));
    gauge('switchyard_flows_pending', 'Flow batches sent and waiting for their barrier reply', () => ctl.flows.pending.size);
    counter('switchyard_flow_batches_evicted_total', 'Flow batches given up without confirmation because too many waited for a barrier (per switch or in all)', () => ctl.flows.pending.evicted);
    counter('switchyard_log_lines_suppressed_total', 'Warning lines folded into per-interval summaries instead of written one by one', () => ctl.logSummaries.suppressed);
    labelled('switchyard_events_total', 'Events emitted, by type', 'type', () => this.eventCounts);
    counter('switchyard_event_stream_dropped_total', 'Event stream clients closed for being too slow', () => this.stream?.().dropped ?? 0);
    counter('switchyard_event_stream_messages_total', 'Messages sent to event stream clients', () => this.stream?.().messages ?? 0);
  }
}
