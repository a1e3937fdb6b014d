/**
 * Report types. Every check produces a versioned JSON report; every lab contributes a versioned
 * result section to the student's lab report (exported from the site, imported by instructors).
 */
import type { Finding } from './findings';
import { countBySeverity } from './findings';
import { isLabId, type LabId } from './registry';

/** A check's report (validator, log diagnosis): what the CLI prints with --json. */
export interface CheckReport {
  schemaVersion: 1;
  tool: string;
  /** What was checked (folder name, file names). */
  target: string;
  createdAt: string;
  findings: Finding[];
  summary: { error: number; warning: number; info: number };
  /** Tool-specific extra data (cases checked, timings...). */
  details?: Record<string, unknown>;
}

export function makeCheckReport(
  tool: string,
  target: string,
  findings: Finding[],
  details?: Record<string, unknown>,
  now: Date = new Date(),
): CheckReport {
  return { schemaVersion: 1, tool, target, createdAt: now.toISOString(), findings, summary: countBySeverity(findings), details };
}

/** One lab's contribution to the student's report. */
export interface LabResult {
  lab: LabId;
  /** Version of this lab's own `data` shape. */
  schemaVersion: number;
  updatedAt: string;
  /** One line a teacher reads first, e.g. "Quiz: 7/8" or "Found 5 of 6 faults". */
  summary: string;
  /** Optional score in [0, 1]. */
  score?: number;
  data: Record<string, unknown>;
}

export const LAB_REPORT_SCHEMA = 'bratslab-report';
export const LAB_REPORT_VERSION = 1;

export interface LabReport {
  schema: typeof LAB_REPORT_SCHEMA;
  schemaVersion: typeof LAB_REPORT_VERSION;
  createdAt: string;
  student: string;
  /** Done pages (lesson or lab ids) with the time they were marked. */
  progress: Record<string, string>;
  /** Self-check answers: question id → { correct, answeredAt }. */
  quizzes: Record<string, { correct: boolean; choice: string; answeredAt: string }>;
  labs: Partial<Record<LabId, LabResult>>;
}

export type ParsedReport = { ok: true; report: LabReport } | { ok: false; error: string };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates an imported report (an instructor opens files students hand in). */
export function parseLabReport(text: string, name = 'report'): ParsedReport {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `${name}: not valid JSON (${(e as Error).message})` };
  }
  if (!isObj(raw) || raw.schema !== LAB_REPORT_SCHEMA) {
    return { ok: false, error: `${name}: not a BraTS Lab report (missing "schema": "${LAB_REPORT_SCHEMA}")` };
  }
  if (raw.schemaVersion !== LAB_REPORT_VERSION) {
    return { ok: false, error: `${name}: report schema version ${String(raw.schemaVersion)} is not supported (expected ${LAB_REPORT_VERSION})` };
  }
  if (typeof raw.student !== 'string' || typeof raw.createdAt !== 'string') {
    return { ok: false, error: `${name}: "student" and "createdAt" must be strings` };
  }
  if (!isObj(raw.progress) || !isObj(raw.quizzes) || !isObj(raw.labs)) {
    return { ok: false, error: `${name}: "progress", "quizzes" and "labs" must be objects` };
  }
  for (const [id, r] of Object.entries(raw.labs)) {
    if (!isLabId(id)) return { ok: false, error: `${name}: unknown lab "${id}"` };
    if (!isObj(r) || typeof r.summary !== 'string' || typeof r.schemaVersion !== 'number' || !isObj(r.data)) {
      return { ok: false, error: `${name}: lab "${id}" needs summary, schemaVersion and data` };
    }
  }
  return { ok: true, report: raw as unknown as LabReport };
}

/** Builds the exportable report from what the progress store holds. */
export function buildLabReport(
  state: Pick<LabReport, 'student' | 'quizzes' | 'labs'> & { done: Record<string, string> },
  now: Date = new Date(),
): LabReport {
  return {
    schema: LAB_REPORT_SCHEMA,
    schemaVersion: LAB_REPORT_VERSION,
    createdAt: now.toISOString(),
    student: state.student,
    progress: { ...state.done },
    quizzes: { ...state.quizzes },
    labs: { ...state.labs },
  };
}

/**
 * The lesson self-check score: answers to the course's questions only. Lab quizzes (ids namespaced
 * by a lab id, e.g. "log-lab.rise-2290") keep their own score in their lab result.
 */
export function selfCheckScore(report: Pick<LabReport, 'quizzes'>): { correct: number; answered: number } {
  const answers = Object.entries(report.quizzes).filter(([id]) => !isLabId(id.split('.')[0]));
  return { correct: answers.filter(([, a]) => a.correct).length, answered: answers.length };
}

/**
 * Page and self-check ids in a report that this course does not have (a report from another version
 * of the course, or edited by hand): an instructor should not count them silently.
 */
export function unknownIds(report: Pick<LabReport, 'progress' | 'quizzes'>, known: { pages: readonly string[]; quizzes: readonly string[] }): { pages: string[]; quizzes: string[] } {
  const pages = new Set(known.pages);
  const quizzes = new Set(known.quizzes);
  return {
    pages: Object.keys(report.progress).filter((p) => !pages.has(p)),
    quizzes: Object.keys(report.quizzes).filter((q) => !isLabId(q.split('.')[0]) && !quizzes.has(q)),
  };
}
