/**
 * The lab's side of an evaluation: pairs two dropped sources by file name and scores each pair
 * with labs/evaluate (the same calls as `bratslab evaluate`), yielding to the page between cases
 * so the progress stays visible.
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

export interface Job {
  pred: FileSource;
  ref: FileSource;
  set: RegionSet;
}

const tick = () => new Promise((r) => setTimeout(r, 0));

export async function runEvaluation(job: Job, onProgress: (done: number, total: number) => void): Promise<EvaluationReport> {
  const pairing = pairFiles(segmentationFiles(await job.pred.list()), segmentationFiles(await job.ref.list()));
  const problems: Problem[] = [
    ...pairing.predictionOnly.map((p) => ({ code: 'unmatched' as const, message: `${p}: no reference label of the same name`, files: [p] })),
    ...pairing.referenceOnly.map((r) => ({ code: 'unmatched' as const, message: `${r}: no prediction of the same name`, files: [r] })),
  ];
  const cases: CaseResult[] = [];
  onProgress(0, pairing.pairs.length);
  for (const [i, p] of pairing.pairs.entries()) {
    try {
      cases.push(await evaluateFiles(p.id, job.pred, p.prediction, job.ref, p.reference, job.set, { metrics: ['nnunet', 'brats'] }));
    } catch (e) {
      if (!(e instanceof EvaluateError)) throw e;
      problems.push({ code: e.code, message: e.message, files: e.files });
    }
    onProgress(i + 1, pairing.pairs.length);
    await tick();
  }
  return buildReport({ prediction: job.pred.label, reference: job.ref.label, regions: job.set, metrics: ['nnunet', 'brats'], cases, problems });
}
