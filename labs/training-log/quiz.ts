/**
 * The log lab's quiz on the real runs of public/data/curves. Every answer key below was read off
 * the run's figures and the verdicts in the data set's INDEX.md (written independently of the
 * diagnosis code), never computed by the diagnosis: the quiz checks the student, not our rules.
 * A seed picks the variant (which items, choice order), so an assignment link fixes the quiz.
 */
import { createRng } from '../shared/prng';
import type { QuizChoice, QuizQuestion } from '../shared/quiz';

export type QuizCategory = 'what-is-wrong' | 'epoch' | 'class' | 'lr';
/** Which panel of the curve explorer the question needs. */
export type QuizPanel = 'loss' | 'dice' | 'lr' | 'time';

interface Base {
  id: string;
  category: QuizCategory;
  /** Run id (public/data/curves/<run>.json). */
  run: string;
  panel: QuizPanel;
}

export interface ChoiceItem extends Base {
  kind: 'choice';
  question: QuizQuestion;
}

export interface EpochItem extends Base {
  kind: 'epoch';
  prompt: string;
  /** The epoch asked for, and how far off an answer may be. */
  answer: number;
  tolerance: number;
  feedback: { right: string; early: string; late: string };
}

export type QuizItem = ChoiceItem | EpochItem;

const c = (id: string, text: string, correct: boolean, feedback: string): QuizChoice => ({ id, text, correct, feedback });
const choice = (id: string, category: QuizCategory, run: string, panel: QuizPanel, prompt: string, choices: QuizChoice[]): ChoiceItem => ({
  kind: 'choice',
  id,
  category,
  run,
  panel,
  question: { id, prompt, choices },
});

