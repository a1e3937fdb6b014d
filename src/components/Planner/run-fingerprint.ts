/**
 * The planner lab's fingerprint: cases listed on the page (the check's layout logic), each case
 * fingerprinted in one of two Web Workers, combined on the page. On the page itself when workers
 * are unavailable.
 */
import { combineFingerprint, fingerprintCase, listDatasetCases, type CaseFingerprint, type DatasetCases } from '../../../labs/planner';
import type { FileSource } from '../../../labs/shared/files';
import type { SourceDescriptor } from '../../lib/files';
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
  const count = typeof Worker === 'undefined' ? 0 : Math.min(2, total);
  if (count === 0) {
    for (let i = 0; i < total; i++) {
      results[i] = await fingerprintCase(source, listed.cases[i], { cases: total });
      onProgress(++done, total);
    }
  } else {
    const workers = Array.from({ length: count }, () => new Worker(new URL('./fingerprint-worker.ts', import.meta.url), { type: 'module' }));
    try {
      let next = 0;
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve, reject) => {
              const send = () => {
                if (next >= total) return resolve();
                const i = next++;
                w.postMessage({ type: 'case', i, files: listed.cases[i], cases: total } satisfies FingerprintRequest);
              };
              w.onmessage = (e: MessageEvent<FingerprintReply>) => {
                const m = e.data;
                if ('error' in m) return reject(new Error(`${listed.cases[m.i].id}: ${m.error}`));
                results[m.i] = m.result;
                onProgress(++done, total);
                send();
              };
              w.onerror = (e) => reject(new Error(e.message || 'a fingerprint worker failed to start'));
              w.postMessage({ type: 'source', descriptor: source.descriptor } satisfies FingerprintRequest);
              send();
            }),
        ),
      );
    } finally {
      workers.forEach((w) => w.terminate());
    }
  }
  const channels = Math.max(...listed.cases.map((c) => c.images.length));
  return { ...listed, fingerprint: combineFingerprint(results, channels), seconds: (performance.now() - t0) / 1000 };
}
