/**
 * This project's own training runs (public/data/runs/<folder>/training_log_*.txt): short runs of
 * the course's small trainer (training/train.py) on the synthetic cases, each configured to fail
 * in one way. Unlike the transcribed public runs (runs.ts), these are whole log files: the lab
 * parses their text with parse.ts, so no number is copied by hand. The commands are those of
 * training/broken-runs.sh, which wrote the logs (public/data/runs/README.md lists the same).
 */

export interface OwnRun {
  /** Run id in the lab (URL state, quiz items); never clashes with a public run id. */
  id: string;
  /** Folder under public/data/runs. */
  folder: string;
  /** Its log files, in the order they were written (a resumed run has two). */
  files: string[];
  title: string;
  /** What was configured wrong: known from the command, not read off the curves. */
  fault: string;
  /** The commands that reproduce the log, after the data step (see OWN_RUNS_SETUP). */
  commands: string[];
}

/** Output names of the trainer: its regions, in the order of the `'regions'` entry that every
 * one of these logs prints in its configuration dump (`['WT', 'TC', 'ET']`). */
export const OWN_RUN_REGIONS = ['whole tumour', 'tumour core', 'enhancing tumour'] as const;

/** The data step every command needs; `bash training/broken-runs.sh` then runs all six. */
export const OWN_RUNS_SETUP =
  'npm run model:train (it generates the training cases first; stop it after that if you like), with WORK=/tmp/bratslab-model';

/** One train.py call, options in the order broken-runs.sh passes them. */
const train = (folder: string, epochs: number, trainCases: number, extra = '') =>
  `python3 training/train.py --data $WORK/train/Dataset501_Synth --out $WORK/broken/${folder} --epochs ${epochs} --iters 10 --val-iters 3 --patch 32 32 32 --train-cases ${trainCases} --no-final-validation${extra ? ` ${extra}` : ''}`;

export const OWN_RUNS: readonly OwnRun[] = [
  {
    id: 'own-lr-too-high',
    folder: 'lr-too-high',
    files: ['training_log_2026_11_26_19_56_09.txt'],
    title: 'Own run: initial learning rate 10, 8 epochs',
    fault: 'Initial learning rate 10, 1000× nnU-Net’s default 0.01.',
    commands: [train('lr-too-high', 8, 16, '--initial-lr 10')],
  },
  {
    id: 'own-labels-all-zero',
    folder: 'labels-all-zero',
    files: ['training_log_2026_11_26_19_51_11.txt'],
    title: 'Own run: every training label set to background, 8 epochs',
    fault: 'Every training label is background (0); the validation labels are intact.',
    commands: [train('labels-all-zero', 8, 16, '--fault-zero-labels')],
  },
  {
    id: 'own-channels-shuffled',
    folder: 'channels-shuffled',
    files: ['training_log_2026_11_26_19_52_08.txt'],
    title: 'Own run: input channels in a random order per case, 8 epochs',
    fault: 'The four input channels are put in a random order for each training case.',
    commands: [train('channels-shuffled', 8, 16, '--fault-shuffle-channels')],
  },
  {
    id: 'own-nan-input',
    folder: 'nan-input',
    files: ['training_log_2026_11_26_19_53_07.txt'],
    title: 'Own run: a NaN voxel in every batch from epoch 4, 8 epochs',
    fault: 'One NaN voxel is written into every training batch from epoch 4 on.',
    commands: [train('nan-input', 8, 16, '--fault-nan-epoch 4')],
  },
  {
    id: 'own-overfit-two-cases',
    folder: 'overfit-two-cases',
    files: ['training_log_2026_11_26_19_56_34.txt'],
    title: 'Own run: two training cases, 40 epochs',
    fault: 'Only two training cases (16 validation cases), trained for 40 epochs.',
    commands: [train('overfit-two-cases', 40, 2)],
  },
  {
    id: 'own-resume-lr-restart',
    folder: 'resume-lr-restart',
    files: ['training_log_2026_11_26_19_55_10.txt', 'training_log_2026_11_26_19_55_28.txt'],
    title: 'Own run: stopped after 6 of 12 epochs, resumed with the schedule restarted',
    fault: 'A 12-epoch run stopped after epoch 5 and resumed from its checkpoint, but with the poly schedule started again from epoch 0.',
    commands: [
      train('resume-lr-restart', 12, 16, '--stop-after 6'),
      train('resume-lr-restart', 12, 16, '--resume $WORK/broken/resume-lr-restart --fault-resume-restart-lr'),
    ],
  },
];

/** The own run with this id, if it is one. */
export function ownRun(id: string): OwnRun | undefined {
  return OWN_RUNS.find((r) => r.id === id);
}
