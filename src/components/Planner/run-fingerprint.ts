/**
 * The planner lab's fingerprint: cases listed on the page (the check's layout logic), each case
 * fingerprinted in one of two Web Workers, combined on the page. On the page itself when workers
 * are unavailable.
 */
import { combineFingerprint, fingerprintCase, listDatasetCases, type CaseFingerprint, type DatasetCases } from '../../../labs/planner';
import type { FileSource } from '../../../labs/shared/files';
import type { SourceDescriptor } from '../../lib/files';
import { runOnWorkers, workerCount } from '../../lib/worker-pool';
import type { FingerprintReply, FingerprintRequest } from './fingerprint-worker';

export interface OwnDataset extends DatasetCases {
  fingerprint: ReturnType<typeof combineFingerprint>;
  seconds: number;
}

export async function fingerprintInBrowser(source: FileSource & { descriptor: SourceDescriptor }, onProgress: (done: number, total: number) => void): Promise<OwnDataset> {
  const t0 = performance.now();
  const listed = await listDatasetCases(source);
  const total = listed.cases.length;
  const results: CaseFingerprint[] = new Array(total);
  let done = 0;
  onProgress(0, total);
  const count = workerCount(total);
  if (count === 0) {
    for (let i = 0; i < total; i++) {
      results[i] = await fingerprintCase(source, listed.cases[i], { cases: total });
      onProgress(++done, total);
    }
  } else {
    await runOnWorkers<FingerprintRequest, FingerprintReply>({
      count,
      total,
      create: () => new Worker(new URL('./fingerprint-worker.ts', import.meta.url), { type: 'module' }),
      setup: { type: 'source', descriptor: source.descriptor },
      request: (i) => ({ type: 'case', i, files: listed.cases[i], cases: total }),
      onReply: (m) => {
        results[m.i] = m.result;
        onProgress(++done, total);
      },
      failure: (i, error) => `${listed.cases[i].id}: ${error}`,
      startFailure: 'a fingerprint worker failed to start',
    });
  }
  const channels = Math.max(...listed.cases.map((c) => c.images.length));
  return { ...listed, fingerprint: combineFingerprint(results, channels), seconds: (performance.now() - t0) / 1000 };
}
