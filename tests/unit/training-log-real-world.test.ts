/**
 * The log reader on logs as practitioners have them: several processes per fold (restarts, crashed
 * starts, the same file twice), validation-only and prediction-only logs, v1 logs pasted into
 * markdown, progress bars, UTF-16, decimal commas, other datasets, huge logs.
 *
 * Real text: the nnU-Net 2.8.1 run in tests/fixtures/training-log/nnunet-run (copied from
 * ../shared/reference/nnunet-run) and excerpts from nnU-Net issues (see the fixtures' README).
 * Logs rebuilt from real numbers: the transcribed UCSF run in public/data/curves, rendered in
 * nnU-Net's line templates by tests/helpers/nnunet-log.ts. Expected values are read off those texts
 * and JSON files, not from the parser.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { classesFromDatasetJson, isBratsRegionRun } from '../../labs/training-log/classes';
import { diagnose } from '../../labs/training-log/diagnose';
import { createLogParser, mergeLogs, parseLog, parseLogs, readLogStream, MAX_LINE_CHARS, MAX_UNPARSED_KEPT } from '../../labs/training-log/parse';
import { logReport, type LogSummary } from '../../labs/training-log/report';
import { runToCurve, type RunFile } from '../../labs/training-log/runs';
import { renderHeader, renderV2, type RenderEpoch } from '../helpers/nnunet-log';

const FIX = 'tests/fixtures/training-log/';
const read = (name: string) => readFileSync(FIX + name, 'utf8');
const RUN = 'nnunet-run/fold_0/';
const CRASHED = 'training_log_2026_12_4_20_43_44.txt';
const FULL = 'training_log_2026_12_4_20_45_20.txt';
const curveJson = (id: string) => JSON.parse(readFileSync(`public/data/curves/${id}.json`, 'utf8')) as RunFile;
const ucsf = curveJson('ucsfmets_regions_lr2e-4');
const ucsfEpochs = (from: number, to: number): RenderEpoch[] =>
  ucsf.epochs
    .filter((e) => e.epoch >= from && e.epoch <= to)
    .map((e) => ({ epoch: e.epoch, lr: e.lr as number, train_loss: e.train_loss as number, val_loss: e.val_loss as number, pseudo_dice: e.pseudo_dice as number[], epoch_time: e.epoch_time_s as number }));
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
/** Words that only a BraTS run may hear. */
const BRATS_WORDS = /BraTS|enhancing|whole tumou?r|tumou?r core|\bET\b|\bWT\b|\bTC\b/;
const texts = (fs: { message: string; hint: string }[]) => fs.map((f) => `${f.message} ${f.hint}`).join('\n');

