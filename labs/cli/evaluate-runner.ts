/**
 * Runs `bratslab evaluate` over pairs with worker threads: the main thread pairs files and
 * collects results, each worker reads one pair at a time (so memory stays flat in the number of
 * cases: at most one pair per worker is in memory) and returns its metrics. Workers run this same
 * bundle through the hidden `__evaluate-worker` subcommand, as the check's workers do. `jobs: 0`
 * evaluates in-process (tests of the unbundled sources).
 */
import { availableParallelism } from 'node:os';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker } from 'node:worker_threads';
import { EvaluateError, evaluateFiles, type CaseOptions, type CaseResult, type Problem, type RegionSet } from '../evaluate/index';
import { checkCodec } from './check-codec';
import { workerSource } from './check-runner';

export const EVALUATE_WORKER_ARG = '__evaluate-worker';

export interface PairJob {
  i: number;
  id: string;
  prediction: string;
  reference: string;
  set: RegionSet;
  opts: CaseOptions;
}

type PairOutcome = { i: number; result: CaseResult } | { i: number; problem: Problem };

/** Reads and evaluates one pair; bad files become a Problem naming them. */
async function runJob(job: PairJob): Promise<PairOutcome> {
  try {
    const result = await evaluateFiles(
      job.id,
      workerSource(dirname(job.prediction)),
      basename(job.prediction),
      workerSource(dirname(job.reference)),
      basename(job.reference),
      job.set,
      { ...job.opts, codec: checkCodec, predictionName: job.prediction, referenceName: job.reference },
    );
    return { i: job.i, result };
  } catch (e) {
    if (e instanceof EvaluateError) return { i: job.i, problem: { code: e.code, message: e.message, files: e.files } };
    throw e;
  }
}

/** Worker side: answers pair jobs until it gets null. */
export function serveEvaluateWorker(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error(`${EVALUATE_WORKER_ARG} only runs as a worker thread`);
  return new Promise((resolve) => {
    port.on('message', async (job: PairJob | null) => {
      if (job === null) {
        port.close();
        resolve();
        return;
      }
      try {
        port.postMessage(await runJob(job));
      } catch (e) {
        port.postMessage({ i: job.i, error: (e as Error).stack ?? String(e) });
      }
    });
  });
}

/** Evaluates every job; results and problems come back in job order. */
export async function runPairs(
  jobs: PairJob[],
  opts: { jobs?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ results: CaseResult[]; problems: Problem[] }> {
  const total = jobs.length;
  const outcomes: PairOutcome[] = new Array(total);
  const threads = Math.min(total, opts.jobs ?? availableParallelism());
  let done = 0;
  if (threads <= 0) {
    for (const job of jobs) {
      outcomes[job.i] = await runJob(job);
      opts.onProgress?.(++done, total);
    }
  } else {
    const bundle = fileURLToPath(import.meta.url);
    let next = 0;
    await Promise.all(
      Array.from({ length: threads }, () => {
        const w = new Worker(bundle, { argv: [EVALUATE_WORKER_ARG], stdout: false, stderr: false });
        return new Promise<void>((resolve, reject) => {
          const send = () => w.postMessage(next < total ? jobs[next++] : null);
          w.on('message', (m: PairOutcome & { error?: string }) => {
            if (m.error) {
              reject(new Error(`evaluating ${jobs[m.i].prediction} failed: ${m.error}`));
              void w.terminate();
              return;
            }
            outcomes[m.i] = m;
            opts.onProgress?.(++done, total);
            send();
          });
          w.on('error', reject);
          w.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`an evaluate worker stopped with exit code ${code}`))));
          send();
        });
      }),
    );
  }
  const results: CaseResult[] = [];
  const problems: Problem[] = [];
  for (const o of outcomes) 'result' in o ? results.push(o.result) : problems.push(o.problem);
  return { results, problems };
}
