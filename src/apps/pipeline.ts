import type { TableDecl } from '../core/flows/tables.js';

/**
 * The pipeline, in one place (as Faucet's faucet_pipeline declares its
 * tables): every OpenFlow table the controller uses, in order, with what a
 * miss does and which app may use which priorities. Code names tables; the
 * table id is the position here. An app that is not listed in a table's
 * bands may use only priorities outside all of them.
 *
 *   table 0 "main"  every packet starts here
 *     65000..65535  topology (core): LLDP to the controller, for discovery
 *     50000..50999  blocklist (the example app of src/apps/README.md)
 *     40000..49999  container-net: packets from container endpoints, and
 *                   endpoint traffic arriving over inter-switch links, go
 *                   to "cnet" with the network in the metadata
 *         1..39999  l2-switch / forwarding (alternatives; one runs)
 *                0  table-miss: to the controller
 *   table 1 "cnet"  container networks only; a miss is dropped, so a
 *                   packet between networks has nowhere to go
 *
 * Flows the API adds (REST, Ryu's ofctl_rest) go wherever the user says.
 */
export const PIPELINE: readonly TableDecl[] = [
  {
    name: 'main',
    miss: 'controller',
    bands: { topology: [65000, 65535], blocklist: [50000, 50999], 'container-net': [40000, 49999], 'l2-switch': [1, 39999], forwarding: [1, 39999] },
  },
  { name: 'cnet', miss: 'drop', bands: { 'container-net': [1, 65535] } },
];
