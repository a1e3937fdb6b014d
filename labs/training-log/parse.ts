/**
 * Parser for nnU-Net training logs (`training_log_*.txt`), v2 and v1, read line by line so that a
 * log of any length streams through in bounded memory (`createLogParser`, `readLogStream`).
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
 * Pasted logs are read leniently: indentation and markdown quote marks before a record, code
 * fences, `\r`-joined progress-bar output, Windows line ends, BOMs and UTF-16 (`readLogStream`).
 * Every line ends up somewhere: in an epoch record, in a known non-epoch record (banner, plans
 * dump, split, validation, prediction and progress-bar output: counted in `otherRecords`) or in
 * `unparsed` with its line number and the reason. Nothing is dropped silently.
 */
import { withEma, type CrashedStart, type Curve, type EpochOverlap, type EpochRecord, type LogKind, type Restart, type UnparsedLine, type UnreadFigures } from './curve';

const RECORD = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?):(.*)$/;
const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const WRAPPED = /^np\.float(?:16|32|64)\((.*)\)$/;

/** Files bigger than this are refused: a 1000-epoch log is about 0.5 MB. */
export const MAX_LOG_BYTES = 64 * 1024 * 1024;
/** Longer lines are skipped with a note: a log record is a few hundred characters (the plans dump a few thousand). */
export const MAX_LINE_CHARS = 1024 * 1024;
/** Unreadable lines kept with their text; the rest are only counted (a huge log stays small). */
export const MAX_UNPARSED_KEPT = 200;

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

/** A decimal comma (`0,3929`: a locale-formatted copy of the log), never printed by Python. */
const DECIMAL_COMMA = /\d,\d/;

