/**
 * The evaluation lab's Web Worker: rebuilds the page's two FileSources from their descriptors
 * (Files, Blobs and zips are structured-cloneable; nothing leaves the machine) and scores the pairs
 * it is sent with labs/evaluate, so a folder of full-size cases does not freeze the page.
 */
import { EvaluateError, evaluateFiles, type CaseResult, type Problem, type RegionSet } from '../../../labs/evaluate';
import type { FileSource } from '../../../labs/shared/files';
import { sourceFromDescriptor, type SourceDescriptor } from '../../lib/files';

export type EvalRequest =
  | { type: 'sources'; pred: SourceDescriptor; ref: SourceDescriptor; set: RegionSet }
  | { type: 'pair'; i: number; id: string; prediction: string; reference: string };
export type EvalReply = { i: number; result: CaseResult } | { i: number; problem: Problem } | { i: number; error: string };

// Typed by hand: the site compiles with the DOM library, which clashes with the WebWorker one.
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<EvalRequest>) => void) | null;
  postMessage(message: EvalReply): void;
};

let job: Promise<{ pred: FileSource; ref: FileSource; set: RegionSet }> | null = null;

scope.onmessage = async (e) => {
  const m = e.data;
  if (m.type === 'sources') {
    job = Promise.all([sourceFromDescriptor(m.pred), sourceFromDescriptor(m.ref)]).then(([pred, ref]) => ({ pred, ref, set: m.set }));
    return;
  }
  try {
    if (!job) throw new Error('no folders were sent to this worker');
    const { pred, ref, set } = await job;
    scope.postMessage({ i: m.i, result: await evaluateFiles(m.id, pred, m.prediction, ref, m.reference, set, { metrics: ['nnunet', 'brats'] }) });
  } catch (err) {
    if (err instanceof EvaluateError) scope.postMessage({ i: m.i, problem: { code: err.code, message: err.message, files: err.files } });
    else scope.postMessage({ i: m.i, error: (err as Error).message });
  }
};
