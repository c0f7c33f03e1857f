// The container-network model: what is stored (one JSON value per key in
// the app's store) and what the REST API shows. Plain JSON throughout, so
// the store keeps it as is and GET answers are the stored values.

/** A container network: one IPv4 subnet on one OVS bridge, isolated from every other network. */
export interface Network {
  readonly name: string;
  /** Small integer, unique for the controller's life: written into OpenFlow metadata to tag the network's packets. */
  readonly id: number;
  /** Canonical CIDR (network address / prefix), e.g. "10.20.0.0/24". */
  readonly subnet: string;
  readonly gateway: string;
  /** The OVS bridge its endpoints are plugged into. */
  readonly bridge: string;
  /** How it was made: through the REST API or by Docker through the plugin. */
  readonly driver: 'rest' | 'docker';
  /** Docker's network id, for networks Docker created through the plugin. */
  readonly docker_id?: string;
}

/** A container's interface on a network. */
export interface Endpoint {
  /** Docker's endpoint id (plugin) or one of ours (REST), 64 hex digits. */
  readonly id: string;
  readonly network: string;
  readonly container_id: string;
  readonly container_name: string;
  readonly mac: string;
  readonly ip: string;
  /** The bridge's datapath id (16 hex digits) and the OpenFlow port of the host end of the veth. */
  readonly dpid: string;
  readonly port_no: number;
  /** Host end of the veth pair (the OVS port). */
  readonly port_name: string;
  readonly via: 'rest' | 'docker';
}

/** An address pool (IPAM). A network owns exactly one; Docker may hold one a moment before its network exists. */
export interface Pool {
  readonly subnet: string;
  readonly gateway: string;
  /** The network it belongs to, by id (undefined while Docker has requested the pool but not created the network). */
  readonly network?: number;
  /** Docker's IPAM asked for it (RequestPool): Docker releases it (ReleasePool) after deleting the network. */
  readonly docker_ipam?: boolean;
}

/** One allocated address of a pool. */
export interface Allocation {
  readonly ip: string;
  readonly use: 'gateway' | 'endpoint' | 'reserved';
  /** The endpoint holding it (absent for the gateway, and for a Docker address not yet bound to an endpoint). */
  readonly endpoint?: string;
}

/**
 * A refusal a person can act on. The REST routes turn it into an
 * AppHttpError with this status; the Docker plugin into its `Err` field.
 */
export class NetError extends Error {
  override readonly name = 'NetError';
  constructor(
    readonly status: 400 | 404 | 409 | 503,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