/** The list of a `Pseudo dice [...]` record, or undefined when an element is not a number. */
export function parseNumberList(inner: string): number[] | undefined {
  if (inner.trim() === '') return [];
  // Python separates list elements with ", "; "0,12" is a decimal comma, not two elements.
  if (DECIMAL_COMMA.test(inner)) return undefined;
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

/** Records that start like an epoch figure; when one is not read, the curve misses a number. */
const FIGURE_LIKE: [RegExp, keyof UnreadFigures][] = [
  [/^train[_ ]?loss\b/i, 'train_loss'],
  [/^val(?:idation)?[_ ]?loss\b/i, 'val_loss'],
  [/^(?:pseudo[_ ]?dice|average global foreground dice)\b/i, 'pseudo_dice'],
  [/^(?:current learning rate|lr)\s*:/i, 'lr'],
  [/^(?:epoch time|this epoch took)\b/i, 'epoch_time'],
  [/^yayy! new best ema pseudo dice\b/i, 'best_ema'],
];

/** v1 records inside an epoch block that carry no curve figures (checkpointing, patience). */
const V1_EXTRAS = [
  /^\(interpret this as an estimate/,
  /^saving (?:best epoch |scheduled )?checkpoint/,
  /^done, saving took/,
  /^done$/,
  /^New best epoch/,
  /^Patience/,
  /^current best_val_eval_criterion_MA/,
  /^val_eval_criterion_MA/,
  /^No improvement/,
  /^Val glob dc per class/,
];

/** nnU-Net v1's message when it lowers the momentum at epoch 100 (nnUNetTrainerV2.on_epoch_end). */
const MOMENTUM_RESET = /^At epoch (\d+), the mean foreground Dice was 0\b/;

/** Prediction output of nnUNetv2_predict (predict_from_raw_data.py), printed without timestamps. */
const PREDICTION = [
  /^There are (\d+) cases in the source folder$/,
  /^I am process \d+ out of \d+/,
  /^There are (\d+) cases that I would like to predict$/,
  /^Predicting .+:$/,
  /^perform_everything_on_device: /,
  /^Input shape: /,
  /^step_size: /,
  /^mirror_axes: /,
  /^n_steps \d+/,
  /^sending off prediction to background worker/,
  /^done with /,
];
/** Validation records at the end of training (nnUNetTrainer.perform_actual_validation). */
const VALIDATION = [/^predicting \S+$/, /^\S+, shape torch\.Size\(/, /^Validation complete$/];

/** tqdm progress bars (`100%|█████| 250/250 [..]`), which land in logs captured from a terminal. */
const PROGRESS = /\d+%\|.*\|\s*\d+\/\d+|\|\s*\d+\/\d+ \[\d/;

/** Lines of nnU-Net's citation banner and plans dump (printed without a timestamp). */
function isBannerLine(t: string): boolean {
  return /^#+$/.test(t) || t.startsWith('Please cite the following paper') || t.startsWith('Isensee, F.');
}

function emptyRecord(epoch: number, file: string): EpochRecord {
  return { epoch, lr: null, train_loss: null, val_loss: null, pseudo_dice: null, ema: null, best_ema: null, epoch_time: null, file };
}

const hasFigures = (r: EpochRecord) => r.train_loss !== null || r.val_loss !== null || r.pseudo_dice !== null || r.epoch_time !== null || r.best_ema !== null;

export interface ParsedFile extends Curve {
  otherRecords: number;
  /** First epoch begun in this file (null: none), where it begins, and the content's hash. */
  firstStarted: { epoch: number; line: number } | null;
  hash: string;
  /** Timestamp of the first record: it names the process that wrote it (microseconds). */
  processStamp: string | null;
  /** Characters read, to prefer the longer of two copies of one process. */
  length: number;
  trainingDone: boolean;
  validation: boolean;
  prediction: boolean;
}

/** Consecutive runs of epoch numbers, for reporting ranges. */
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
 * Removes every record from `from` on (a restart at `from` made them a dead branch) and says what
 * went, per file and range.
 */
function supersede(byEpoch: Map<number, EpochRecord>, from: number): Restart['discarded'] {
  const perFile = new Map<string, number[]>();
  for (const [e, r] of byEpoch) {
    if (e < from) continue;
    const f = r.file ?? '';
    let list = perFile.get(f);
    if (!list) perFile.set(f, (list = []));
    list.push(e);
    byEpoch.delete(e);
  }
  const out: Restart['discarded'] = [];
  for (const [file, eps] of perFile) for (const range of ranges(eps)) out.push({ file, epochs: range, count: range[1] - range[0] + 1 });
  return out;
}

/** 53-bit FNV-1a style hash of the text (two 32-bit lanes), to recognise a file given twice. */
class TextHash {
  private a = 0x811c9dc5;
  private b = 0x01000193;
  private n = 0;
  update(s: string): void {
    let { a, b } = this;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
    }
    this.a = a;
    this.b = b;
    this.n += s.length;
  }
  digest(): string {
    return `${(this.a >>> 0).toString(16)}${(this.b >>> 0).toString(16)}:${this.n}`;
  }
}

export interface LogParser {
  /** Feeds the next piece of text (any split, even inside a line). */
  push(text: string): void;
  /** Stops reading (the rest of the input is refused, with this reason as an unparsed line). */
  stop(reason: string): void;
  /** Ends the input and returns the parsed file. */
  end(): ParsedFile;
}

/** A streaming parser for one log file. `file` names it in every unparsed line and finding. */
export function createLogParser(file: string): LogParser {
  const unparsed: UnparsedLine[] = [];
  const restarts: Restart[] = [];
  const crashedStarts: CrashedStart[] = [];
  const unreadFigures: UnreadFigures = {};
  const byEpoch = new Map<number, EpochRecord>();
  const hash = new TextHash();
  const r = {
    numpy: null as 1 | 2 | null,
    finished: false,
    meanValidationDice: null as number | null,
    splitOverlapWarning: false,
    split: null as { train: number; val: number } | null,
    otherRecords: 0,
    unparsedCount: 0,
    datasetName: null as string | null,
    momentumReset: null as { epoch: number; file: string; line: number } | null,
    predictedCases: null as number | null,
    validation: false,
    prediction: false,
  };
  let firstStarted: { epoch: number; line: number } | null = null;
  let processStamp: string | null = null;
  let cur: EpochRecord | null = null;
  let curRestart: Restart | null = null;
  let interrupted: number | null = null;
  let inDump = false;
  let v1 = 0;
  let v2 = 0;
  let rest = '';
  let head: string | null = '';
  let overlong = false;
  let lineNo = 0;
  let bytesSeen = 0;
  let refused = false;
  // The process whose output is being read: where it began, whether it began an epoch, its last record.
  let seg = { line: 1, content: false, started: null as number | null, lastStarted: null as number | null, last: null as string | null, done: false };

  const miss = (line: number, t: string, reason: string) => {
    r.unparsedCount++;
    for (const [re, key] of FIGURE_LIKE) {
      if (re.test(t)) {
        unreadFigures[key] = (unreadFigures[key] ?? 0) + 1;
        break;
      }
    }
    if (unparsed.length < MAX_UNPARSED_KEPT) unparsed.push({ file, line, text: t.length > 200 ? `${t.slice(0, 200)}…` : t, reason });
  };

  /** Closes the open epoch: kept when it has a figure, else remembered as begun but not finished. */
  const closeEpoch = () => {
    if (!cur) return;
    if (hasFigures(cur)) {
      byEpoch.set(cur.epoch, cur);
      interrupted = null;
      if (curRestart) curRestart.epochs++;
    } else interrupted = cur.epoch;
    cur = null;
  };

  /** Ends the current process's output: a header with no epoch and no result is a crashed start. */
  const closeSegment = () => {
    closeEpoch();
    if (seg.content && seg.started === null && !seg.done) crashedStarts.push({ file, line: seg.line, lastRecord: seg.last });
  };

  const newSegment = (line: number) => {
    closeSegment();
    seg = { line, content: false, started: null, lastStarted: null, last: null, done: false };
    curRestart = null;
  };

  const start = (epoch: number, line: number) => {
    // An epoch number that does not move forward: another process's output follows (a restart
    // pasted or appended into the same text without its header).
    if (seg.lastStarted !== null && epoch <= seg.lastStarted) newSegment(line);
    closeEpoch();
    if (seg.started === null) {
      seg.started = epoch;
      if (firstStarted === null) firstStarted = { epoch, line };
      else {
        curRestart = { file, line: seg.line, fromEpoch: epoch, epochs: 0, discarded: supersede(byEpoch, epoch) };
        restarts.push(curRestart);
      }
    }
    seg.content = true;
    seg.lastStarted = epoch;
    cur = emptyRecord(epoch, file);
  };

  const setField = (field: Field, raw: string, line: number, t: string) => {
    const v = parseNumber(raw);
    if (v === undefined) return miss(line, t, DECIMAL_COMMA.test(raw) ? `"${raw}" has a decimal comma` : `"${raw}" is not a number`);
    if (!cur) return miss(line, t, 'epoch figure outside an epoch block');
    if (cur[field] !== null) return miss(line, t, `second ${field} in epoch ${cur.epoch}`);
    cur[field] = v;
  };
  const setDice = (inner: string, line: number, t: string) => {
    const list = parseNumberList(inner);
    if (!list) return miss(line, t, DECIMAL_COMMA.test(inner) ? 'pseudo Dice list uses decimal commas' : 'pseudo Dice list holds something that is not a number');
    if (!cur) return miss(line, t, 'pseudo Dice outside an epoch block');
    if (cur.pseudo_dice !== null) return miss(line, t, `second pseudo Dice list in epoch ${cur.epoch}`);
    cur.pseudo_dice = list;
    if (list.length > 0 && r.numpy === null) r.numpy = inner.includes('np.float') ? 2 : 1;
  };

  /** Untimestamped text: v1 epoch lines, banner, plans dump, prediction output, progress bars. */
  const plain = (t: string, line: number) => {
    const e1 = V1_EPOCH.exec(t);
    if (e1) {
      v1++;
      start(Number(e1[1]), line);
      return;
    }
    if (t.startsWith('Please cite the following paper') && seg.content) newSegment(line - 1);
    if (inDump || isBannerLine(t) || /^```/.test(t)) {
      r.otherRecords++;
      return;
    }
    if (t === 'This is the configuration used by this training:') {
      inDump = true;
      r.otherRecords++;
      return;
    }
    if (PROGRESS.test(t)) {
      r.otherRecords++;
      return;
    }
    const p = PREDICTION.findIndex((re) => re.test(t));
    if (p >= 0) {
      r.prediction = true;
      seg.done = true;
      if (p === 2) r.predictedCases = Number(/(\d+)/.exec(t)![1]);
      r.otherRecords++;
      return;
    }
    miss(line, t, 'not a log record (no timestamp) and not part of the plans dump');
  };

  const timestamped = (t: string, line: number) => {
    seg.content = true;
    if (t === '') return; // the blank separator record before every epoch
    seg.last = t.length > 200 ? `${t.slice(0, 200)}…` : t;
    const e2 = V2_EPOCH.exec(t);
    if (e2) {
      v2++;
      start(Number(e2[1]), line);
      return;
    }
    const field = V2_FIELDS.find(([re]) => re.test(t)) ?? V1_FIELDS.find(([re]) => re.test(t));
    if (field) return setField(field[1], field[0].exec(t)![1], line, t);
    const d = V2_DICE.exec(t) ?? V1_DICE.exec(t);
    if (d) return setDice(d[1], line, t);
    if (t === 'Training done.') {
      closeEpoch();
      r.finished = true;
      seg.done = true;
      r.otherRecords++;
      return;
    }
    const mvd = /^Mean Validation Dice:\s+(\S+)$/.exec(t);
    if (mvd) {
      const v = parseNumber(mvd[1]);
      if (v === undefined) miss(line, t, `"${mvd[1]}" is not a number`);
      else r.meanValidationDice = v;
      r.validation = true;
      seg.done = true;
      return;
    }
    const reset = MOMENTUM_RESET.exec(t);
    if (reset) {
      r.momentumReset = { epoch: Number(reset[1]), file, line };
      r.otherRecords++;
      return;
    }
    r.datasetName ??= /\b((?:Dataset|Task)\d{3}_[A-Za-z0-9_-]+)/.exec(t)?.[1] ?? null;
    if (t.startsWith('WARNING: Some validation cases are also in the training set')) r.splitOverlapWarning = true;
    const split = /^This (?:random 80:20 )?split has (\d+) training and (\d+) validation cases\.$/.exec(t);
    if (split) r.split = { train: Number(split[1]), val: Number(split[2]) };
    if (VALIDATION.some((re) => re.test(t))) {
      closeEpoch();
      r.validation = true;
      seg.done = true;
      r.otherRecords++;
      return;
    }
    if (cur && !V1_EXTRAS.some((re) => re.test(t)) && !split) return miss(line, t, `unknown record inside epoch ${cur.epoch}`);
    if (FIGURE_LIKE.some(([re]) => re.test(t))) return miss(line, t, 'looks like an epoch figure, but not in the form nnU-Net prints');
    r.otherRecords++;
  };

  /** NUL in the first 4096 characters: a binary file (progress.png, a checkpoint), not text. */
  const isBinary = (text: string) => {
    if (!text.slice(0, 4096).includes('\u0000')) return false;
    refused = true;
    miss(1, '', 'binary file, not a text log');
    return true;
  };
  /** Input shorter than 4096 characters: judged and read at its end. */
  const flushHead = (self: LogParser) => {
    if (head === null) return;
    const text = head;
    head = null;
    if (text !== '' && !isBinary(text)) self.push(text);
  };

  const endOverlong = () => {
    overlong = false;
    miss(++lineNo, '', `line longer than ${MAX_LINE_CHARS} characters; not read`);
  };

  const onLine = (rawLine: string) => {
    lineNo++;
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    // `\r` inside a line: a progress bar redrawn in place, then the next record on the same line.
    for (const piece of line.includes('\r') ? line.split('\r') : [line]) {
      // Pasted logs: indentation, markdown quote marks, a BOM in front of the first line.
      const text = piece.replace(/^[\s>\uFEFF]+/, '');
      if (text === '') continue;
      const m = RECORD.exec(text);
      if (m) {
        inDump = false;
        processStamp ??= m[1];
        timestamped(m[2].trim(), lineNo);
      } else plain(text.trim(), lineNo);
    }
  };

  return {
    push(text: string) {
      if (refused) return;
      // The first 4096 characters are held until it is clear the input is text.
      if (head !== null) {
        head += text;
        if (head.length < 4096) return;
        text = head;
        head = null;
        if (isBinary(text)) return;
      }
      bytesSeen += text.length;
      if (bytesSeen > MAX_LOG_BYTES) return this.stop(`file is larger than ${MAX_LOG_BYTES} bytes; read up to here`);
      hash.update(text);
      let at = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', at)) {
        if (overlong) endOverlong();
        else onLine(rest === '' ? text.slice(at, nl) : rest + text.slice(at, nl));
        rest = '';
        at = nl + 1;
      }
      if (overlong) return;
      rest += text.slice(at);
      // A line without end (a binary blob, a progress bar never closed) is not kept in memory.
      if (rest.length > MAX_LINE_CHARS) {
        overlong = true;
        rest = '';
      }
    },
    stop(reason: string) {
      flushHead(this);
      if (refused) return;
      if (overlong) endOverlong();
      else if (rest !== '') onLine(rest);
      rest = '';
      refused = true;
      miss(lineNo + 1, '', reason);
    },
    end(): ParsedFile {
      flushHead(this);
      if (!refused && overlong) endOverlong();
      else if (!refused && rest !== '') onLine(rest);
      rest = '';
      closeSegment();
      const format = v2 > 0 ? 'v2' : v1 > 0 ? 'v1' : 'unknown';
      const epochs = withEma([...byEpoch.values()].sort((a, b) => a.epoch - b.epoch));
      const lastEpoch = epochs.length > 0 ? epochs[epochs.length - 1].epoch : -1;
      return {
        format,
        lrOffset: format === 'v1' ? 1 : 0,
        // v1 prints plain Python floats whatever numpy is installed.
        numpy: format === 'v1' ? null : r.numpy,
        classes: Math.max(0, ...epochs.map((e) => e.pseudo_dice?.length ?? 0)),
        epochs,
        unparsed,
        overlaps: restarts.flatMap(toOverlaps),
        files: [file],
        finished: r.finished || (firstStarted === null && r.validation),
        meanValidationDice: r.meanValidationDice,
        splitOverlapWarning: r.splitOverlapWarning,
        split: r.split,
        otherRecords: r.otherRecords,
        kind: kindOf(epochs.length > 0 || firstStarted !== null, r.validation, r.prediction),
        restarts,
        crashedStarts,
        duplicates: [],
        interruptedEpoch: interrupted !== null && interrupted > lastEpoch ? interrupted : null,
        momentumReset: r.momentumReset,
        unreadFigures,
        unparsedCount: r.unparsedCount,
        datasetName: r.datasetName,
        predictedCases: r.predictedCases,
        firstStarted,
        hash: hash.digest(),
        processStamp,
        length: bytesSeen,
        trainingDone: r.finished,
        validation: r.validation,
        prediction: r.prediction,
      };
    },
  };
}

function kindOf(training: boolean, validation: boolean, prediction: boolean): LogKind {
  if (training) return validation ? 'training+validation' : 'training';
  if (validation) return 'validation';
  return prediction ? 'prediction' : 'unknown';
}

/** The pre-restart-model view of a restart: each discarded range with the file that replaced it. */
function toOverlaps(rs: Restart): EpochOverlap[] {
  return rs.discarded.map((d) => ({ epochs: d.epochs, keptFrom: rs.file, droppedFrom: d.file }));
}

/** Parses one log file given as text. */
export function parseLog(text: string, file: string): ParsedFile {
  const p = createLogParser(file);
  p.push(text);
  return p.end();
}

/**
 * The text encoding of a log from its first bytes: a BOM (UTF-8, UTF-16 LE/BE) or, without one,
 * UTF-16 recognised by its zero high bytes (ASCII text written by Windows PowerShell's `>`).
 */
export function detectEncoding(head: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  const n = Math.min(head.length, 512) & ~1;
  if (n >= 4) {
    let evenZero = 0;
    let oddZero = 0;
    for (let i = 0; i < n; i += 2) {
      if (head[i] === 0) evenZero++;
      if (head[i + 1] === 0) oddZero++;
    }
    if (oddZero > 0.4 * (n / 2) && evenZero === 0) return 'utf-16le';
    if (evenZero > 0.4 * (n / 2) && oddZero === 0) return 'utf-16be';
  }
  return 'utf-8';
}

/**
 * Parses a log from a byte stream (a file from disk or a browser File), decoding as it goes: memory
 * stays bounded by the epochs kept, whatever the file's size. Stops reading past MAX_LOG_BYTES.
 */
export async function readLogStream(stream: ReadableStream<Uint8Array>, file: string): Promise<ParsedFile> {
  const parser = createLogParser(file);
  const reader = stream.getReader();
  let decoder: TextDecoder | null = null;
  let head = new Uint8Array(0);
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      let chunk = value;
      if (!decoder) {
        // Wait for a few bytes so that the BOM and the UTF-16 pattern can be seen.
        const joined = new Uint8Array(head.length + value.length);
        joined.set(head);
        joined.set(value, head.length);
        if (joined.length < 4) {
          head = joined;
          continue;
        }
        decoder = new TextDecoder(detectEncoding(joined.subarray(0, 512)));
        chunk = joined;
      }
      if (total > MAX_LOG_BYTES) {
        parser.stop(`file is larger than ${MAX_LOG_BYTES} bytes; read up to here`);
        await reader.cancel();
        break;
      }
      parser.push(decoder.decode(chunk, { stream: true }));
    }
  } finally {
    reader.releaseLock();
  }
  if (!decoder) parser.push(new TextDecoder(detectEncoding(head)).decode(head));
  else parser.push(decoder.decode());
  return parser.end();
}

const LOG_NAME = /training_log_(\d{4})_(\d{1,2})_(\d{1,2})_(\d{2})_(\d{2})_(\d{2})\.txt$/;

/** Sort key from nnU-Net's file name (nnUNetTrainer.__init__: year/month/day not zero-padded). */
export function logNameTime(name: string): number | null {
  const m = LOG_NAME.exec(name);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/**
 * Merges the logs of one fold. Files are ordered by the time in their nnU-Net name (given order
 * when a name does not follow the pattern); a file with the same content as an earlier one is a
 * duplicate and read once. A process that continues the fold from epoch E (`--c` restarts from
 * checkpoint_latest.pth, saved every 50 epochs) supersedes every earlier record from E on, even
 * those it did not reach again: they belong to a branch that training no longer continues.
 */
export function mergeLogs(parts: ParsedFile[]): Curve {
  const keyed = parts.map((p, i) => ({ p, i, t: logNameTime(p.files[0]) }));
  if (keyed.every((k) => k.t !== null)) keyed.sort((a, b) => a.t! - b.t! || a.i - b.i);
  const seen = new Map<string, string>();
  const duplicates: NonNullable<Curve['duplicates']> = [];
  const unique: ParsedFile[] = [];
  for (const { p } of keyed) {
    const same = seen.get(p.hash);
    if (same !== undefined) duplicates.push({ file: p.files[0], sameAs: same });
    else {
      seen.set(p.hash, p.files[0]);
      unique.push(p);
    }
  }
  // Two different files that begin with the same record (to the microsecond) were written by one
  // process: copies taken at different times, not a restart. The longer copy is read.
  const longest = new Map<string, ParsedFile>();
  for (const p of unique) {
    if (p.processStamp === null) continue;
    const other = longest.get(p.processStamp);
    if (!other || p.length > other.length) longest.set(p.processStamp, p);
  }
  const ordered = unique.filter((p) => {
    const keep = p.processStamp === null || longest.get(p.processStamp) === p;
    if (!keep) duplicates.push({ file: p.files[0], sameAs: longest.get(p.processStamp!)!.files[0], copyOfProcess: true });
    return keep;
  });
  const byEpoch = new Map<number, EpochRecord>();
  const restarts: Restart[] = [];
  let started = false;
  let interruptedEpoch: number | null = null;
  for (const p of ordered) {
    if (p.firstStarted) {
      if (started) {
        // Epochs of this file's first process: those before its own first in-file restart.
        const until = p.restarts?.[0]?.fromEpoch ?? Infinity;
        restarts.push({
          file: p.files[0],
          line: p.firstStarted.line,
          fromEpoch: p.firstStarted.epoch,
          epochs: p.epochs.filter((r) => r.epoch < until).length,
          discarded: supersede(byEpoch, p.firstStarted.epoch),
        });
      }
      started = true;
      interruptedEpoch = p.interruptedEpoch ?? null;
    }
    restarts.push(...(p.restarts ?? []));
    for (const r of p.epochs) byEpoch.set(r.epoch, r);
  }
  const withEpochs = ordered.filter((p) => p.epochs.length > 0);
  const formats = new Set(withEpochs.map((p) => p.format));
  const format = formats.size === 1 ? [...formats][0] : withEpochs.length === 0 ? (ordered.find((p) => p.format !== 'unknown')?.format ?? 'unknown') : withEpochs[withEpochs.length - 1].format;
  const epochs = withEma([...byEpoch.values()].sort((a, b) => a.epoch - b.epoch));
  const lastEpoch = epochs.length > 0 ? epochs[epochs.length - 1].epoch : -1;
  const training = ordered.filter((p) => p.firstStarted !== null || p.trainingDone);
  const last = <T>(pick: (p: ParsedFile) => T | null | undefined): T | null => {
    for (let i = ordered.length - 1; i >= 0; i--) {
      const v = pick(ordered[i]);
      if (v !== null && v !== undefined) return v;
    }
    return null;
  };
  return {
    format,
    lrOffset: format === 'v1' ? 1 : 0,
    numpy: ordered.find((p) => p.numpy !== null)?.numpy ?? null,
    classes: Math.max(0, ...epochs.map((r) => r.pseudo_dice?.length ?? 0)),
    epochs,
    unparsed: ordered.flatMap((p) => p.unparsed).slice(0, MAX_UNPARSED_KEPT),
    overlaps: restarts.flatMap(toOverlaps),
    files: ordered.map((p) => p.files[0]),
    // nnU-Net refuses --val before training is finished, so a validation-only log is of a finished fold.
    finished: training.length > 0 ? training[training.length - 1].trainingDone : ordered.some((p) => p.validation),
    meanValidationDice: last((p) => p.meanValidationDice),
    splitOverlapWarning: ordered.some((p) => p.splitOverlapWarning),
    split: last((p) => p.split),
    otherRecords: ordered.reduce((a, p) => a + p.otherRecords, 0),
    kind: kindOf(epochs.length > 0 || ordered.some((p) => p.firstStarted !== null), ordered.some((p) => p.validation), ordered.some((p) => p.prediction)),
    restarts,
    crashedStarts: ordered.flatMap((p) => p.crashedStarts ?? []),
    duplicates,
    interruptedEpoch: interruptedEpoch !== null && interruptedEpoch > lastEpoch ? interruptedEpoch : null,
    momentumReset: last((p) => p.momentumReset),
    unreadFigures: ordered.reduce<NonNullable<Curve['unreadFigures']>>((acc, p) => {
      for (const [k, v] of Object.entries(p.unreadFigures ?? {})) acc[k as keyof typeof acc] = (acc[k as keyof typeof acc] ?? 0) + v;
      return acc;
    }, {}),
    unparsedCount: ordered.reduce((a, p) => a + (p.unparsedCount ?? p.unparsed.length), 0),
    datasetName: ordered.find((p) => p.datasetName)?.datasetName ?? null,
    predictedCases: last((p) => p.predictedCases),
  };
}

/** Parses and merges the log files of one fold. */
export function parseLogs(files: { name: string; text: string }[]): Curve {
  return mergeLogs(files.map((f) => parseLog(f.text, f.name)));
}
