/**
 * The lab's side of an evaluation: pairs two sources by file name and scores each pair with
 * labs/evaluate (the same calls as `bratslab evaluate`) in two Web Workers, or on the page itself
 * (yielding between cases) where workers are unavailable.
 */
import type { FileSource } from '../../../labs/shared/files';
import {
  EvaluateError,
  buildReport,
  evaluateFiles,
  pairFiles,
  segmentationFiles,
  type CaseResult,
  type EvaluationReport,
  type Problem,
  type RegionSet,
} from '../../../labs/evaluate';
import type { SourceDescriptor } from '../../lib/files';
import { runOnWorkers, workerCount } from '../../lib/worker-pool';
import type { EvalReply, EvalRequest } from './evaluate-worker';

export type DescribedSource = FileSource & { descriptor: SourceDescriptor };

export interface Job {
  pred: DescribedSource;
  ref: DescribedSource;
  set: RegionSet;
}

const tick = () => new Promise((r) => setTimeout(r, 0));

export async function runEvaluation(job: Job, onProgress: (done: number, total: number) => void): Promise<EvaluationReport> {
  const predFiles = segmentationFiles(await job.pred.list());
  const refFiles = segmentationFiles(await job.ref.list());
  for (const [files, src] of [[predFiles, job.pred], [refFiles, job.ref]] as const)
    if (!files.length) throw new Error(`${src.label}: no .nii.gz or .nii files found`);
  const pairing = pairFiles(predFiles, refFiles);
  const problems: Problem[] = [
    ...pairing.predictionOnly.map((p) => ({ code: 'unmatched' as const, message: `${p}: no reference label of the same name`, files: [p] })),
    ...pairing.referenceOnly.map((r) => ({ code: 'unmatched' as const, message: `${r}: no prediction of the same name`, files: [r] })),
  ];
  const total = pairing.pairs.length;
  const outcomes: ({ result: CaseResult } | { problem: Problem })[] = new Array(total);
  let done = 0;
  onProgress(0, total);
  const count = workerCount(total);
  if (count === 0) {
    for (const [i, p] of pairing.pairs.entries()) {
      try {
        outcomes[i] = { result: await evaluateFiles(p.id, job.pred, p.prediction, job.ref, p.reference, job.set, { metrics: ['nnunet', 'brats'] }) };
      } catch (e) {
        if (!(e instanceof EvaluateError)) throw e;
        outcomes[i] = { problem: { code: e.code, message: e.message, files: e.files } };
      }
      onProgress(++done, total);
      await tick();
    }
  } else {
    await runOnWorkers<EvalRequest, EvalReply>({
      count,
      total,
      create: () => new Worker(new URL('./evaluate-worker.ts', import.meta.url), { type: 'module' }),
      setup: { type: 'sources', pred: job.pred.descriptor, ref: job.ref.descriptor, set: job.set },
      request: (i) => ({ type: 'pair', i, ...pairing.pairs[i] }),
      onReply: (m) => {
        outcomes[m.i] = m;
        onProgress(++done, total);
      },
      failure: (i, error) => `${pairing.pairs[i].prediction}: ${error}`,
      startFailure: 'an evaluation worker failed to start',
    });
  }
  const cases: CaseResult[] = [];
  for (const o of outcomes) 'result' in o ? cases.push(o.result) : problems.push(o.problem);
  return buildReport({ prediction: job.pred.label, reference: job.ref.label, regions: job.set, metrics: ['nnunet', 'brats'], cases, problems });
}
