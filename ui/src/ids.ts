// Element ids on the map, shared by the map and the things that mark it.
export const switchNodeId = (dpid: string): string => `s:${dpid}`;
export const linkEdgeId = (id: string): string => `l:${id}`;
/** The edge from a host (or endpoint) node to its switch. */
export const attachEdgeId = (hostId: string): string => `a:${hostId}`;