describe('restarts: a later process supersedes every earlier record from where it began', () => {
  // The case: the first process ran to epoch 71, the fold was continued from
  // checkpoint_latest (epoch 50), and that process died inside epoch 52. Between them, a start that
  // crashed before its first epoch left a header-only log.
  const A = 'training_log_2026_6_26_08_07_54.txt';
  const C = 'training_log_2026_6_27_09_00_00.txt';
  const B = 'training_log_2026_6_27_10_00_00.txt';
  const files = [
    { name: B, text: `${renderHeader('2026-06-27 10:00:00.512301')}\n${renderV2(ucsfEpochs(50, 51), { begun: { epoch: 52, lr: 0.00017 } })}` },
    { name: A, text: `${renderHeader('2026-06-26 08:07:54.200714')}\n${renderV2(ucsfEpochs(0, 71))}` },
    { name: C, text: `${renderHeader('2026-06-27 09:00:00.031244')}\n` },
  ];

  it('keeps epochs 0-49 of the first process and 50-51 of the restart; 50-71 of the first are discarded', () => {
    const c = parseLogs(files);
    expect(c.files).toEqual([A, C, B]);
    expect(c.epochs.map((r) => r.epoch)).toEqual(range(0, 51));
    expect(c.epochs.filter((r) => r.file === B).map((r) => r.epoch)).toEqual([50, 51]);
    expect(c.restarts).toEqual([{ file: B, line: expect.any(Number), fromEpoch: 50, epochs: 2, discarded: [{ file: A, epochs: [50, 71], count: 22 }] }]);
    expect(c.crashedStarts).toEqual([{ file: C, line: 1, lastRecord: 'Desired fold for training: 0' }]);
    // "Epoch 52" and its learning rate only: begun, not counted.
    expect(c.interruptedEpoch).toBe(52);
    expect(c.kind).toBe('training');
  });

  it('reports the last epoch and best EMA of the branch that training continued', () => {
    const report = logReport(parseLogs(files), 'fold_0');
    const s = report.details!.summary as LogSummary;
    expect(s).toMatchObject({ epochs: 52, lastEpoch: 51, restarts: 1, discardedEpochs: 22, crashedStarts: 1, interruptedEpoch: 52 });
    expect(s.bestEma!.epoch).toBeLessThanOrEqual(51);
    const resumed = report.findings.filter((f) => f.rule === 'log.resumed');
    expect(resumed).toHaveLength(1);
    expect(resumed[0].message).toContain(`${B}:`);
    expect(resumed[0].message).toContain(`continues from epoch 50 (2 epochs), superseding epochs 50–71 of ${A} (22)`);
    expect(resumed[0].message).toContain('22 epochs of earlier processes were discarded');
    expect(report.findings.find((f) => f.rule === 'log.crashed-start')!.message).toContain(`${C}:1`);
    expect(report.findings.find((f) => f.rule === 'log.epoch-incomplete')).toMatchObject({ epochs: [52, 52] });
  });

  it('reads the same processes pasted one after the other into one text', () => {
    const c = parseLog(files[1].text + files[2].text + files[0].text, 'pasted');
    expect(c.epochs.map((r) => r.epoch)).toEqual(range(0, 51));
    expect(c.restarts).toHaveLength(1);
    expect(c.restarts![0]).toMatchObject({ fromEpoch: 50, epochs: 2, discarded: [{ file: 'pasted', epochs: [50, 71], count: 22 }] });
    expect(c.crashedStarts).toHaveLength(1);
    expect(c.interruptedEpoch).toBe(52);
  });

  it('a restart that goes on past the old end replaces the old numbers', () => {
    const later = { name: B, text: `${renderHeader('2026-06-27 10:00:00.512301')}\n${renderV2(ucsfEpochs(50, 120).map((e) => ({ ...e, train_loss: e.train_loss! - 0.01 })))}` };
    const c = parseLogs([files[1], later]);
    expect(c.epochs.map((r) => r.epoch)).toEqual(range(0, 120));
    const at60 = ucsf.epochs.find((e) => e.epoch === 60)!;
    expect(c.epochs[60]).toMatchObject({ file: B });
    expect(c.epochs[60].train_loss).toBeCloseTo((at60.train_loss as number) - 0.01, 4);
  });

  it('the same file given twice is a duplicate, not a resume', () => {
    const text = read(RUN + FULL);
    for (const names of [[FULL, FULL], [FULL, 'copy_of_log.txt']]) {
      const c = parseLogs(names.map((name) => ({ name, text })));
      expect(c.epochs.map((r) => r.epoch)).toEqual([0, 1, 2, 3, 4]);
      expect(c.restarts).toEqual([]);
      expect(c.overlaps).toEqual([]);
      expect(c.duplicates).toEqual([{ file: names[1], sameAs: FULL }]);
      expect(diagnose(c).findings.filter((f) => f.rule === 'log.resumed')).toEqual([]);
    }
  });
});

