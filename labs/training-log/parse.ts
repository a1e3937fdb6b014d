/**
 * Parser for nnU-Net training logs (`training_log_*.txt`), v2 and v1.
 *
 * v2 record grammar (nnunetv2/training/nnUNetTrainer/nnUNetTrainer.py, `print_to_log_file`):
 * `YYYY-MM-DD HH:MM:SS[.ffffff]: ` + arguments joined by spaces + a trailing space. Per epoch
 * (`on_train_epoch_start`, `on_epoch_end`): a blank record, `Epoch N`, `Current learning rate: x`,
 * `train_loss x`, `val_loss x`, `Pseudo dice [..]`, `Epoch time: x s` and, when the EMA improved,
 * `Yayy! New best EMA pseudo Dice: x`. numpy >= 2 prints list elements as `np.float32(0.84)`.
 * v1 (nnunet/training/network_training/network_trainer.py) prints `epoch:  N` on its own line,
 * `train loss : x`, `validation loss: x`, `Average global foreground Dice: [..]`, `lr: x` and
 * `This epoch took x s`.
 *
 * Every line ends up somewhere: in an epoch record, in a known non-epoch record (banner, plans
 * dump, split and validation messages: counted in `otherRecords`) or in `unparsed` with its line
 * number and the reason. Nothing is dropped silently.
 */
import { withEma, type Curve, type EpochOverlap, type EpochRecord, type UnparsedLine } from './curve';

const RECORD = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?):(.*)$/;
const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const WRAPPED = /^np\.float(?:16|32|64)\((.*)\)$/;

/** Files bigger than this are refused: a 1000-epoch log is about 0.5 MB. */
export const MAX_LOG_BYTES = 64 * 1024 * 1024;

/**
 * One printed number: plain (`0.8399`, `1e-04`, `-0.0`), `nan`, `inf`, `-inf`, optionally wrapped
 * as `np.float32(...)` (numpy >= 2 repr). Returns undefined when the text is not a number.
 */
