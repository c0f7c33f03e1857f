// The helper lives beside the storm generator, which uses it too.
export { childHeapAfterGc } from '../../bench/lib/child-heap.js';