export const QUIZ_POOL: readonly QuizItem[] = [
  choice('log-lab.wrong-1612', 'what-is-wrong', 'issue1612_nan_epoch0', 'loss', 'What is wrong with this run?', [
    c('nan-data', 'Both losses are nan from the very first epoch: the input data or labels', true, 'Right. nan before any real training has happened points at the data: a NaN or extreme value in an image, or labels that do not match dataset.json.'),
    c('lr-high', 'The learning rate is too high', false, 'The LR is nnU-Net’s default 0.01 (0.00999 at epoch 1), the same as in every default run that trains fine. A learning rate problem shows after some training, not before it.'),
    c('overfit', 'The model over-fits', false, 'Over-fitting needs a training loss that falls; here neither loss is a number at all.'),
    c('fine', 'Nothing: pseudo Dice 0.0 is normal in the first epoch', false, 'Dice 0 in epoch 0 can be normal, but a nan loss never is.'),
  ]),
  choice('log-lab.wrong-2369', 'what-is-wrong', 'issue2369_regions_impossible_dice', 'dice', 'What is wrong with this run?', [
    c('range', 'Its pseudo Dice values lie outside [0, 1]: a bug in the label or region pipeline', true, 'Right. Dice is a ratio between 0 and 1; values like 220 or −1000 come from broken region conversion code, as the issue’s author found.'),
    c('diverge', 'The training diverges', false, 'The losses are healthy: about −0.78 (train) and −0.74 to −0.77 (validation) at epochs 812–813.'),
    c('lr', 'The learning rate is wrong', false, '0.01·(1 − 812/1000)^0.9 = 0.00222, exactly what the log prints: the default poly schedule.'),
    c('absent', 'Nothing: a negative Dice means the region is absent', false, 'An absent region gives nan (0/0), never a negative number.'),
  ]),
  choice('log-lab.wrong-640', 'what-is-wrong', 'issue640_v1_cascade_slow_epochs', 'time', 'What is wrong with this run?', [
    c('time', 'Epochs take 1708–2653 s and jump around: a throughput problem', true, 'Right. Losses and Dice look healthy; 30–45 minutes per epoch that vary by half an hour point at data loading or a busy machine.'),
    c('loss', 'The losses are getting worse', false, 'Train loss stays about −0.78 to −0.79 and validation loss about −0.80 to −0.81: stable.'),
    c('overfit', 'The model over-fits', false, 'Validation loss is even slightly lower than training loss here.'),
    c('lr', 'The learning rate is stuck', false, 'It moves 0.00841 → 0.008401 → 0.008392, the v1 poly schedule one epoch ahead.'),
  ]),
  choice('log-lab.wrong-mets', 'what-is-wrong', 'ucsfmets_trainerMets', 'loss', 'What is wrong with this run?', [
    c('overfit', 'Over-fitting: training loss keeps falling while validation loss levels off, so the gap widens', true, 'Right. From about epoch 100 the validation loss stays around −0.20 to −0.27 while the training loss falls to −0.63.'),
    c('nan', 'The loss turns nan', false, 'Every loss in this run is a number.'),
    c('lr', 'The learning rate never decays', false, 'It follows a poly decay from 3e-4 to 0 over 500 epochs (a custom AdamW trainer).'),
    c('et', 'Enhancing tumour never learns', false, 'It starts near 0 but picks up within the first 10–16 epochs; later it swings a lot, which is a different problem.'),
  ]),
  choice('log-lab.wrong-soil', 'what-is-wrong', 'soilct_gcef_bneireem_i4', 'dice', 'What stands out in this run?', [
    c('nan-classes', 'Two of the five labels are nan in every epoch: they never appear in the validation patches', true, 'Right. nan means 0/0: no true and no predicted voxel of that label in any sampled validation patch. Their Dice is simply unknown.'),
    c('excellent', 'A pseudo Dice of 0.97 proves the model generalises very well', false, 'The log warns that a validation case is also a training case; with such leakage a high validation score proves little.'),
    c('nan-loss', 'The loss is nan', false, 'The losses are numbers throughout (about −0.61 at the end).'),
    c('lr-high', 'The learning rate is too high', false, 'It starts at 0.002, five times below nnU-Net’s default, and decays by the poly rule.'),
  ]),
  {
    kind: 'epoch',
    id: 'log-lab.rise-2290',
    category: 'epoch',
    run: 'issue2290_heart2d_diverging',
    panel: 'loss',
    prompt: 'Click the epoch where the validation loss starts to rise while the training loss still falls.',
    answer: 1,
    tolerance: 0,
    feedback: {
      right: 'Right: at epoch 1 the training loss falls (0.36 → 0.12) but the validation loss rises (0.33 → 0.48). At epoch 2 both jump (0.60 and 3.64): the run diverges.',
      early: 'Epoch 0 is the starting point; compare each epoch with the one before it.',
      late: 'At epoch 2 both losses jump; the validation loss had already started to rise one epoch earlier.',
    },
  },
  {
    kind: 'epoch',
    id: 'log-lab.flat-mets',
    category: 'epoch',
    run: 'ucsfmets_trainerMets',
    panel: 'loss',
    prompt: 'Click the epoch from which the validation loss stops improving while the training loss keeps falling.',
    answer: 100,
    tolerance: 40,
    feedback: {
      right: 'Right: from about epoch 100 the validation loss hovers around −0.20 to −0.27 while the training loss goes on down to −0.63.',
      early: 'Too early: until about epoch 60–100 both losses still fall together.',
      late: 'Later than that the gap is already wide; look for where the validation curve turns flat.',
    },
  },
  choice('log-lab.class-2140', 'class', 'issue2140_32class_zeros', 'dice', 'Which class never learns in the epochs shown (0–22)?', [
    c('l1', 'Class 1', false, 'Class 1 reaches 0.18 at epoch 21 and 0.23 at epoch 22: it has started.'),
    c('l24', 'Class 24', false, 'Class 24 is the best one at epoch 22 (0.55).'),
    c('l32', 'Class 32', true, 'Right. Class 32 prints 0.0 in every epoch shown, and so does class 31.'),
    c('none', 'None: every class has started by epoch 22', false, 'Several classes (for example 30, 31 and 32) still print exactly 0.0 at epoch 22.'),
  ]),
  choice('log-lab.class-regions', 'class', 'ucsfmets_regions_lr2e-4', 'dice', 'Which region never learns in this run?', [
    c('wt', 'Whole tumour', false, 'Whole tumour prints 0.37–0.55 from epoch 1 on and keeps improving.'),
    c('tc', 'Tumour core', false, 'Tumour core prints 0.28–0.45 from epoch 1 on and keeps improving.'),
    c('et', 'Enhancing tumour', false, 'It sits at 0.0 for epochs 2–7, then jumps to 0.42 at epoch 10: a slow start, not a failure.'),
    c('none', 'None of them', true, 'Right. Enhancing tumour starts late (0.0 for epochs 2–7) but catches up by epoch 10; all three regions learn.'),
  ]),
  choice('log-lab.lr-regions', 'lr', 'ucsfmets_regions_lr2e-4', 'lr', 'Is the learning-rate schedule of this run right?', [
    c('yes', 'Yes: a poly decay from 2e-4 to 0 over 300 epochs, a deliberate choice of this AdamW trainer', true, 'Right. 2e-4·(1 − e/300)^0.9 matches every printed value; the low start suits Adam-type optimisers.'),
    c('no-start', 'No: nnU-Net always starts at 0.01', false, '0.01 is the default of the SGD trainer. This custom trainer uses AdamW, for which 2e-4 is a common start.'),
    c('no-stuck', 'No: it is stuck at 0.0002 for the first nine epochs', false, 'The log rounds to 5 decimals: 2e-4·(1 − 8/300)^0.9 = 0.000195 still prints as 0.0002.'),
  ]),
  choice('log-lab.lr-1084', 'lr', 'issue1084_v1_10labels_lowlr', 'lr', 'Is the learning-rate schedule of this run right?', [
    c('yes', 'Yes: the poly schedule decays the learning rate', false, 'At epoch 9 the default schedule is still near its start: nnU-Net v1 would print 0.01·(1 − 10/1000)^0.9 = 0.00991.'),
    c('no-low', 'No: 1e-05 at epochs 9–10 is about 1000× below the default schedule', true, 'Right. With an LR of 1e-05 the weights barely move, which fits the nine labels stuck near 0.'),
    c('no-warmup', 'No: the learning rate should be increasing at this point (warm-up)', false, 'nnU-Net’s default schedule has no warm-up; the LR only decreases.'),
  ]),
  choice('log-lab.lr-2369', 'lr', 'issue2369_regions_impossible_dice', 'lr', 'Is the learning-rate schedule of this run right?', [
    c('yes', 'Yes: 0.00222 at epoch 812 is the default poly schedule', true, 'Right. 0.01·(1 − 812/1000)^0.9 = 0.00222. The problem of this run lies elsewhere (its Dice values).'),
    c('no-high', 'No: it should be near 0 this late', false, 'It reaches near 0 only in the last few epochs: epoch 990 prints 0.00016.'),
    c('no-restart', 'No: it was restarted and should be 0.01', false, 'A restart with --c continues the schedule where it stopped.'),
  ]),
];

