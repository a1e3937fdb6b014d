/**
 * The shared multiple-choice question shape: used by lesson self-checks (rendered by the
 * <bl-quiz> element) and by the log lab's quiz. Every choice carries its own feedback.
 */
export interface QuizChoice {
  id: string;
  text: string;
  correct: boolean;
  /** Why this choice is right or wrong; shown when it is picked. */
  feedback: string;
}

export interface QuizQuestion {
  /** Stable id, namespaced by page or lab: `lesson-03.suffix`, `log-lab.nan-run`. */
  id: string;
  prompt: string;
  choices: QuizChoice[];
}

/** Name of the DOM event the quiz element fires when an answer is checked. */
export const QUIZ_ANSWER_EVENT = 'bl-quiz-answer';

export interface QuizAnswer {
  correct: boolean;
  feedback: string;
}

/** Throws when a question is malformed: no correct choice, duplicate ids, missing feedback. */
export function assertQuestion(q: QuizQuestion): void {
  const ids = new Set(q.choices.map((c) => c.id));
  if (ids.size !== q.choices.length) throw new Error(`quiz ${q.id}: duplicate choice ids`);
  if (q.choices.length < 2) throw new Error(`quiz ${q.id}: needs at least two choices`);
  if (!q.choices.some((c) => c.correct)) throw new Error(`quiz ${q.id}: no correct choice`);
  for (const c of q.choices) if (!c.feedback.trim()) throw new Error(`quiz ${q.id}: choice ${c.id} has no feedback`);
}

export function gradeChoice(q: QuizQuestion, choiceId: string): QuizAnswer {
  const c = q.choices.find((x) => x.id === choiceId);
  if (!c) throw new Error(`quiz ${q.id}: unknown choice ${choiceId}`);
  return { correct: c.correct, feedback: c.feedback };
}
