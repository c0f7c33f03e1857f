// Switches and ports as the REST API shows them, and the schemas that say
// so. Shared by /switches, /switches/:dpid/ports and the port statistics.
import type { Port } from '../../openflow/structs/port.js';
import type { PortStats } from '../../openflow/multipart/port-stats.js';
import type { SwitchLink } from '../../core/southbound.js';
import { portIsUp, type SwitchRecord } from '../../core/switches.js';
import type { PortView } from '../../core/stats/stats-service.js';
import type { PortRates } from '../../core/stats/rates.js';
import { notFound, type ApiError } from '../errors.js';

/** OpenFlow's largest physical port number (OFPP_MAX); the numbers above it are reserved ports. */
export const OFPP_MAX = 0xffffff00;

/** Rates as the stats service last computed them; null until it has two samples. */
export interface RatesJson {
  readonly rx_bps: number;
  readonly tx_bps: number;
  readonly rx_pps: number;
  readonly tx_pps: number;
  /** ISO time of the sample the rates end at. */
  readonly time: string;
  /** The switch's counters went backwards in the interval (port re-created, switch restarted). */
  readonly reset: boolean;
}

export interface PortLiveJson {
  /** ISO time the counters arrived. */
  readonly updated_at: string;
  readonly rates: RatesJson | null;
  readonly rx_packets: string;
  readonly tx_packets: string;
  readonly rx_bytes: string;
  readonly tx_bytes: string;
  readonly rx_dropped: string;
  readonly tx_dropped: string;
  readonly rx_errors: string;
  readonly tx_errors: string;
}

export interface PortJson {
  readonly port_no: number;
  readonly name: string;
  readonly hw_addr: string;
  readonly up: boolean;
  readonly config: readonly string[];
  readonly state: readonly string[];
  readonly curr: readonly string[];
  readonly advertised: readonly string[];
  readonly supported: readonly string[];
  readonly peer: readonly string[];
  readonly curr_speed: number;
  readonly max_speed: number;
  readonly stats: PortLiveJson | null;
}

export interface SwitchDescJson {
  readonly mfr_desc: string;
  readonly hw_desc: string;
  readonly sw_desc: string;
  readonly serial_num: string;
  readonly dp_desc: string;
}

export interface SwitchSummaryJson {
  readonly dpid: string;
  readonly address: string | null;
  readonly connected_at: string;
  readonly description: SwitchDescJson;
  readonly n_tables: number;
  readonly n_buffers: number;
  readonly capabilities: readonly string[];
  readonly n_ports: number;
}

