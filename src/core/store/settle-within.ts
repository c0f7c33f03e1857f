/**
 * Wait for `p` at most `ms`, whatever it does: for shutdown steps against a
 * networked service (an etcd watch cancel, a lease revoke), whose answer
 * may never come when the member the call went to has died; stopping must
 * not hang on it. Resolves to whether `p` settled in time.
 */
export async function settleWithin(p: Promise<unknown> | undefined, ms: number): Promise<boolean> {
  if (p === undefined) return true;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([p.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
