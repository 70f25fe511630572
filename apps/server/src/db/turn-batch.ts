// Calls made in the same turn of the event loop, answered by ONE statement (issue 3). Under load
// the HTTP requests that arrive together are parsed in one turn; each of them reading alone costs
// PostgreSQL a bind, an executor start and a round trip per request, and the server as much
// protocol work, where one statement over an array of keys costs about what one request did.
// A lone call waits for nothing but the end of the current turn.

type Pending<K, V> = { key: K; resolve(value: V): void; reject(error: unknown): void };

/** Gathers the calls of one turn and hands their keys to `run`, which answers in the same order. */
export class TurnBatch<K, V> {
  private pending: Array<Pending<K, V>> = [];
  private scheduled = false;

  constructor(
    private readonly run: (keys: readonly K[]) => Promise<readonly V[]>,
    private readonly maxSize = 256,
  ) {}

  load(key: K): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      this.pending.push({ key, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const all = this.pending;
    this.pending = [];
    for (let start = 0; start < all.length; start += this.maxSize) {
      const batch = all.slice(start, start + this.maxSize);
      this.run(batch.map((p) => p.key)).then(
        (values) => {
          batch.forEach((p, i) => p.resolve(values[i] as V));
        },
        // A failed statement fails every call that shared it, as it would have failed each alone.
        (error: unknown) => {
          for (const p of batch) p.reject(error);
        },
      );
    }
  }
}
