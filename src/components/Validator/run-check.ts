/**
 * Runs the dataset check for the browser lab: plan on the page (one listing, dataset.json),
 * cases in two Web Workers, report on the page. Falls back to checking on the page itself when
 * workers are unavailable.
 */
import { checkCase, finishCheck, planCheck, type CaseResult, type CheckMode } from '../../../labs/dataset-check';
import type { FileSource } from '../../../labs/shared/files';
import type { CheckReport } from '../../../labs/shared/report';
import type { SourceDescriptor } from '../../lib/files';
import { runOnWorkers, workerCount } from '../../lib/worker-pool';
import type { WorkerReply, WorkerRequest } from './check-worker';

/** The validator issue's reference dataset: BraTS 2021 training, 1,251 cases of 4 channels + label at 240×240×155. */
export const BRATS_CASES = 1251;
export const BRATS_VOXELS_PER_CASE = 5 * 240 * 240 * 155;

export interface Progress {
  done: number;
  total: number;
  seconds: number;
  voxels: number;
}

export interface Timing {
  workers: number;
  cases: number;
  seconds: number;
  voxels: number;
  /** Time the same throughput would need for 1,251 full-size BraTS cases (full check: scaled by voxels; headers: by cases). */
  projectedBratsSeconds: number | null;
}

export async function runBrowserCheck(
  source: FileSource & { descriptor: SourceDescriptor },
  mode: CheckMode,
  onProgress: (p: Progress) => void,
  signal: AbortSignal,
): Promise<{ report: CheckReport; timing: Timing }> {
  const t0 = performance.now();
  const plan = await planCheck(source, { mode });
  const total = plan.tasks.length;
  const results: CaseResult[] = new Array(total);
  let voxels = 0;
  let done = 0;
  const tick = () => onProgress({ done, total, seconds: (performance.now() - t0) / 1000, voxels });
  tick();
  const count = workerCount(total);
  if (count === 0) {
    for (let i = 0; i < total; i++) {
      if (signal.aborted) throw new DOMException('cancelled', 'AbortError');
      results[i] = await checkCase(source, plan.tasks[i].task, plan.tasks[i].ctx);
      voxels += results[i].voxels;
      done++;
      tick();
    }
  } else {
    await runOnWorkers<WorkerRequest, WorkerReply>({
      count,
      total,
      create: () => new Worker(new URL('./check-worker.ts', import.meta.url), { type: 'module' }),
      setup: { type: 'source', descriptor: source.descriptor },
      request: (i) => ({ type: 'case', i, task: plan.tasks[i].task, ctx: plan.tasks[i].ctx }),
      onReply: (m) => {
        results[m.i] = m.result;
        voxels += m.result.voxels;
        done++;
        tick();
      },
      failure: (i, error) => `checking case ${plan.tasks[i].task.id} failed: ${error}`,
      startFailure: 'a validator worker failed to start',
      signal,
    });
  }
  const seconds = (performance.now() - t0) / 1000;
  const timing: Timing = {
    workers: count,
    cases: total,
    seconds,
    voxels,
    projectedBratsSeconds:
      mode === 'full' ? (voxels > 0 ? (seconds * BRATS_CASES * BRATS_VOXELS_PER_CASE) / voxels : null) : total > 0 ? (seconds * BRATS_CASES) / total : null,
  };
  return { report: finishCheck(plan, results, { seconds, workers: count, browser: true }), timing };
}
