/**
 * Runs the leakage experiment off the main thread, so the page stays responsive and can show
 * progress. Messages in: { id, options }; out: progress, then the report or an error.
 */
import { runExperiment, type LeakageOptions } from '../../../labs/leakage';

export type WorkerRequest = { id: number; options: LeakageOptions };
export type WorkerMessage =
  | { id: number; type: 'progress'; done: number; total: number }
  | { id: number; type: 'result'; report: ReturnType<typeof runExperiment> }
  | { id: number; type: 'error'; message: string };

// Typed by hand: the site compiles with the DOM library, which clashes with the WebWorker one.
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerMessage): void;
};

scope.onmessage = (e) => {
  const { id, options } = e.data;
  const post = (m: WorkerMessage) => scope.postMessage(m);
  try {
    const report = runExperiment(options, (done, total) => post({ id, type: 'progress', done, total }));
    post({ id, type: 'result', report });
  } catch (err) {
    post({ id, type: 'error', message: (err as Error).message });
  }
};