export interface SwitchDetailJson extends SwitchSummaryJson {
  readonly features: {
    readonly datapath_id: string;
    readonly n_buffers: number;
    readonly n_tables: number;
    readonly auxiliary_id: number;
    readonly capabilities: readonly string[];
    readonly reserved: number;
  };
  readonly ports: readonly PortJson[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The channel knows the switch's address; core's SwitchLink does not promise it, so look without depending on it. */
function peerAddress(link: SwitchLink): string | null {
  const p = (link as { readonly peer?: unknown }).peer;
  return typeof p === 'string' ? p : null;
}

export function ratesJson(r: PortRates | undefined): RatesJson | null {
  return r === undefined ? null : { rx_bps: r.rx_bps, tx_bps: r.tx_bps, rx_pps: r.rx_pps, tx_pps: r.tx_pps, time: iso(r.time), reset: r.reset };
}

function liveJson(v: PortView): PortLiveJson {
  const c: PortStats = v.counters;
  return {
    updated_at: iso(v.time),
    rates: ratesJson(v.rates),
    rx_packets: c.rx_packets.toString(),
    tx_packets: c.tx_packets.toString(),
    rx_bytes: c.rx_bytes.toString(),
    tx_bytes: c.tx_bytes.toString(),
    rx_dropped: c.rx_dropped.toString(),
    tx_dropped: c.tx_dropped.toString(),
    rx_errors: c.rx_errors.toString(),
    tx_errors: c.tx_errors.toString(),
  };
}

export function portJson(p: Port & { port_no: number }, live: PortView | undefined): PortJson {
  return {
    port_no: p.port_no,
    name: p.name,
    hw_addr: p.hw_addr,
    up: portIsUp(p),
    config: p.config,
    state: p.state,
    curr: p.curr,
    advertised: p.advertised,
    supported: p.supported,
    peer: p.peer,
    curr_speed: p.curr_speed,
    max_speed: p.max_speed,
    stats: live === undefined ? null : liveJson(live),
  };
}

/** The switch's numbered ports, ascending (the registry holds no reserved ports). */
export function sortedPorts(sw: SwitchRecord): (Port & { port_no: number })[] {
  const out: (Port & { port_no: number })[] = [];
  for (const p of sw.ports.values()) if (typeof p.port_no === 'number') out.push(p as Port & { port_no: number });
  return out.sort((a, b) => a.port_no - b.port_no);
}

/** 404 naming the ports the switch does have. */
export function portNotFound(sw: SwitchRecord, portNo: number): ApiError {
  const known = [...sw.ports.keys()].sort((a, b) => a - b);
  return notFound('port', `switch ${sw.id} has no port ${portNo} (ports: ${known.length ? known.join(', ') : 'none'})`);
}

export function switchSummary(sw: SwitchRecord): SwitchSummaryJson {
  const f = sw.info.features;
  const d = sw.info.desc;
  return {
    dpid: sw.id,
    address: peerAddress(sw.link),
    connected_at: iso(sw.connectedAt),
    description: { mfr_desc: d.mfr_desc, hw_desc: d.hw_desc, sw_desc: d.sw_desc, serial_num: d.serial_num, dp_desc: d.dp_desc },
    n_tables: f.n_tables,
    n_buffers: f.n_buffers,
    capabilities: f.capabilities,
    n_ports: sw.ports.size,
  };
}

export function switchDetail(sw: SwitchRecord, live: (portNo: number) => PortView | undefined): SwitchDetailJson {
  const f = sw.info.features;
  return {
    ...switchSummary(sw),
    features: { datapath_id: sw.id, n_buffers: f.n_buffers, n_tables: f.n_tables, auxiliary_id: f.auxiliary_id, capabilities: f.capabilities, reserved: f.reserved },
    ports: sortedPorts(sw).map((p) => portJson(p, live(p.port_no))),
  };
}

// Schemas. Every field is listed so fast-json-stringify writes them all and the OpenAPI document describes them.

const strings = { type: 'array', items: { type: 'string' } } as const;
const u64String = { type: 'string', description: '64-bit counter as a decimal string' } as const;

export const ratesSchema = {
  type: ['object', 'null'],
  description: 'rates between the last two statistics polls; null until there are two',
  properties: {
    rx_bps: { type: 'number' }, tx_bps: { type: 'number' }, rx_pps: { type: 'number' }, tx_pps: { type: 'number' },
    time: { type: 'string', format: 'date-time' },
    reset: { type: 'boolean', description: 'the switch counters went backwards in the interval' },
  },
  required: ['rx_bps', 'tx_bps', 'rx_pps', 'tx_pps', 'time', 'reset'],
} as const;

export const portSchema = {
  type: 'object',
  properties: {
    port_no: { type: 'integer' },
    name: { type: 'string' },
    hw_addr: { type: 'string' },
    up: { type: 'boolean', description: 'not administratively down and has link' },
    config: { ...strings, description: 'ofp_port_config bits that are set: port_down, no_recv, no_fwd, no_packet_in' },
    state: { ...strings, description: 'ofp_port_state bits: link_down, blocked, live' },
    curr: strings, advertised: strings, supported: strings, peer: strings,
    curr_speed: { type: 'integer', description: 'kbps' },
    max_speed: { type: 'integer', description: 'kbps' },
    stats: {
      type: ['object', 'null'],
      description: 'the latest counters from the periodic statistics poll; null before the first',
      properties: {
        updated_at: { type: 'string', format: 'date-time' },
        rates: ratesSchema,
        rx_packets: u64String, tx_packets: u64String, rx_bytes: u64String, tx_bytes: u64String,
        rx_dropped: u64String, tx_dropped: u64String, rx_errors: u64String, tx_errors: u64String,
      },
    },
  },
  required: ['port_no', 'name', 'hw_addr', 'up', 'config', 'state', 'stats'],
} as const;

const descSchema = {
  type: 'object',
  properties: { mfr_desc: { type: 'string' }, hw_desc: { type: 'string' }, sw_desc: { type: 'string' }, serial_num: { type: 'string' }, dp_desc: { type: 'string' } },
} as const;

const summaryProperties = {
  dpid: { type: 'string', description: '16 lowercase hex digits' },
  address: { type: ['string', 'null'], description: 'the switch end of the OpenFlow connection (ip:port)' },
  connected_at: { type: 'string', format: 'date-time' },
  description: descSchema,
  n_tables: { type: 'integer' },
  n_buffers: { type: 'integer' },
  capabilities: strings,
  n_ports: { type: 'integer' },
} as const;

export const switchSummarySchema = {
  type: 'object',
  properties: summaryProperties,
  required: ['dpid', 'connected_at', 'description', 'n_tables', 'capabilities', 'n_ports'],
} as const;

export const switchDetailSchema = {
  type: 'object',
  properties: {
    ...summaryProperties,
    features: {
      type: 'object',
      description: 'the FEATURES_REPLY of the handshake',
      properties: {
        datapath_id: { type: 'string' }, n_buffers: { type: 'integer' }, n_tables: { type: 'integer' },
        auxiliary_id: { type: 'integer' }, capabilities: strings, reserved: { type: 'integer' },
      },
    },
    ports: { type: 'array', items: portSchema },
  },
  required: ['dpid', 'features', 'ports'],
} as const;