describe('log kinds on the real nnU-Net 2.8.1 run (../shared/reference/nnunet-run)', () => {
  const full = read(RUN + FULL);

  it('training + validation, with the crashed first start listed', () => {
    const c = parseLogs([CRASHED, FULL].map((name) => ({ name, text: read(RUN + name) })));
    expect(c.kind).toBe('training+validation');
    expect(c.epochs.map((r) => r.epoch)).toEqual([0, 1, 2, 3, 4]);
    // From the log text: epoch 4 and the final validation.
    expect(c.epochs[4]).toMatchObject({ lr: 0.00235, train_loss: -0.3224, val_loss: -0.3436, pseudo_dice: [0.9288, 0.3943, 0.0], epoch_time: 281.65, best_ema: 0.2458 });
    expect(c.meanValidationDice).toBe(0.47795756448547416);
    expect(c.finished).toBe(true);
    expect(c.crashedStarts).toEqual([{ file: CRASHED, line: 1, lastRecord: 'This split has 6 training and 2 validation cases.' }]);
    expect(c.restarts).toEqual([]);
    expect(c.unparsed).toEqual([]);
    expect(c.datasetName).toBe('Dataset602_SynthWeb');
  });

  it('the crashed start alone: an error that says it died at start-up', () => {
    const d = diagnose(parseLog(read(RUN + CRASHED), CRASHED));
    expect(d.findings[0]).toMatchObject({ rule: 'log.no-epochs', severity: 'error' });
    expect(d.findings[0].message).toContain('the process died at start-up');
  });

  it('validation only (the fold already finished): its Mean Validation Dice, nothing to fix', () => {
    // What `nnUNetv2_train … --val` style output looks like: the header, "Training done." at once,
    // then the validation records, taken line for line from the real log.
    const lines = full.split('\n');
    const firstEpoch = lines.findIndex((l) => l.endsWith(': Epoch 0 ')) - 1;
    const done = lines.findIndex((l) => l.includes('Training done.'));
    const text = [...lines.slice(0, firstEpoch), ...lines.slice(done)].join('\n');
    const c = parseLog(text, 'training_log_2026_12_4_21_30_00.txt');
    expect(c.kind).toBe('validation');
    expect(c.finished).toBe(true);
    expect(c.meanValidationDice).toBe(0.47795756448547416);
    expect(c.crashedStarts).toEqual([]);
    const d = diagnose(c);
    expect(d.findings.map((f) => `${f.severity}:${f.rule}`)).toEqual(['info:log.validation-only']);
    expect(d.findings[0].message).toContain('Mean Validation Dice 0.478 on 2 validation cases');
  });

  it('prediction output only (MIC-DKFZ/nnUNet#2402): no curve, and 0 cases found is a warning', () => {
    const c = parseLog(read('issue2402-predict-0-cases.txt'), 'predict.txt');
    expect(c.kind).toBe('prediction');
    expect(c.predictedCases).toBe(0);
    expect(c.unparsed).toEqual([]);
    const d = diagnose(c);
    expect(d.findings.map((f) => `${f.severity}:${f.rule}`)).toEqual(['warning:log.prediction-only']);
    expect(d.findings[0].hint).toContain('_0000');
  });
});

describe('nnU-Net v1 (MIC-DKFZ/nnUNet#298, #1084)', () => {
  const v1 = read('issue298-v1-momentum.txt');

  it('recognises and explains the automatic momentum reset at epoch 100', () => {
    const c = parseLog(v1, 'i298.txt');
    expect(c.format).toBe('v1');
    expect(c.epochs.map((r) => [r.epoch, r.train_loss, r.val_loss, r.lr])).toEqual([
      [99, -0.3417, -0.3713, 0.009095],
      [100, -0.3656, -0.3831, 0.009086],
    ]);
    expect(c.unparsed).toEqual([]);
    expect(c.momentumReset).toEqual({ epoch: 100, file: 'i298.txt', line: 21 });
    const f = diagnose(c).findings.find((x) => x.rule === 'log.momentum-reset')!;
    expect(f).toMatchObject({ severity: 'warning', epochs: [100, 100] });
    expect(f.message).toContain('from 0.99 to 0.95');
    expect(f.message).toContain('re-initialised the network weights');
  });

  it('reads the same log pasted into markdown: indented, quoted, fenced, with Windows line ends', () => {
    const plain = parseLog(v1, 'i298.txt');
    for (const pasted of [
      v1.split('\n').map((l) => `    ${l}`).join('\n'),
      v1.split('\n').map((l) => `> ${l}`).join('\n'),
      `Here is my log:\n\n\`\`\`text\n${v1}\`\`\`\n`.replace(/\n/g, '\r\n'),
    ]) {
      const c = parseLog(pasted, 'i298.txt');
      expect(c.epochs.map(({ file, ...r }) => r)).toEqual(plain.epochs.map(({ file, ...r }) => r));
      expect(c.momentumReset?.epoch).toBe(100);
    }
    // #1084 indented as in a markdown document: the classes stuck at 0 are still reported. By hand
    // from the log: classes 2-9 print below 0.01 in both epochs with Dice (e.g. 0.0065, 0.0043).
    const log1084 = read('issue1084-v1.txt');
    const indented = diagnose(parseLog(log1084.split('\n').map((l) => `    ${l}`).join('\n'), 'i1084.txt')).findings;
    expect(indented).toEqual(diagnose(parseLog(log1084, 'i1084.txt')).findings);
    expect(indented.find((f) => f.rule === 'log.class-zero')!.message).toMatch(/^8 of 10 classes have pseudo Dice 0 in every epoch shown/);
    // The fenced copy has one line of prose, reported as such.
    const fenced = parseLog(`Here is my log:\n\n\`\`\`text\n${v1}\`\`\`\n`, 'x');
    expect(fenced.unparsed.map((u) => u.text)).toEqual(['Here is my log:']);
  });

  it('gives v1 commands and file names to a v1 log', () => {
    const log = read('issue1084-v1.txt');
    const lines = log.split('\n');
    // A continuation from epoch 10 that dies inside epoch 12: the lines of epochs 10-11, then "epoch: 12".
    const from10 = lines.findIndex((l) => l.trim() === 'epoch:  10') - 1;
    const later = `${lines.slice(from10).join('\n')}\n2022-06-20 09:00:00.000001: \nepoch:  12 \n`;
    const c = parseLogs([
      { name: 'training_log_2022_6_20_07_40_00.txt', text: log },
      { name: 'training_log_2022_6_20_08_30_00.txt', text: later },
    ]);
    expect(c.epochs.map((r) => r.epoch)).toEqual([9, 10, 11]);
    expect(c.restarts![0]).toMatchObject({ fromEpoch: 10, discarded: [{ epochs: [10, 11], count: 2 }] });
    const all = texts(diagnose(c).findings);
    expect(all).toContain('model_latest.model');
    expect(all).toContain('nnUNet_train CONFIGURATION TRAINER TASK FOLD -c');
    expect(all).not.toMatch(/nnUNetv2|checkpoint_latest\.pth|checkpoint_best\.pth/);
  });
});