export interface EpochAnswer {
  correct: boolean;
  feedback: string;
  /** Signed distance from the key (negative: too early). */
  offset: number;
}

/** Grades a picked epoch against the key, with the item's tolerance. */
export function gradeEpoch(item: EpochItem, epoch: number): EpochAnswer {
  const offset = Math.round(epoch) - item.answer;
  const correct = Math.abs(offset) <= item.tolerance;
  return { correct, offset, feedback: correct ? item.feedback.right : offset < 0 ? item.feedback.early : item.feedback.late };
}

/** How many items of each category one quiz variant holds. */
export const VARIANT_SHAPE: Record<QuizCategory, number> = { 'what-is-wrong': 2, epoch: 1, class: 1, lr: 1 };

/** The quiz for a seed: items per VARIANT_SHAPE, in a fixed category order, choices shuffled. */
export function buildQuiz(seed: number): QuizItem[] {
  const rng = createRng(`log-lab-quiz:${seed}`);
  const out: QuizItem[] = [];
  for (const [category, n] of Object.entries(VARIANT_SHAPE) as [QuizCategory, number][]) {
    const pool = rng.shuffle(QUIZ_POOL.filter((q) => q.category === category));
    for (const item of pool.slice(0, n)) {
      out.push(item.kind === 'choice' ? { ...item, question: { ...item.question, choices: rng.shuffle([...item.question.choices]) } } : item);
    }
  }
  return out;
}

export interface QuizResult {
  answered: number;
  correct: number;
  total: number;
  /** Share of correct answers among all items, in [0, 1]. */
  score: number;
}

/** Scores a set of answers (item id → correct?) against a variant. */
export function scoreQuiz(items: readonly QuizItem[], answers: Readonly<Record<string, boolean>>): QuizResult {
  const answered = items.filter((i) => i.id in answers).length;
  const correct = items.filter((i) => answers[i.id] === true).length;
  return { answered, correct, total: items.length, score: items.length ? correct / items.length : 0 };
}