export function parseNumber(text: string): number | undefined {
  let t = text.trim();
  const w = WRAPPED.exec(t);
  if (w) t = w[1].trim();
  const lower = t.toLowerCase();
  if (lower === 'nan' || lower === '-nan') return NaN;
  if (lower === 'inf' || lower === '+inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  return NUMBER.test(t) ? Number(t) : undefined;
}

/** The list of a `Pseudo dice [...]` record, or undefined when an element is not a number. */
export function parseNumberList(inner: string): number[] | undefined {
  if (inner.trim() === '') return [];
  const out: number[] = [];
  for (const part of inner.split(',')) {
    const v = parseNumber(part);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

type Field = 'lr' | 'train_loss' | 'val_loss' | 'epoch_time' | 'best_ema';

const V2_FIELDS: [RegExp, Field][] = [
  [/^Current learning rate: (\S+)$/, 'lr'],
  [/^train_loss (\S+)$/, 'train_loss'],
  [/^val_loss (\S+)$/, 'val_loss'],
  [/^Epoch time: (\S+) s$/, 'epoch_time'],
  [/^Yayy! New best EMA pseudo Dice: (\S+)$/, 'best_ema'],
];
const V1_FIELDS: [RegExp, Field][] = [
  [/^train loss : (\S+)$/, 'train_loss'],
  [/^validation loss: (\S+)$/, 'val_loss'],
  [/^lr: (\S+)$/, 'lr'],
  [/^This epoch took (\S+) s$/, 'epoch_time'],
];
const V2_DICE = /^Pseudo dice \[(.*)\]$/;
const V1_DICE = /^Average global foreground Dice: \[(.*)\]$/;
const V2_EPOCH = /^Epoch (\d+)$/;
const V1_EPOCH = /^epoch:\s+(\d+)$/;

/** v1 records inside an epoch block that carry no curve figures (checkpointing, patience). */
const V1_EXTRAS = [
  /^\(interpret this as an estimate/,
  /^saving (?:best epoch )?checkpoint/,
  /^done, saving took/,
  /^New best epoch/,
  /^Patience/,
  /^current best_val_eval_criterion_MA/,
  /^val_eval_criterion_MA/,
  /^No improvement/,
  /^Val glob dc per class/,
];

/** Lines of nnU-Net's citation banner and plans dump (printed without a timestamp). */
function isBannerLine(t: string): boolean {
  return /^#+$/.test(t) || t.startsWith('Please cite the following paper') || t.startsWith('Isensee, F.');
}

function emptyRecord(epoch: number, file: string): EpochRecord {
  return { epoch, lr: null, train_loss: null, val_loss: null, pseudo_dice: null, ema: null, best_ema: null, epoch_time: null, file };
}

export interface ParsedFile extends Curve {
  otherRecords: number;
}

/** Parses one log file. `file` names it in every unparsed line and finding. */
export function parseLog(text: string, file: string): ParsedFile {
  const unparsed: UnparsedLine[] = [];
  const overlaps: EpochOverlap[] = [];
  const result: ParsedFile = {
    format: 'unknown',
    lrOffset: 0,
    numpy: null,
    classes: 0,
    epochs: [],
    unparsed,
    overlaps,
    files: [file],
    finished: false,
    meanValidationDice: null,
    splitOverlapWarning: false,
    split: null,
    otherRecords: 0,
  };
  if (text.length > MAX_LOG_BYTES) {
    unparsed.push({ file, line: 1, text: '', reason: `file is larger than ${MAX_LOG_BYTES} bytes; refused` });
    return result;
  }
  if (text.slice(0, 4096).includes('\u0000')) {
    unparsed.push({ file, line: 1, text: '', reason: 'binary file, not a text log' });
    return result;
  }

  const byEpoch = new Map<number, EpochRecord>();
  let cur: EpochRecord | null = null;
  let inDump = false;
  let v1 = 0;
  let v2 = 0;
  const miss = (line: number, t: string, reason: string) => unparsed.push({ file, line, text: t.length > 200 ? `${t.slice(0, 200)}…` : t, reason });

  const start = (epoch: number, lineNo: number) => {
    if (byEpoch.has(epoch)) overlaps.push({ epochs: [epoch, epoch], keptFrom: `${file}:${lineNo}`, droppedFrom: file });
    cur = emptyRecord(epoch, file);
    byEpoch.set(epoch, cur);
  };
  const setField = (field: Field, raw: string, lineNo: number, t: string) => {
    const v = parseNumber(raw);
    if (v === undefined) return miss(lineNo, t, `"${raw}" is not a number`);
    if (!cur) return miss(lineNo, t, 'epoch figure outside an epoch block');
    if (cur[field] !== null) return miss(lineNo, t, `second ${field} in epoch ${cur.epoch}`);
    cur[field] = v;
  };
  const setDice = (inner: string, lineNo: number, t: string) => {
    const list = parseNumberList(inner);
    if (!list) return miss(lineNo, t, 'pseudo Dice list holds something that is not a number');
    if (!cur) return miss(lineNo, t, 'pseudo Dice outside an epoch block');
    if (cur.pseudo_dice !== null) return miss(lineNo, t, `second pseudo Dice list in epoch ${cur.epoch}`);
    cur.pseudo_dice = list;
    if (list.length > 0 && result.numpy === null) result.numpy = inner.includes('np.float') ? 2 : 1;
  };

  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    const m = RECORD.exec(raw);
    if (!m) {
      const t = raw.trim();
      if (t === '') continue;
      const e1 = V1_EPOCH.exec(t);
      if (e1) {
        v1++;
        start(Number(e1[1]), lineNo);
        continue;
      }
      if (inDump || isBannerLine(t)) {
        result.otherRecords++;
        continue;
      }
      if (t === 'This is the configuration used by this training:') {
        inDump = true;
        result.otherRecords++;
        continue;
      }
      miss(lineNo, t, 'not a log record (no timestamp) and not part of the plans dump');
      continue;
    }
    inDump = false;
    const t = m[2].trim();
    if (t === '') continue; // the blank separator record before every epoch
    const e2 = V2_EPOCH.exec(t);
    if (e2) {
      v2++;
      start(Number(e2[1]), lineNo);
      continue;
    }
    const field = V2_FIELDS.find(([re]) => re.test(t)) ?? V1_FIELDS.find(([re]) => re.test(t));
    if (field) {
      setField(field[1], field[0].exec(t)![1], lineNo, t);
      continue;
    }
    const d = V2_DICE.exec(t) ?? V1_DICE.exec(t);
    if (d) {
      setDice(d[1], lineNo, t);
      continue;
    }
    if (t === 'Training done.') {
      result.finished = true;
      cur = null;
      result.otherRecords++;
      continue;
    }
    const mvd = /^Mean Validation Dice:\s+(\S+)$/.exec(t);
    if (mvd) {
      const v = parseNumber(mvd[1]);
      if (v === undefined) miss(lineNo, t, `"${mvd[1]}" is not a number`);
      else result.meanValidationDice = v;
      continue;
    }
    if (t.startsWith('WARNING: Some validation cases are also in the training set')) result.splitOverlapWarning = true;
    const split = /^This (?:random 80:20 )?split has (\d+) training and (\d+) validation cases\.$/.exec(t);
    if (split) result.split = { train: Number(split[1]), val: Number(split[2]) };
    if (cur && !V1_EXTRAS.some((re) => re.test(t)) && !split) {
      miss(lineNo, t, `unknown record inside epoch ${(cur as EpochRecord).epoch}`);
      continue;
    }
    result.otherRecords++;
  }

  result.format = v2 > 0 ? 'v2' : v1 > 0 ? 'v1' : 'unknown';
  result.lrOffset = result.format === 'v1' ? 1 : 0;
  // v1 prints plain Python floats whatever numpy is installed.
  if (result.format === 'v1') result.numpy = null;
  result.epochs = withEma([...byEpoch.values()].sort((a, b) => a.epoch - b.epoch));
  result.classes = Math.max(0, ...result.epochs.map((r) => r.pseudo_dice?.length ?? 0));
  return result;
}

const LOG_NAME = /training_log_(\d{4})_(\d{1,2})_(\d{1,2})_(\d{2})_(\d{2})_(\d{2})\.txt$/;

/** Sort key from nnU-Net's file name (nnUNetTrainer.__init__: year/month/day not zero-padded). */
export function logNameTime(name: string): number | null {
  const m = LOG_NAME.exec(name);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/** Consecutive runs of epoch numbers, for reporting overlaps as ranges. */
function ranges(epochs: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const e of [...epochs].sort((a, b) => a - b)) {
    const last = out[out.length - 1];
    if (last && e === last[1] + 1) last[1] = e;
    else out.push([e, e]);
  }
  return out;
}

/**
 * Merges the logs of one fold. Files are ordered by the time in their nnU-Net name (given order
 * when a name does not follow the pattern). A `--c` resume restarts from the last checkpoint, so
 * the epochs after it appear in two files (nnunetv2/run/run_training.py, `maybe_load_checkpoint`):
 * the later file's figures are kept, because training continued from them; each overlap is
 * reported.
 */
export function mergeLogs(parts: ParsedFile[]): Curve {
  const keyed = parts.map((p, i) => ({ p, i, t: logNameTime(p.files[0]) }));
  if (keyed.every((k) => k.t !== null)) keyed.sort((a, b) => a.t! - b.t! || a.i - b.i);
  const ordered = keyed.map((k) => k.p);
  const byEpoch = new Map<number, EpochRecord>();
  const overlaps: EpochOverlap[] = ordered.flatMap((p) => p.overlaps);
  for (const p of ordered) {
    const clash = new Map<string, number[]>();
    for (const r of p.epochs) {
      const old = byEpoch.get(r.epoch);
      if (old) {
        const from = old.file ?? '';
        clash.set(from, [...(clash.get(from) ?? []), r.epoch]);
      }
      byEpoch.set(r.epoch, r);
    }
    for (const [from, eps] of clash) {
      for (const range of ranges(eps)) overlaps.push({ epochs: range, keptFrom: p.files[0], droppedFrom: from });
    }
  }
  const withEpochs = ordered.filter((p) => p.epochs.length > 0);
  const formats = new Set(withEpochs.map((p) => p.format));
  const format = formats.size === 1 ? [...formats][0] : withEpochs.length === 0 ? 'unknown' : withEpochs[withEpochs.length - 1].format;
  const epochs = withEma([...byEpoch.values()].sort((a, b) => a.epoch - b.epoch));
  const lastWithEpochs = withEpochs[withEpochs.length - 1];
  return {
    format,
    lrOffset: format === 'v1' ? 1 : 0,
    numpy: ordered.find((p) => p.numpy !== null)?.numpy ?? null,
    classes: Math.max(0, ...epochs.map((r) => r.pseudo_dice?.length ?? 0)),
    epochs,
    unparsed: ordered.flatMap((p) => p.unparsed),
    overlaps,
    files: ordered.map((p) => p.files[0]),
    finished: lastWithEpochs ? lastWithEpochs.finished : false,
    meanValidationDice: [...ordered].reverse().find((p) => p.meanValidationDice !== null)?.meanValidationDice ?? null,
    splitOverlapWarning: ordered.some((p) => p.splitOverlapWarning),
    split: [...ordered].reverse().find((p) => p.split !== null)?.split ?? null,
    otherRecords: ordered.reduce((a, p) => a + p.otherRecords, 0),
  };
}

/** Parses and merges the log files of one fold. */
export function parseLogs(files: { name: string; text: string }[]): Curve {
  return mergeLogs(files.map((f) => parseLog(f.text, f.name)));
}
