/**
 * Checked exercises: a question with a numeric or short-text answer that the page checks as the
 * student types it (lesson pages render them with the <bl-exercise> element). Every exercise says
 * what to do when the answer is wrong (a hint, or feedback for a known wrong answer) and carries a
 * worked solution. Answers are recorded with the self-checks, under ids containing ".exercise.".
 */
export interface ExerciseMistake {
  /** A typical wrong answer, matched like the right one. */
  answer: number | string;
  /** Why it is wrong: what the student probably did. */
  feedback: string;
}

export interface Exercise {
  /** `lesson-07.exercise.patch-count`: lesson prefix, then `.exercise.`, then a name. */
  id: string;
  prompt: string;
  /** A number, or the accepted short answers (compared without case, spaces or quotes). */
  answer: number | string[];
  /** Largest accepted distance from a numeric answer; default 0 for whole numbers, 0.5 % otherwise. */
  tolerance?: number;
  /** Shown after the input box, e.g. "patches". */
  unit?: string;
  /** Shown for a wrong answer that has no entry in `mistakes`. */
  hint: string;
  /** The worked solution, shown once the answer is right or on request. */
  solution: string;
  mistakes?: ExerciseMistake[];
}

export type ExerciseResult = { status: 'correct' | 'wrong' | 'invalid'; feedback: string };

export const isExerciseId = (id: string): boolean => /^lesson-\d{2}\.exercise\.[a-z0-9-]+$/.test(id);

/** Throws when an exercise is malformed (it is checked at build time by Exercise.astro). */
export function assertExercise(e: Exercise): void {
  if (!isExerciseId(e.id)) throw new Error(`exercise ${e.id}: id must look like lesson-07.exercise.name`);
  if (!e.prompt.trim() || !e.hint.trim() || !e.solution.trim()) throw new Error(`exercise ${e.id}: prompt, hint and solution are required`);
  if (typeof e.answer === 'number') {
    if (!Number.isFinite(e.answer)) throw new Error(`exercise ${e.id}: the answer must be a finite number`);
  } else if (!Array.isArray(e.answer) || e.answer.length === 0 || e.answer.some((a) => !normaliseText(a))) {
    throw new Error(`exercise ${e.id}: a text answer needs at least one non-empty accepted answer`);
  }
  for (const m of e.mistakes ?? []) {
    if (typeof m.answer !== typeof (typeof e.answer === 'number' ? 0 : '')) throw new Error(`exercise ${e.id}: mistake ${m.answer} has the wrong type`);
    if (matches(e, m.answer)) throw new Error(`exercise ${e.id}: mistake ${m.answer} is accepted as correct`);
  }
}

/**
 * A number typed by a person: "0.00818", "8.18e-3", "1 024", "1,024", "60 patches". A decimal comma
 * ("0,5") is refused rather than guessed, since "1,024" means a thousand and twenty-four.
 */
export function parseNumber(input: string, unit?: string): number | null {
  let s = input.trim().replace(/[\s\u00a0\u202f_]+/g, ' ');
  if (unit && s.toLowerCase().endsWith(unit.toLowerCase())) s = s.slice(0, -unit.length).trim();
  s = s.replace(/ (?=\d{3}\b)/g, '').replace(/^([+-]?[1-9]\d{0,2}(?:,\d{3})+)(\.\d+)?$/, (_m, int: string, frac = '') => int.replace(/,/g, '') + frac);
  s = s.replace(/^−/, '-');
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

export function normaliseText(s: string): string {
  return s
    .trim()
    .toLowerCase()
    .replace(/^["'`“‘]+|["'`”’.]+$/g, '')
    .replace(/\s+/g, ' ');
}

function tolerance(e: Exercise & { answer: number }): number {
  return e.tolerance ?? (Number.isInteger(e.answer) ? 0 : Math.abs(e.answer) * 0.005);
}

function matches(e: Exercise, value: number | string): boolean {
  if (typeof e.answer === 'number') return typeof value === 'number' && Math.abs(value - e.answer) <= tolerance(e as Exercise & { answer: number }) + 1e-12;
  const v = normaliseText(String(value));
  return e.answer.some((a) => normaliseText(a) === v);
}

export function checkExercise(e: Exercise, input: string): ExerciseResult {
  if (!input.trim()) return { status: 'invalid', feedback: 'Type an answer first.' };
  let value: number | string = input;
  if (typeof e.answer === 'number') {
    const n = parseNumber(input, e.unit);
    if (n === null) {
      return { status: 'invalid', feedback: `“${input.trim()}” is not a number this page can read: use digits, a point for decimals (0.5) and e for powers of ten (8e-3).` };
    }
    value = n;
  }
  if (matches(e, value)) return { status: 'correct', feedback: e.solution };
  const known = (e.mistakes ?? []).find((m) =>
    typeof value === 'number' && typeof m.answer === 'number' ? matches({ ...e, answer: m.answer }, value) : normaliseText(String(m.answer)) === normaliseText(String(value)),
  );
  return { status: 'wrong', feedback: known ? known.feedback : e.hint };
}