describe('hostile and unusual text', () => {
  const full = read(RUN + FULL);
  const expected = parseLog(full, FULL);

  it('progress bars joined to records by carriage returns lose no train_loss', () => {
    const withBars = full.replace(/^(\S+ \S+: train_loss)/gm, '100%|██████████| 20/20 [04:45<00:00, 14.27s/it]\r$1');
    expect(withBars).not.toBe(full);
    const c = parseLog(withBars, FULL);
    expect(c.epochs.map((r) => r.train_loss)).toEqual([0.5487, 0.1486, -0.0949, -0.2515, -0.3224]);
    expect(c.unparsed).toEqual([]);
  });

  it('reads UTF-16 (with and without BOM), UTF-8 with BOM and CRLF, streamed in small pieces', async () => {
    const utf16le = (s: string) => {
      const b = new Uint8Array(s.length * 2);
      for (let i = 0; i < s.length; i++) {
        b[2 * i] = s.charCodeAt(i) & 0xff;
        b[2 * i + 1] = s.charCodeAt(i) >> 8;
      }
      return b;
    };
    const swap = (b: Uint8Array) => b.map((_, i) => b[i ^ 1]);
    const crlf = full.replace(/\n/g, '\r\n');
    const variants: [string, Uint8Array][] = [
      ['utf-16le bom', utf16le(`\uFEFF${crlf}`)],
      ['utf-16le', utf16le(crlf)],
      ['utf-16be bom', swap(utf16le(`\uFEFF${full}`))],
      ['utf-8 bom', new TextEncoder().encode(`\uFEFF${crlf}`)],
    ];
    for (const [label, bytes] of variants) {
      const stream = new ReadableStream<Uint8Array>({
        start(ctl) {
          for (let i = 0; i < bytes.length; i += 7) ctl.enqueue(bytes.subarray(i, i + 7));
          ctl.close();
        },
      });
      const c = await readLogStream(stream, FULL);
      expect(c.epochs, label).toEqual(expected.epochs);
      expect(c.unparsed, label).toEqual([]);
      expect(c.meanValidationDice, label).toBe(0.47795756448547416);
    }
  });

  it('decimal commas: an error when no loss or pseudo Dice could be read, a warning when some could', () => {
    const commas = full.replace(/(: (?:train_loss|val_loss|Pseudo dice|Current learning rate|Epoch time|Yayy).*)$/gm, (l) => l.replace(/(\d)\.(\d)/g, '$1,$2'));
    const c = parseLog(commas, FULL);
    expect(c.unreadFigures).toEqual({ lr: 5, train_loss: 5, val_loss: 5, pseudo_dice: 5, epoch_time: 5, best_ema: 5 });
    const f = diagnose(c).findings.find((x) => x.rule === 'log.unread-figures')!;
    expect(f.severity).toBe('error');
    expect(f.message).toContain('5 train_loss lines');
    expect(f.message).toContain('has a decimal comma');
    expect(f.hint).toContain('decimal commas');
    // With no figure read, no epoch is complete: said as such, not as a log cut short.
    expect(c.epochs).toEqual([]);
    expect(diagnose(c).findings.find((x) => x.rule === 'log.no-epochs')!.message).toContain('none of their figures could be read');
    // One pseudo Dice line damaged: the rest is read, and it is a warning.
    const one = full.replace('Pseudo dice [0.5861, 0.005, 0.0]', 'Pseudo dice [0,5861, 0,005, 0,0]');
    const g = diagnose(parseLog(one, FULL)).findings.find((x) => x.rule === 'log.unread-figures')!;
    expect(g).toMatchObject({ severity: 'warning', evidence: { unread: { pseudo_dice: 1 } } });
  });

  it('does not take a custom trainer line that mentions val_loss for a figure (real soil CT log)', () => {
    const c = parseLog(read('soilct-numpy2-start.txt'), 'soil.txt');
    expect(c.unreadFigures).toEqual({});
  });

  it('a huge log made of one run repeated: one resumed finding with counts, bounded unparsed lines', () => {
    const run = renderV2(ucsfEpochs(0, 299), { done: true });
    const junk = Array.from({ length: 1000 }, (_, i) => `console noise ${i}`).join('\n');
    const c = parseLog(`${junk}\n${run.repeat(30)}`, 'huge.txt');
    expect(c.epochs.map((r) => r.epoch)).toEqual(range(0, 299));
    expect(c.restarts).toHaveLength(29);
    expect(c.unparsed).toHaveLength(MAX_UNPARSED_KEPT);
    expect(c.unparsedCount).toBe(1000);
    const d = diagnose(c);
    const resumed = d.findings.filter((f) => f.rule === 'log.resumed');
    expect(resumed).toHaveLength(1);
    expect(resumed[0].evidence).toMatchObject({ restarts: 29, discardedEpochs: 29 * 300 });
    expect(d.findings.length).toBeLessThan(20);
    expect(d.findings.find((f) => f.rule === 'log.unparsed-lines')!.message).toMatch(/^1000 lines/);
  });
});

