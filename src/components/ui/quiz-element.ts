/**
 * <bl-quiz>: the one multiple-choice component. Lessons render it through Quiz.astro (question
 * JSON in a script child); React labs render it through QuizQuestion.tsx (the `question`
 * property). It grades with labs/shared/quiz, shows the feedback of the chosen answer and
 * records the answer in the progress store.
 */
import { assertQuestion, gradeChoice, QUIZ_ANSWER_EVENT, type QuizQuestion } from '../../../labs/shared/quiz';
import { loadProgress, recordQuiz } from '../../lib/progress';

let counter = 0;

export class QuizElement extends HTMLElement {
  #question: QuizQuestion | null = null;

  set question(q: QuizQuestion) {
    assertQuestion(q);
    this.#question = q;
    if (this.isConnected) this.render();
  }

  get question(): QuizQuestion | null {
    return this.#question;
  }

  connectedCallback() {
    if (!this.#question) {
      const json = this.querySelector('script[type="application/json"]');
      if (json?.textContent) this.#question = JSON.parse(json.textContent) as QuizQuestion;
    }
    if (this.#question) this.render();
  }

  private render() {
    const q = this.#question!;
    const uid = `q${++counter}`;
    this.replaceChildren();
    const form = document.createElement('form');
    form.className = 'bl-quiz';
    const fieldset = document.createElement('fieldset');
    const legend = document.createElement('legend');
    legend.textContent = q.prompt;
    fieldset.append(legend);
    for (const c of q.choices) {
      const label = document.createElement('label');
      const input = document.createElement('input');
      input.type = 'radio';
      input.name = uid;
      input.value = c.id;
      label.append(input, ' ', c.text);
      fieldset.append(label);
    }
    const button = document.createElement('button');
    button.type = 'submit';
    button.textContent = 'Check answer';
    const feedback = document.createElement('p');
    feedback.className = 'bl-quiz-feedback';
    feedback.setAttribute('role', 'status');
    feedback.setAttribute('aria-live', 'polite');
    form.append(fieldset, button, feedback);
    this.append(form);

    const show = (choice: string) => {
      const { correct, feedback: text } = gradeChoice(q, choice);
      feedback.dataset.correct = String(correct);
      feedback.textContent = `${correct ? 'Correct. ' : 'Not quite. '}${text}`;
      return correct;
    };
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const picked = form.querySelector<HTMLInputElement>('input:checked');
      if (!picked) {
        delete feedback.dataset.correct;
        feedback.textContent = 'Pick an answer first.';
        return;
      }
      const correct = show(picked.value);
      recordQuiz(q.id, picked.value, correct);
      this.dispatchEvent(new CustomEvent(QUIZ_ANSWER_EVENT, { bubbles: true, detail: { id: q.id, choice: picked.value, correct } }));
    });
    const previous = loadProgress().quizzes[q.id];
    if (previous && q.choices.some((c) => c.id === previous.choice)) {
      form.querySelector<HTMLInputElement>(`input[value="${CSS.escape(previous.choice)}"]`)!.checked = true;
      show(previous.choice);
    }
  }
}

if (!customElements.get('bl-quiz')) customElements.define('bl-quiz', QuizElement);
