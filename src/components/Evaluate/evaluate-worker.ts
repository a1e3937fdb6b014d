/**
 * The evaluation lab's Web Worker: scores the pairs it is sent with labs/evaluate, on the page's two
 * FileSources rebuilt from their descriptors (src/lib/worker-jobs.ts; nothing leaves the machine),
 * so a folder of full-size cases does not freeze the page.
 */
import { EvaluateError, evaluateFiles, type CaseResult, type Problem, type RegionSet } from '../../../labs/evaluate';
import type { FileSource } from '../../../labs/shared/files';
import { sourceFromDescriptor, type SourceDescriptor } from '../../lib/files';
import { serveJobs } from '../../lib/worker-jobs';

type Setup = { type: 'sources'; pred: SourceDescriptor; ref: SourceDescriptor; set: RegionSet };
type Job = { type: 'pair'; i: number; id: string; prediction: string; reference: string };
export type EvalRequest = Setup | Job;
export type EvalReply = { i: number; result: CaseResult } | { i: number; problem: Problem } | { i: number; error: string };

serveJobs<Setup, Job, { pred: FileSource; ref: FileSource; set: RegionSet }, { result: CaseResult } | { problem: Problem }>({
  setupType: 'sources',
  prepare: async (m) => {
    const [pred, ref] = await Promise.all([sourceFromDescriptor(m.pred), sourceFromDescriptor(m.ref)]);
    return { pred, ref, set: m.set };
  },
  work: async ({ pred, ref, set }, m) => ({ result: await evaluateFiles(m.id, pred, m.prediction, ref, m.reference, set, { metrics: ['nnunet', 'brats'] }) }),
  noSetup: 'no folders were sent to this worker',
  problem: (err) => (err instanceof EvaluateError ? { problem: { code: err.code, message: err.message, files: err.files } } : null),
});
