/**
 * Progress without accounts: what the student marked done, their self-check answers and each
 * lab's latest result, in localStorage. Small and framework-free: it runs on every lesson page.
 */
import type { LabId } from '../../labs/shared/registry';
import type { LabResult } from '../../labs/shared/report';

const KEY = 'bratslab:v1';
export const PROGRESS_EVENT = 'bratslab:progress';

export interface ProgressState {
  student: string;
  done: Record<string, string>;
  quizzes: Record<string, { correct: boolean; choice: string; answeredAt: string }>;
  labs: Partial<Record<LabId, LabResult>>;
}

const empty = (): ProgressState => ({ student: '', done: {}, quizzes: {}, labs: {} });

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    // Storage can be blocked (privacy settings, sandboxed frames): progress then lives for the page only.
    return null;
  }
}

let memory: ProgressState | null = null;

export function loadProgress(): ProgressState {
  const s = storage();
  if (!s) return memory ?? (memory = empty());
  try {
    const raw = s.getItem(KEY);
    if (!raw) return empty();
    const parsed = JSON.parse(raw) as Partial<ProgressState>;
    return { ...empty(), ...parsed };
  } catch {
    return empty();
  }
}

function save(state: ProgressState): void {
  const s = storage();
  if (s) s.setItem(KEY, JSON.stringify(state));
  else memory = state;
  globalThis.dispatchEvent?.(new CustomEvent(PROGRESS_EVENT, { detail: state }));
}

export function update(change: (state: ProgressState) => void): ProgressState {
  const state = loadProgress();
  change(state);
  save(state);
  return state;
}

export function setDone(pageId: string, done: boolean): void {
  update((s) => {
    if (done) s.done[pageId] = new Date().toISOString();
    else delete s.done[pageId];
  });
}

export function isDone(pageId: string): boolean {
  return pageId in loadProgress().done;
}

export function recordQuiz(questionId: string, choice: string, correct: boolean): void {
  update((s) => {
    s.quizzes[questionId] = { correct, choice, answeredAt: new Date().toISOString() };
  });
}

/** Each lab calls this with its latest result; it goes into the exported report. */
export function recordLabResult(result: Omit<LabResult, 'updatedAt'>): void {
  update((s) => {
    s.labs[result.lab] = { ...result, updatedAt: new Date().toISOString() };
  });
}

export function setStudent(name: string): void {
  update((s) => {
    s.student = name;
  });
}

export function resetProgress(): void {
  save(empty());
}

/** Calls `listener` on every change, in this tab and in others. Returns the unsubscribe function. */
export function onProgress(listener: (state: ProgressState) => void): () => void {
  const local = () => listener(loadProgress());
  const remote = (e: StorageEvent) => {
    if (e.key === KEY) listener(loadProgress());
  };
  globalThis.addEventListener(PROGRESS_EVENT, local);
  globalThis.addEventListener('storage', remote);
  return () => {
    globalThis.removeEventListener(PROGRESS_EVENT, local);
    globalThis.removeEventListener('storage', remote);
  };
}
