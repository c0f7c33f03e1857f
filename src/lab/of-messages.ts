// tshark's JSON (`-T json --no-duplicate-keys -J "frame tcp openflow_v1
// openflow_v4"`) turned into one record per OpenFlow message: which frame,
// which TCP connection, which direction, and every field tshark decoded in
// it (flattened, so a PACKET_IN's data — an ARP, an LLDP — is searchable as
// arp.src.proto_ipv4 or lldp.chassis.id). Pure: the tests feed it a fixture.

export interface OfMessage {
  readonly frame: number;
  readonly time: number;
  readonly stream: number;
  readonly from: 'switch' | 'controller';
  readonly version: number;
  readonly type: number;
  /** the dpid of the connection once its FEATURES_REPLY is seen (16 hex digits), else null */
  readonly dpid: string | null;
  readonly fields: ReadonlyMap<string, readonly string[]>;
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

function collect(value: Json, key: string, into: Map<string, string[]>): void {
  if (Array.isArray(value)) {
    for (const v of value) collect(v, key, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collect(v, k, into);
  } else {
    const list = into.get(key) ?? [];
    list.push(String(value));
    into.set(key, list);
  }
}

export function flatten(layer: Json): Map<string, string[]> {
  const out = new Map<string, string[]>();
  collect(layer, '', out);
  return out;
}

const first = (m: Map<string, string[]>, k: string): string | undefined => m.get(k)?.[0];

/** Every OpenFlow message in capture order; ofPort tells the controller's side. */
export function ofMessages(packets: unknown, ofPort: number): OfMessage[] {
  if (!Array.isArray(packets)) throw new Error('tshark JSON must be a list of packets');
  const out: OfMessage[] = [];
  const dpids = new Map<number, string>();
  for (const p of packets as { _source?: { layers?: Record<string, Json> } }[]) {
    const layers = p._source?.layers;
    if (!layers) continue;
    const frame = flatten(layers.frame ?? {});
    const tcp = flatten(layers.tcp ?? {});
    const stream = Number(first(tcp, 'tcp.stream') ?? -1);
    const from = Number(first(tcp, 'tcp.srcport')) === ofPort ? 'controller' : 'switch';
    // Wireshark's OpenFlow 1.0 dissector names its fields openflow.* and openflow_1_0.type.
    for (const [proto, typeKey, versionKey] of [['openflow_v1', 'openflow_1_0.type', 'openflow.version'], ['openflow_v4', 'openflow_v4.type', 'openflow_v4.version']] as const) {
      const layer = layers[proto];
      if (layer === undefined) continue;
      for (const msg of Array.isArray(layer) ? layer : [layer]) {
        const fields = flatten(msg);
        const type = Number(first(fields, typeKey));
        if (!Number.isInteger(type)) continue; // a continuation tshark could not frame
        const dp = first(fields, `${proto}.switch_features.datapath_id`);
        if (dp !== undefined && type === 6) dpids.set(stream, dp.replace(/^0x/, '').padStart(16, '0'));
        out.push({
          frame: Number(first(frame, 'frame.number')),
          time: Number(first(frame, 'frame.time_relative') ?? 0),
          stream,
          from,
          version: Number(first(fields, versionKey)),
          type,
          dpid: dpids.get(stream) ?? null,
          fields,
        });
      }
    }
  }
  // A connection's dpid is known only from its FEATURES_REPLY on; give it to the messages before, too.
  return out.map((m) => (m.dpid === null && dpids.has(m.stream) ? { ...m, dpid: dpids.get(m.stream) ?? null } : m));
}

export const OFPT_NAMES: Readonly<Record<number, string>> = {
  0: 'HELLO', 1: 'ERROR', 2: 'ECHO_REQUEST', 3: 'ECHO_REPLY', 4: 'EXPERIMENTER', 5: 'FEATURES_REQUEST', 6: 'FEATURES_REPLY',
  7: 'GET_CONFIG_REQUEST', 8: 'GET_CONFIG_REPLY', 9: 'SET_CONFIG', 10: 'PACKET_IN', 11: 'FLOW_REMOVED', 12: 'PORT_STATUS',
  13: 'PACKET_OUT', 14: 'FLOW_MOD', 15: 'GROUP_MOD', 16: 'PORT_MOD', 17: 'TABLE_MOD', 18: 'MULTIPART_REQUEST',
  19: 'MULTIPART_REPLY', 20: 'BARRIER_REQUEST', 21: 'BARRIER_REPLY', 24: 'ROLE_REQUEST', 25: 'ROLE_REPLY', 29: 'METER_MOD',
};
