/**
 * `bratslab leakage`: the leakage simulator on the command line: the same experiment as the lab
 * on the site, for instructors preparing a class and for tests.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { createRng } from '../../shared/prng';
import {
  CLASSIFIERS,
  DEFAULT_OPTIONS,
  LABEL_MODES,
  PICKINGS,
  checkOptions,
  compareSplits,
  runExperiment,
  type LeakageOptions,
  type LeakageReport,
  type SplitComparison,
} from '../../leakage';

interface CliOptions extends LeakageOptions {
  followUps?: number;
  json?: boolean;
}

function wholeNumber(name: string) {
  return (raw: string): number => {
    if (!/^\d+$/.test(raw.trim())) throw new InvalidArgumentError(`${name} takes a whole number, got "${raw}"`);
    return Number(raw);
  };
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

const LABEL_TEXT: Record<LeakageOptions['labels'], string> = {
  'random-subject': 'random per subject (copied to its slices)',
  'random-slice': 'random per slice',
  signal: 'grade-like signal in the features',
};

function printReport(r: LeakageReport): void {
  const o = r.options;
  const out: string[] = [];
  out.push(
    `Leakage experiment: ${o.subjects} subjects x ${o.slicesPerSubject} slices (${o.picking}), labels ${LABEL_TEXT[o.labels]},`,
    `${o.classifier === 'knn' ? `${o.k}-nearest neighbours` : 'logistic regression'}, ${o.folds}-fold x ${o.repeats}, seed ${o.seed}. Chance: 50% (labels 1: ${pct(r.positiveRate)}).`,
    '',
    'split          mean    sd     min     max     nearest training slice from the same subject',
  );
  for (const s of [r.slice, r.subject]) {
    const name = s.split === 'slice' ? 'slice-level' : 'subject-level';
    out.push(`${name.padEnd(14)} ${pct(s.meanAccuracy).padStart(6)}  ${(100 * s.sdAccuracy).toFixed(1).padStart(4)}  ${pct(s.minAccuracy).padStart(6)}  ${pct(s.maxAccuracy).padStart(6)}  ${pct(s.sameSubjectNeighbour)}`);
  }
  out.push('', `Inflation: ${r.inflationPoints >= 0 ? '+' : ''}${r.inflationPoints.toFixed(1)} points (slice-level minus subject-level).`);
  out.push('Per fold (slice-level / subject-level): ' + r.slice.folds.map((f, i) => `${pct(f.accuracy)}/${pct(r.subject.folds[i].accuracy)}`).join('  '));
  process.stdout.write(`${out.join('\n')}\n`);
}

function printFollowUps(c: SplitComparison): void {
  const patients = new Set(c.cases.map((x) => x.patient)).size;
  const withFollowUps = new Set(c.cases.filter((x) => !x.caseId.endsWith('_s1')).map((x) => x.patient)).size;
  const leaked = new Set(c.nnunet.flatMap((f) => f.leakedPatients));
  const out = [
    '',
    `nnU-Net angle: ${c.cases.length} cases of ${patients} patients (${withFollowUps} with follow-up scans).`,
    `nnU-Net's default split (KFold(5, shuffle=True, random_state=12345) over sorted case ids) puts ${leaked.size} patient(s) on both sides of a fold:`,
  ];
  for (const f of c.nnunet) {
    if (f.leakedCases.length) out.push(`  fold ${f.fold}: ${f.leakedCases.join(', ')} validated while a scan of the same patient trains`);
  }
  out.push(`Fix: bratslab splits DATASET --groups patients.csv (or --group-by '^(P\\d+)_'); that split leaks ${c.grouped.reduce((a, f) => a + f.leakedPatients.length, 0)} patient(s) here.`);
  process.stdout.write(`${out.join('\n')}\n`);
}

export function register(program: Command): void {
  program
    .command('leakage')
    .description('Simulate data leakage: the same classifier cross-validated with a slice-level and a subject-level split (Yagis et al. 2021).')
    .option('--subjects <n>', 'subjects', wholeNumber('--subjects'), DEFAULT_OPTIONS.subjects)
    .option('--slices <n>', 'slices per subject', wholeNumber('--slices'), DEFAULT_OPTIONS.slicesPerSubject)
    .addOption(new Option('--picking <how>', 'which slices of a volume: a run of adjacent ones, or spread through it').choices(PICKINGS).default(DEFAULT_OPTIONS.picking))
    .addOption(new Option('--labels <mode>', 'label mode').choices(LABEL_MODES).default(DEFAULT_OPTIONS.labels))
    .addOption(new Option('--classifier <name>', 'classifier').choices(CLASSIFIERS).default(DEFAULT_OPTIONS.classifier))
    .option('--k <n>', 'neighbours for knn', wholeNumber('--k'), DEFAULT_OPTIONS.k)
    .option('--folds <n>', 'cross-validation folds', wholeNumber('--folds'), DEFAULT_OPTIONS.folds)
    .option('--repeats <n>', 'cross-validation repeats with fresh folds', wholeNumber('--repeats'), DEFAULT_OPTIONS.repeats)
    .option('--seed <n>', 'seed: the same seed gives the same result', wholeNumber('--seed'), DEFAULT_OPTIONS.seed)
    .option('--follow-ups <patients>', "also show nnU-Net's split of a generated dataset of this many patients with follow-up scans", wholeNumber('--follow-ups'))
    .option('--json', 'print the report as JSON')
    .action((raw: CliOptions & { slices: number }) => {
      const o: LeakageOptions = {
        subjects: raw.subjects,
        slicesPerSubject: raw.slices,
        picking: raw.picking,
        labels: raw.labels,
        classifier: raw.classifier,
        k: raw.k,
        folds: raw.folds,
        repeats: raw.repeats,
        seed: raw.seed,
      };
      const errors = checkOptions(o);
      if (errors.length) throw new Error(`leakage: ${errors.join('; ')}`);
      const report = runExperiment(o);
      const followUps = raw.followUps === undefined ? undefined : compareSplits(raw.followUps, createRng(o.seed).fork('follow-ups'));
      if (raw.json) {
        process.stdout.write(`${JSON.stringify(followUps ? { ...report, followUps } : report)}\n`);
        return;
      }
      printReport(report);
      if (followUps) printFollowUps(followUps);
    });
}
