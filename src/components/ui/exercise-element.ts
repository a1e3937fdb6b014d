/**
 * <bl-exercise>: a checked exercise on a lesson page (Exercise.astro puts the exercise JSON in a
 * script child). It checks the typed answer with labs/shared/exercise, shows feedback, offers the
 * worked solution, and records the answer in the progress store with the self-checks, so it appears
 * in the lab report. Framework-free: lesson pages load no React for it.
 */
import { assertExercise, checkExercise, type Exercise } from '../../../labs/shared/exercise';
import { loadProgress, recordQuiz } from '../../lib/progress';

let counter = 0;

export class ExerciseElement extends HTMLElement {
  connectedCallback() {
    const json = this.querySelector('script[type="application/json"]');
    if (!json?.textContent) return;
    const e = JSON.parse(json.textContent) as Exercise;
    assertExercise(e);
    this.render(e);
  }

  private render(e: Exercise) {
    const uid = `ex${++counter}`;
    this.replaceChildren();
    const form = document.createElement('form');
    form.className = 'bl-quiz bl-exercise';
    form.noValidate = true;
    const fieldset = document.createElement('fieldset');
    const legend = document.createElement('legend');
    legend.textContent = 'Exercise';
    const prompt = document.createElement('p');
    prompt.id = `${uid}-prompt`;
    prompt.textContent = e.prompt;
    const row = document.createElement('div');
    row.className = 'bl-exercise-row';
    const label = document.createElement('label');
    label.htmlFor = `${uid}-input`;
    label.textContent = 'Your answer';
    const input = document.createElement('input');
    input.id = `${uid}-input`;
    input.type = 'text';
    input.autocomplete = 'off';
    input.spellcheck = false;
    input.setAttribute('aria-describedby', `${uid}-prompt`);
    if (typeof e.answer === 'number') input.inputMode = 'decimal';
    row.append(label, input);
    if (e.unit) {
      const unit = document.createElement('span');
      unit.textContent = e.unit;
      row.append(unit);
    }
    fieldset.append(legend, prompt, row);
    const button = document.createElement('button');
    button.type = 'submit';
    button.textContent = 'Check answer';
    const feedback = document.createElement('p');
    feedback.className = 'bl-quiz-feedback';
    feedback.setAttribute('role', 'status');
    feedback.setAttribute('aria-live', 'polite');
    const details = document.createElement('details');
    details.className = 'bl-exercise-solution';
    details.hidden = true;
    const summary = document.createElement('summary');
    summary.textContent = 'Show the worked solution';
    const solution = document.createElement('p');
    solution.textContent = e.solution;
    details.append(summary, solution);
    form.append(fieldset, button, feedback, details);
    this.append(form);

    const show = (answer: string) => {
      const r = checkExercise(e, answer);
      if (r.status === 'invalid') {
        delete feedback.dataset.correct;
        feedback.textContent = r.feedback;
        return r;
      }
      feedback.dataset.correct = String(r.status === 'correct');
      feedback.textContent = r.status === 'correct' ? `Correct. ${r.feedback}` : `Not quite. ${r.feedback}`;
      // The solution is offered after a first checked attempt; when the answer is right it is already shown.
      details.hidden = r.status === 'correct';
      return r;
    };
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const r = show(input.value);
      if (r.status !== 'invalid') recordQuiz(e.id, input.value.trim(), r.status === 'correct');
    });
    const previous = loadProgress().quizzes[e.id];
    if (previous) {
      input.value = previous.choice;
      show(previous.choice);
    }
  }
}

if (!customElements.get('bl-exercise')) customElements.define('bl-exercise', ExerciseElement);
