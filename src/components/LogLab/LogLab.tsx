/**
 * The training-log lab island. `mode="explore"`: the curve explorer over the real runs (lesson
 * 09). `mode="quiz"`: the quiz on the real runs and "diagnose your own log" (lesson 10).
 * All parsing, diagnosis and grading happen in labs/training-log; this file only lays out.
 */
import strings from '../../i18n/en/log-lab.json';
import Explorer from './Explorer';
import OwnLog from './OwnLog';
import Quiz from './Quiz';
import './log-lab.css';

export default function LogLab({ mode = 'explore' }: { mode?: 'explore' | 'quiz' }) {
  return (
    <div className="lab loglab not-content" data-testid="log-lab" data-mode={mode}>
      {mode === 'explore' ? (
        <section>
          <h3>{strings.explorerTitle}</h3>
          <Explorer />
        </section>
      ) : (
        <>
          <section>
            <h3>{strings.quizTitle}</h3>
            <Quiz />
          </section>
          <section>
            <h3>{strings.ownTitle}</h3>
            <OwnLog />
          </section>
        </>
      )}
    </div>
  );
}
