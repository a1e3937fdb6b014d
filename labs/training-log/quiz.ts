/**
 * The log lab's quiz on the real runs: the public nnU-Net runs of public/data/curves and this
 * project's own broken runs (own-runs.ts). Every answer key below was read off the run's figures
 * and the verdicts in the data set's INDEX.md (written independently of the diagnosis code) or,
 * for the own runs, off the log text and the fault the command configured; never computed by the
 * diagnosis: the quiz checks the student, not our rules.
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
  /** Run id: public/data/curves/<run>.json, or an own run's id (own-runs.ts). */
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
  // This project's own runs (public/data/runs): the course's small trainer, broken on purpose.
  choice('log-lab.wrong-own-zero', 'what-is-wrong', 'own-labels-all-zero', 'dice', 'What went wrong in this run of the course’s own trainer?', [
    c('labels', 'The network predicts no tumour at all: every region is at pseudo Dice 0 from epoch 2 while the training loss falls to 0.045, so the training labels hold no tumour', true, 'Right. A training loss that keeps falling (0.75 → 0.045) while every validation Dice is 0 means the network learned its training targets, and they were all background: this run set every training label to 0. Check that labels survive conversion and loading.'),
    c('slow', 'Nothing yet: small regions often sit at 0 for the first epochs', false, 'A slow start hits small regions; here whole tumour, the largest, falls from 0.13 at epoch 0 to 0.0 from epoch 2 on. The same trainer with intact labels (the nan-input run before its fault) has whole tumour at 0.79 by epoch 2.'),
    c('lr', 'The learning rate is too high', false, 'It is the default 0.01, decaying by the poly rule over 8 epochs (0.00887 at epoch 1).'),
    c('nan', 'The loss turned nan', false, 'Every loss printed is a number; the validation loss rises only a little at the end (0.115 → 0.138).'),
  ]),
  choice('log-lab.wrong-own-overfit', 'what-is-wrong', 'own-overfit-two-cases', 'loss', 'What went wrong in this run of the course’s own trainer?', [
    c('overfit', 'Over-fitting: the training loss keeps falling while the validation loss, best at epoch 19, climbs back', true, 'Right. The training loss goes from −0.72 at epoch 19 to −0.80 at epoch 39, while the validation loss goes from its best, −0.46 at epoch 19, back to −0.19. The run had two training cases, which the network memorises; more (and more varied) training data is the cure.'),
    c('lr', 'The learning rate decays too fast', false, 'It is the default poly schedule over 40 epochs: 0.01·(1 − 1/40)^0.9 = 0.00977 at epoch 1, 0.00036 at epoch 39.'),
    c('diverge', 'The training diverges', false, 'The training loss falls steadily to about −0.80 and nothing is nan; only the validation loss gets worse.'),
    c('fine', 'Nothing: a validation loss that wobbles is normal', false, 'It does more than wobble: from epoch 19 to 39 it goes from −0.46 back to −0.19 while the training loss keeps improving.'),
  ]),
  choice('log-lab.wrong-own-shuffle', 'what-is-wrong', 'own-channels-shuffled', 'dice', 'This run of the course’s own trainer was broken on purpose. What can its log alone tell you?', [
    c('cannot', 'Little: nothing is nan, the losses fall and whole tumour learns; a fault in the inputs shows only against a good run', true, 'Right. The four channels were put in a random order for each training case. The log looks plausible; only a comparison gives it away: whole tumour is at 0.58 at epoch 2, where the same trainer and settings (the nan-input run, before its fault starts at epoch 4) reached 0.79. Check the data, not the curves: look at a few training cases channel by channel.'),
    c('tc', 'The tumour core labels are missing: its Dice is 0 in every epoch', false, 'With intact data this trainer starts tumour core late too: it is 0 in epochs 1–3 of the nan-input run, and the resumed run’s tumour core leaves 0 only at epoch 6. In 8 epochs that is a slow start, not proof of missing labels.'),
    c('lr', 'The learning rate is too high', false, 'It is the default 0.01 with the poly decay over 8 epochs.'),
    c('nan', 'The loss turns nan', false, 'Every loss printed is a number.'),
  ]),
  {
    kind: 'epoch',
    id: 'log-lab.nan-own',
    category: 'epoch',
    run: 'own-nan-input',
    panel: 'loss',
    prompt: 'This run of the course’s own trainer: click the epoch at which the loss turned NaN.',
    answer: 4,
    tolerance: 0,
    feedback: {
      right: 'Right: epoch 3 still prints train_loss 0.1846 and val_loss 0.0648; from epoch 4 both print nan and every region’s pseudo Dice drops to 0.0. The run put a NaN voxel into every batch from epoch 4: NaN in mid-training points at a bad input (or a step that blew up), not at the start-up.',
      early: 'Both losses are still numbers there (epoch 3: 0.1846 and 0.0648).',
      late: 'Earlier: once the weights hold a NaN every later epoch is nan too; find the first one.',
    },
  },
  choice('log-lab.lr-own-resume', 'lr', 'own-resume-lr-restart', 'lr', 'This run of the course’s own trainer was stopped and resumed (two log files). Is its learning-rate schedule right?', [
    c('restart', 'No: at epoch 6, the first epoch of the second log file, it jumps back to 0.01: the resumed run restarted the schedule', true, 'Right. Epoch 5 printed 0.00616; epochs 6, 7, 8 print 0.01, 0.00925, 0.00849, the values of epochs 0, 1, 2 again. A correct resume continues the schedule: epoch 6 of 12 should print 0.01·(1 − 6/12)^0.9 = 0.00536.'),
    c('yes', 'Yes: every value follows the poly formula', false, 'Each file on its own does, but not the two together: the poly schedule only decreases, and here it goes up from 0.00616 to 0.01 between epochs 5 and 6.'),
    c('warmup', 'Yes: the rise at epoch 6 is a warm-up after resuming', false, 'nnU-Net’s default trainer has no warm-up, and resuming with --c continues the schedule where it stopped.'),
  ]),
  choice('log-lab.lr-own-high', 'lr', 'own-lr-too-high', 'lr', 'Is the learning-rate schedule of this run of the course’s own trainer right?', [
    c('high', 'No: it starts at 10, 1000× nnU-Net’s default 0.01', true, 'Right. The printed values follow 10·(1 − e/8)^0.9 (8.86762 at epoch 1): the shape is the poly rule, the scale is 1000× too large. The validation loss jumps around with it: −0.28 at epoch 1, +0.21 at epoch 3.'),
    c('yes', 'Yes: it decays by the poly rule', false, 'The shape is right but the scale is not: nnU-Net starts at 0.01, this run at 10.'),
    c('fast', 'No: it decays too fast', false, 'It nears 0 at the end because the run was planned for 8 epochs; the poly rule does that for any length.'),
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
