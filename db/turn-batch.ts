export interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers the items asked for during one turn of the event loop, per key (a database client),
 * and hands each batch to `run` once the turn is over: concurrent requests then share one round
 * trip instead of paying for one each. `run` settles every item's promise. A batch that reaches
 * `maxSize` is closed and the next item starts another.
 */
export function perTurnBatches<K extends object, T, R>(run: (key: K, batch: Waiting<T, R>[]) => void, maxSize = Infinity) {
  const open = new WeakMap<K, Waiting<T, R>[]>();
  return (key: K, item: T): Promise<R> => {
    let batch = open.get(key);
    if (!batch) {
      const created: Waiting<T, R>[] = [];
      open.set(key, created);
      setImmediate(() => {
        if (open.get(key) === created) open.delete(key);
        run(key, created);
      });
      batch = created;
    }
    if (batch.length + 1 >= maxSize) open.delete(key);
    const joined = batch;
    return new Promise<R>((resolve, reject) => joined.push({ item, resolve, reject }));
  };
}