describe('wording from the log, not from BraTS', () => {
  it('class names from dataset.json, in nnU-Net order (regions as listed, labels by value)', () => {
    const regions = classesFromDatasetJson(JSON.parse(read('nnunet-run/dataset.json')))!;
    expect(regions).toEqual({ names: ['whole tumour', 'tumour core', 'enhancing tumour'], regions: true, regionLabels: [[1, 2, 3], [2, 3], [3]] });
    expect(isBratsRegionRun({ classes: 3, datasetName: 'Dataset602_SynthWeb' }, regions)).toBe(true);
    const kidney = classesFromDatasetJson({ labels: { background: 0, cyst: 3, kidney: 1, tumor: 2 } })!;
    expect(kidney.names).toEqual(['kidney', 'tumor', 'cyst']);
    expect(isBratsRegionRun({ classes: 3, datasetName: 'Dataset220_KiTS2023' }, kidney)).toBe(false);
    expect(classesFromDatasetJson({ name: 'no labels' })).toBeNull();
  });

  it('non-BraTS runs get no BraTS words (real curves: heart, soil CT, 32 labels, UCSF without names)', () => {
    const cases: [string, string[]][] = [
      ['issue2290_heart2d_diverging', curveJson('issue2290_heart2d_diverging').classes],
      ['soilct_gcef_bneireem_i4', []],
      ['issue2140_32class_zeros', []],
      ['ucsfmets_regions_lr2e-4', []],
      ['ucsfmets_regions_lr2e-4', ['kidney', 'tumor', 'cyst']],
    ];
    for (const [id, names] of cases) {
      const d = diagnose(runToCurve(curveJson(id), id), names);
      expect(texts(d.findings), `${id} ${names.join(',')}`).not.toMatch(BRATS_WORDS);
    }
    // The UCSF run has a class that lags and catches up: its advice is the generic one.
    const lag = diagnose(runToCurve(ucsf, 'u'), ['kidney', 'tumor', 'cyst']).findings.filter((f) => f.rule === 'log.class-lag');
    expect(lag.length).toBeGreaterThan(0);
    expect(lag.map((f) => f.message).join(' ')).toMatch(/cyst|tumor|kidney/);
  });

  it('a BraTS region run gets the BraTS advice', () => {
    const lag = diagnose(runToCurve(ucsf, 'u'), ['WT', 'TC', 'ET']).findings.filter((f) => f.rule === 'log.class-lag');
    expect(lag.length).toBeGreaterThan(0);
    expect(texts(lag)).toMatch(/BraTS/);
  });

  it('the merged report names the classes from dataset.json and says it is a BraTS region run', () => {
    const c = mergeLogs([CRASHED, FULL].map((name) => parseLog(read(RUN + name), name)));
    const info = classesFromDatasetJson(JSON.parse(read('nnunet-run/dataset.json')))!;
    const report = logReport(c, 'fold_0', info.names, undefined, { classNamesFrom: 'dataset.json', bratsRegions: isBratsRegionRun(c, info) });
    expect(report.details!.summary).toMatchObject({ kind: 'training+validation', classNames: info.names, classNamesFrom: 'dataset.json', bratsRegions: true, crashedStarts: 1 });
    expect(report.findings.find((f) => f.rule === 'log.class-zero')!.message).toMatch(/^enhancing tumour is at pseudo Dice 0 from epoch 1/);
  });
});

