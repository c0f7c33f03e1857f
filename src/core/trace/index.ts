export { tracePacket, type TraceOptions } from './trace.js';
export { loadTraceNetwork } from './load.js';
export type * from './types.js';
