/**
 * The worker side of worker-pool.ts: a worker's first message of type `setupType` prepares what its
 * jobs share (the labs rebuild the page's FileSources from their descriptors: Files, Blobs and zips
 * are structured-cloneable, nothing leaves the machine); every job `{ i, … }` is answered with
 * `{ i, …result }`, or `{ i, error }` when it throws (`problem` may turn an error into another reply).
 * Used by the validator's, the planner's and the evaluation lab's workers.
 */
export function serveJobs<Setup extends { type: string }, Job extends { i: number }, Ctx, Reply extends object>(o: {
  setupType: Setup['type'];
  prepare: (setup: Setup) => Promise<Ctx>;
  work: (ctx: Ctx, job: Job) => Promise<Reply>;
  /** The error of a job that arrives before the setup. */
  noSetup: string;
  problem?: (err: unknown) => Reply | null;
}): void {
  // Typed by hand: the site compiles with the DOM library, which clashes with the WebWorker one.
  const scope = self as unknown as {
    onmessage: ((e: MessageEvent<Setup | Job>) => void) | null;
    postMessage(message: object): void;
  };
  let ctx: Promise<Ctx> | null = null;
  scope.onmessage = async (e) => {
    const m = e.data;
    if ((m as Setup).type === o.setupType) {
      ctx = o.prepare(m as Setup);
      return;
    }
    const job = m as Job;
    try {
      if (!ctx) throw new Error(o.noSetup);
      scope.postMessage({ i: job.i, ...(await o.work(await ctx, job)) });
    } catch (err) {
      scope.postMessage({ i: job.i, ...(o.problem?.(err) ?? { error: (err as Error).message }) });
    }
  };
}
