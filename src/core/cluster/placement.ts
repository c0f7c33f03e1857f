// Which instance should master which switch: pure, so every instance
// computes the same answer from the same view of etcd.

/** FNV-1a, 32 bits: a stable hash (no Math.random, no process state). */
function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Rendezvous weight of a node for a switch: the highest wins a tie. */
const weight = (dpid: string, node: string): number => fnv(`${dpid}/${node}`);

/**
 * The preferred master of each switch, given which instances see it
 * (`candidates`, dpid → node ids) and who masters it now (`current`).
 * Balanced: no instance gets more than ceil(switches / instances) while
 * another candidate has room; sticky: a current master keeps its switch
 * while it is within that share, so a membership change moves as few
 * switches as it can. Ties go by rendezvous hashing.
 */
export function placeMasters(candidates: ReadonlyMap<string, ReadonlySet<string>>, current: ReadonlyMap<string, string>): Map<string, string> {
  const nodes = new Set<string>();
  for (const c of candidates.values()) for (const n of c) nodes.add(n);
  const out = new Map<string, string>();
  if (nodes.size === 0) return out;
  const share = Math.ceil([...candidates.values()].filter((c) => c.size > 0).length / nodes.size);
  const load = new Map<string, number>([...nodes].map((n) => [n, 0]));
  const dpids = [...candidates.keys()].filter((d) => candidates.get(d)!.size > 0).sort((a, b) => fnv(a) - fnv(b) || (a < b ? -1 : 1));
  const rest: string[] = [];
  for (const d of dpids) {
    const m = current.get(d);
    if (m !== undefined && candidates.get(d)!.has(m) && load.get(m)! < share) {
      out.set(d, m);
      load.set(m, load.get(m)! + 1);
    } else rest.push(d);
  }
  for (const d of rest) {
    let best: string | undefined;
    for (const n of candidates.get(d)!) {
      if (best === undefined) best = n;
      else {
        const ln = load.get(n)!;
        const lb = load.get(best)!;
        if (ln < lb || (ln === lb && weight(d, n) > weight(d, best))) best = n;
      }
    }
    out.set(d, best!);
    load.set(best!, load.get(best!)! + 1);
  }
  return out;
}
