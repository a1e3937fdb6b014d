import { readFileSync } from 'node:fs';
import { test, expect, visit } from './fixtures';

interface Question {
  id: string;
  prompt: string;
  choices: { id: string; text: string; correct: boolean; feedback: string }[];
}

/** The questions of a lesson as the author wrote them, read from the built HTML (the answer key). */
function questionsOf(lesson: string): Question[] {
  const html = readFileSync(`dist/weeks/week-06/${lesson}/index.html`, 'utf8');
  return [...html.matchAll(/<bl-quiz[^>]*>\s*<script type="application\/json">(.*?)<\/script>/gs)].map((m) => JSON.parse(m[1]));
}

test('a self-check gives the feedback of the chosen answer, records it, and restores it', async ({ page }) => {
  const lesson = '03-nnunet-dataset-format';
  const [q] = questionsOf(lesson);
  expect(q, 'lesson 3 has self-check questions').toBeDefined();
  const wrong = q.choices.find((c) => !c.correct)!;
  const right = q.choices.find((c) => c.correct)!;

  await visit(page, `weeks/week-06/${lesson}/`);
  const quiz = page.locator(`bl-quiz[data-quiz="${q.id}"]`);
  await expect(quiz.locator('legend')).toHaveText(q.prompt);
  await quiz.getByRole('button', { name: 'Check answer' }).click();
  await expect(quiz.getByRole('status')).toHaveText('Pick an answer first.');

  await quiz.getByLabel(wrong.text, { exact: true }).check();
  await quiz.getByRole('button', { name: 'Check answer' }).click();
  await expect(quiz.getByRole('status')).toHaveText(`Not quite. ${wrong.feedback}`);

  // Keyboard only: focus the right choice, submit with Enter.
  await quiz.getByLabel(right.text, { exact: true }).focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('Enter');
  await expect(quiz.getByRole('status')).toHaveText(`Correct. ${right.feedback}`);

  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('bratslab:v1') ?? '{}'));
  expect(stored.quizzes[q.id]).toMatchObject({ correct: true, choice: right.id });

  await page.reload();
  await expect(page.locator(`bl-quiz[data-quiz="${q.id}"]`).getByRole('status')).toHaveText(`Correct. ${right.feedback}`);
});

test('every self-check question has a correct answer and feedback for each choice', () => {
  const lessons = readFileSync('dist/sitemap-0.xml', 'utf8').match(/weeks\/week-06\/[^/<]+/g) ?? [];
  let count = 0;
  for (const path of new Set(lessons)) {
    for (const q of questionsOf(path.split('/').pop()!)) {
      count++;
      expect(q.choices.filter((c) => c.correct).length, q.id).toBeGreaterThanOrEqual(1);
      for (const c of q.choices) expect(c.feedback.trim().length, `${q.id}/${c.id}`).toBeGreaterThan(10);
    }
  }
  expect(count).toBeGreaterThanOrEqual(28);
});
