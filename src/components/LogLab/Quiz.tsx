/**
 * The quiz on the real runs (public nnU-Net runs and this project's own). Variant from a seed in the URL (`?log-lab.seed=7`), items and keys
 * from the core (labs/training-log/quiz.ts), multiple choice through the shared <bl-quiz>, epoch
 * picks graded by the core's `gradeEpoch`. Answers go to the progress store and the lab report.
 */
import { useCallback, useEffect, useState } from 'react';
import QuizQuestion from '../ui/QuizQuestion';
import { buildQuiz, gradeEpoch, scoreQuiz, type EpochItem, type QuizItem } from '../../../labs/training-log/quiz';
import { sourceLine, sourceUrl } from '../../../labs/training-log/runs';
import type { LoadedRun } from './use-runs';
import { loadProgress, recordLabResult, recordQuiz, update } from '../../lib/progress';
import { readLabState, writeLabState } from '../../lib/url-state';
import strings from '../../i18n/en/log-lab.json';
import { ErrorBox, Field, Toolbar } from '../ui/lab-ui';
import { fill } from '../../i18n/fill';
import CurveView from './CurveView';
import OwnSource from './OwnSource';
import { useRun } from './use-runs';

const schema = { seed: { type: 'int', default: 1, min: 1, max: 999999 } } as const;

function Source({ run }: { run: LoadedRun }) {
  if (!run.run) return run.own ? <OwnSource own={run.own} hideFault /> : null;
  return (
    <p className="lab-hint">
      {strings.source}:{' '}
      <a href={sourceUrl(run.run.source)} rel="noreferrer">
        {sourceLine(run.run.source)}
      </a>
    </p>
  );
}

type Answers = Record<string, { correct: boolean; choice: string }>;

function stored(items: QuizItem[]): Answers {
  const q = loadProgress().quizzes;
  const out: Answers = {};
  for (const i of items) if (q[i.id]) out[i.id] = { correct: q[i.id].correct, choice: q[i.id].choice };
  return out;
}

function EpochQuestion({ item, previous, onAnswer }: { item: EpochItem; previous?: string; onAnswer: (choice: string, correct: boolean) => void }) {
  const { run, error } = useRun(item.run);
  const [epoch, setEpoch] = useState(previous ?? '');
  const [result, setResult] = useState<{ correct: boolean; feedback: string } | null>(previous ? gradeEpoch(item, Number(previous)) : null);
  const check = (value: string) => {
    if (value.trim() === '' || !Number.isFinite(Number(value))) {
      setResult({ correct: false, feedback: strings.pickFirst });
      return;
    }
    const a = gradeEpoch(item, Number(value));
    setResult(a);
    onAnswer(String(Math.round(Number(value))), a.correct);
  };
  if (error) return <ErrorBox>{fill(strings.loadFailed, { what: item.run, error })}</ErrorBox>;
  return (
    <div className="loglab-epoch-question" data-quiz={item.id}>
      <p className="loglab-prompt">{item.prompt}</p>
      {run ? (
        <>
          <Source run={run} />
          <CurveView key={run.id} curve={run.curve} classNames={run.names} lr={null} panels={[item.panel]} onPick={(e) => setEpoch(String(e))} />
        </>
      ) : (
        <p>{strings.loading}</p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          check(epoch);
        }}
      >
        <Toolbar>
          <Field label={strings.epochPrompt}>
            <input type="number" className="loglab-epoch" inputMode="numeric" aria-label={strings.epochInput} value={epoch} onChange={(e) => setEpoch(e.target.value)} />
          </Field>
          <button type="submit">{strings.check}</button>
        </Toolbar>
        <p className="bl-quiz-feedback" role="status" aria-live="polite" data-correct={result && result.feedback !== strings.pickFirst ? String(result.correct) : undefined}>
          {result ? (result.feedback === strings.pickFirst ? result.feedback : `${result.correct ? strings.correct : strings.wrong}${result.feedback}`) : ''}
        </p>
      </form>
    </div>
  );
}