describe('figures in another form', () => {
  it('a loss written differently is a warning, inside or outside an epoch block', () => {
    const full = readFileSync(`${FIX}nnunet-run/fold_0/training_log_2026_12_4_20_45_20.txt`, 'utf8');
    const other = full.replace('train_loss 0.5487', 'train_loss: 0.5487').replace('2026-12-04 20:45:27.723197:  ', '2026-12-04 20:45:27.723197: val_loss: 0.4');
    const c = parseLog(other, 'x.txt');
    expect(c.unreadFigures).toEqual({ train_loss: 1, val_loss: 1 });
    expect(c.epochs[0].train_loss).toBeNull();
    expect(diagnose(c).findings.find((f) => f.rule === 'log.unread-figures')).toMatchObject({ severity: 'warning' });
  });
});

describe('copies of one process', () => {
  it('a copy of the real log taken while it ran (same first record, fewer epochs) is not a restart', () => {
    const full = readFileSync(`${FIX}nnunet-run/fold_0/training_log_2026_12_4_20_45_20.txt`, 'utf8');
    // The log as it stood during epoch 2: up to the record before "Epoch 2".
    const cut = full.slice(0, full.indexOf('2026-12-04 21:00:10.086956'));
    const c = parseLogs([
      { name: 'training_log_2026_12_4_20_45_20.txt', text: full },
      { name: 'snapshot.txt', text: cut },
    ]);
    expect(c.epochs.map((r) => r.epoch)).toEqual([0, 1, 2, 3, 4]);
    expect(c.restarts).toEqual([]);
    expect(c.duplicates).toEqual([{ file: 'snapshot.txt', sameAs: 'training_log_2026_12_4_20_45_20.txt', copyOfProcess: true }]);
    expect(diagnose(c).findings.find((f) => f.rule === 'log.duplicate-file')!.message).toContain('snapshot.txt is a shorter copy of the log of the process that wrote training_log_2026_12_4_20_45_20.txt');
  });
});

describe('lines without end', () => {
  it('a line longer than 1 MB is skipped with its line number, and the records after it are read', () => {
    const full = readFileSync(`${FIX}nnunet-run/fold_0/training_log_2026_12_4_20_45_20.txt`, 'utf8');
    const started = performance.now();
    const p = createLogParser('x.txt');
    p.push('first line\n');
    for (let i = 0; i < 40; i++) p.push('x'.repeat(64 * 1024)); // 2.5 MB without a newline
    p.push(`\n${full}`);
    const c = p.end();
    expect(performance.now() - started).toBeLessThan(5000);
    expect(c.unparsed.slice(0, 2).map((u) => [u.line, u.reason])).toEqual([
      [1, 'not a log record (no timestamp) and not part of the plans dump'],
      [2, `line longer than ${MAX_LINE_CHARS} characters; not read`],
    ]);
    expect(c.epochs.map((r) => r.epoch)).toEqual([0, 1, 2, 3, 4]);
    expect(c.meanValidationDice).toBe(0.47795756448547416);
  });
});

describe('binary input', () => {
  it('a PNG streamed in small pieces is refused as binary, not read as lines', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]);
    const stream = new ReadableStream<Uint8Array>({
      start(ctl) {
        for (let i = 0; i < png.length; i += 3) ctl.enqueue(png.subarray(i, i + 3));
        ctl.close();
      },
    });
    const c = await readLogStream(stream, 'progress.png');
    expect(c.epochs).toEqual([]);
    expect(c.unparsed.map((u) => u.reason)).toEqual(['binary file, not a text log']);
  });
});
