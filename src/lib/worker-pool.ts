/**
 * The labs' worker pool: jobs 0…total−1 spread over a few module workers, each worker sent the next
 * job as soon as it answers the last. Used by the validator, the planner's fingerprint and the
 * evaluation lab; each keeps its own on-page fallback for browsers without workers. The workers'
 * side of this exchange is src/lib/worker-jobs.ts.
 */

/** How many workers a lab starts for `total` jobs: two where the browser has workers, none otherwise. */
export function workerCount(total: number): number {
  return typeof Worker === 'undefined' ? 0 : Math.min(2, total);
}

type Failed = { i: number; error: string };

export interface PoolOptions<Req, Rep extends { i: number }> {
  count: number;
  total: number;
  /** Starts one worker (`new Worker(new URL('./x-worker.ts', import.meta.url), …)` in the caller, so the bundler finds it). */
  create: () => Worker;
  /** The first message each worker gets (e.g. the source's descriptor). */
  setup: Req;
  request: (i: number) => Req;
  /** Every reply that is not `{ i, error }`. */
  onReply: (reply: Exclude<Rep, Failed>) => void;
  /** The message of the error thrown for job i's `{ i, error }` reply. */
  failure: (i: number, error: string) => string;
  /** Said when a worker fails without a message (e.g. it could not start). */
  startFailure: string;
  signal?: AbortSignal;
}

/** Resolves when every job answered; rejects on the first failed job, worker error or abort. Workers are always terminated. */
export async function runOnWorkers<Req, Rep extends { i: number }>(o: PoolOptions<Req, Rep>): Promise<void> {
  const cancelled = () => new DOMException('cancelled', 'AbortError');
  const workers = Array.from({ length: o.count }, o.create);
  try {
    let next = 0;
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (o.signal?.aborted) return reject(cancelled());
              if (next >= o.total) return resolve();
              w.postMessage(o.request(next++));
            };
            w.onmessage = (e: MessageEvent<Rep>) => {
              const m = e.data;
              if ('error' in m) return reject(new Error(o.failure(m.i, (m as unknown as Failed).error)));
              o.onReply(m as Exclude<Rep, Failed>);
              send();
            };
            w.onerror = (e) => reject(new Error(e.message || o.startFailure));
            o.signal?.addEventListener('abort', () => reject(cancelled()), { once: true });
            w.postMessage(o.setup);
            send();
          }),
      ),
    );
  } finally {
    for (const w of workers) w.terminate();
  }
}