function ChoiceQuestion({ item, onAnswer }: { item: Extract<QuizItem, { kind: 'choice' }>; onAnswer: (choice: string, correct: boolean) => void }) {
  const { run } = useRun(item.run);
  const handler = useCallback((a: { choice: string; correct: boolean }) => onAnswer(a.choice, a.correct), [onAnswer]);
  return (
    <div className="loglab-choice-question">
      {run ? (
        <>
          <Source run={run} />
          <CurveView key={run.id} curve={run.curve} classNames={run.names} lr={null} panels={[item.panel]} />
        </>
      ) : (
        <p>{strings.loading}</p>
      )}
      <QuizQuestion question={item.question} onAnswer={handler} />
    </div>
  );
}

export default function Quiz() {
  const [seed, setSeed] = useState<number | null>(null);
  const [answers, setAnswers] = useState<Answers | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [link, setLink] = useState('');
  useEffect(() => setSeed(readLabState('log-lab', schema).seed), []);
  const items = seed === null ? [] : buildQuiz(seed);
  useEffect(() => {
    if (seed !== null) setAnswers(stored(buildQuiz(seed)));
  }, [seed]);

  const answer = useCallback(
    (item: QuizItem, choice: string, correct: boolean) => {
      if (item.kind === 'epoch') recordQuiz(item.id, choice, correct);
      setAnswers((prev) => {
        const next = { ...(prev ?? {}), [item.id]: { correct, choice } };
        const all = buildQuiz(seed!);
        const s = scoreQuiz(all, Object.fromEntries(Object.entries(next).map(([k, v]) => [k, v.correct])));
        recordLabResult({
          lab: 'log-lab',
          schemaVersion: 1,
          summary: `Quiz variant ${seed}: ${s.correct} of ${s.total} correct (${s.answered} answered)`,
          score: s.score,
          data: { seed, answers: next },
        });
        return next;
      });
    },
    [seed],
  );

  if (seed === null || answers === null) return <p>{strings.loading}</p>;
  const result = scoreQuiz(items, Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, v.correct])));
  const retry = () => {
    update((s) => {
      for (const i of items) delete s.quizzes[i.id];
    });
    setAnswers({});
    setAttempt((a) => a + 1);
  };
  const newVariant = () => {
    const next = (crypto.getRandomValues(new Uint32Array(1))[0] % 999999) + 1;
    // A new variant is a fresh attempt: questions it shares with the last one start unanswered.
    update((s) => {
      for (const i of buildQuiz(next)) delete s.quizzes[i.id];
    });
    setAnswers({});
    setLink(writeLabState('log-lab', schema, { seed: next }));
    setSeed(next);
    setAttempt((a) => a + 1);
  };

  return (
    <div className="loglab-quiz" data-testid="log-lab-quiz">
      <p>
        {strings.quizIntro} <span className="loglab-variant">{fill(strings.variant, { seed })}</span>
      </p>
      <ol>
        {items.map((item) => (
          <li key={`${attempt}-${item.id}`}>
            {item.kind === 'choice' ? (
              <ChoiceQuestion item={item} onAnswer={(c, ok) => answer(item, c, ok)} />
            ) : (
              <EpochQuestion item={item} previous={answers[item.id]?.choice} onAnswer={(c, ok) => answer(item, c, ok)} />
            )}
          </li>
        ))}
      </ol>
      <p className="loglab-score" role="status" data-testid="log-lab-score">
        {fill(strings.score, { correct: result.correct, total: result.total, answered: result.answered })}
      </p>
      <Toolbar>
        <button type="button" onClick={retry}>
          {strings.retry}
        </button>
        <button type="button" onClick={newVariant}>
          {strings.newVariant}
        </button>
      </Toolbar>
      {link ? (
        <Field label={strings.assignmentLink} className="loglab-link">
          <input readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
        </Field>
      ) : null}
    </div>
  );
}
