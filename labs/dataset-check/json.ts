/**
 * An order-preserving JSON reader for dataset.json.
 *
 * Why not `JSON.parse`: a JS object moves integer-like keys ("0", "1") to the front in numeric
 * order, but nnU-Net reads dataset.json with Python's `json.load`, which keeps file order, and its
 * planner assigns normalisation schemes by iterating `channel_names.values()` in that order
 * (nnunetv2/experiment_planning/experiment_planners/default_experiment_planner.py). Labels and
 * regions depend on order too (nnunetv2/utilities/label_handling/label_handling.py). So objects
 * here are lists of [key, value] entries in file order.
 *
 * Strictness follows Python's `json` module (no comments, no trailing commas), with two
 * deliberate differences: `NaN`/`Infinity` literals (accepted by Python) and duplicate keys
 * (Python keeps the last) are reported, because both hide mistakes.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;

/** An object as an ordered list of entries; `dupes` lists keys that occurred twice. */
export interface JsonObject {
  kind: 'object';
  entries: [string, JsonValue][];
  dupes: string[];
}

export interface JsonProblem {
  /** 1-based line and column of the offending character. */
  line: number;
  column: number;
  /** What is wrong, one short phrase. */
  problem: string;
  /** How to fix it. */
  fix: string;
  /** Tag of the problem type, for tests and evidence. */
  kind: 'comment' | 'trailing-comma' | 'nan-literal' | 'syntax';
}

/**
 * `recovered` lists comments and trailing commas that were skipped to read the rest of the file
 * (only with `recover`): each is still an error for nnU-Net, but the other checks can go on.
 */
export type JsonParse = { ok: true; value: JsonValue; warnings: JsonProblem[]; recovered: JsonProblem[] } | { ok: false; error: JsonProblem };

export const isJsonObject = (v: JsonValue | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && (v as JsonObject).kind === 'object';

/** The value of `key` (the last one, as Python's json keeps the last duplicate). */
export function getKey(obj: JsonObject, key: string): JsonValue | undefined {
  let found: JsonValue | undefined;
  for (const [k, v] of obj.entries) if (k === key) found = v;
  return found;
}

export function hasKey(obj: JsonObject, key: string): boolean {
  return obj.entries.some(([k]) => k === key);
}

/** Keys in file order, duplicates collapsed at their first position. */
export function keysOf(obj: JsonObject): string[] {
  return [...new Set(obj.entries.map(([k]) => k))];
}

class Fail extends Error {
  constructor(readonly info: JsonProblem) {
    super(info.problem);
  }
}

/**
 * Parses `text`; never throws. Depth is capped so a hostile file cannot exhaust the stack. With
 * `recover`, comments and trailing commas are skipped (and listed) instead of ending the parse.
 */
export function parseJson(text: string, opts: { recover?: boolean; maxDepth?: number } = {}): JsonParse {
  const maxDepth = opts.maxDepth ?? 256;
  let i = 0;
  const warnings: JsonProblem[] = [];
  const recovered: JsonProblem[] = [];
  /** Records a recoverable problem, or fails when not recovering. */
  const soft = (at: number, kind: JsonProblem['kind'], problem: string, fix: string) => {
    if (!opts.recover) fail(at, kind, problem, fix);
    recovered.push({ ...pos(at), kind, problem, fix });
  };
  const pos = (at: number) => {
    let line = 1;
    let col = 1;
    for (let k = 0; k < at && k < text.length; k++) {
      if (text.charCodeAt(k) === 10) {
        line++;
        col = 1;
      } else col++;
    }
    return { line, column: col };
  };
  const fail = (at: number, kind: JsonProblem['kind'], problem: string, fix: string): never => {
    throw new Fail({ ...pos(at), kind, problem, fix });
  };

  const skipWs = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) {
        i++;
        continue;
      }
      if (c === 47 /* / */ && (text[i + 1] === '/' || text[i + 1] === '*')) {
        soft(i, 'comment', 'a comment (// or /* */); JSON has no comments', "delete the comment; Python's json.load rejects it");
        const end = text[i + 1] === '/' ? text.indexOf('\n', i) : text.indexOf('*/', i + 2);
        i = end < 0 ? text.length : text[i + 1] === '/' ? end : end + 2;
        continue;
      }
      if (c === 35 /* # */) {
        soft(i, 'comment', 'a "#" comment; JSON has no comments', "delete the comment (the example in nnU-Net's dataset_format.md has such comments; they must go)");
        const end = text.indexOf('\n', i);
        i = end < 0 ? text.length : end;
        continue;
      }
      return;
    }
  };

  const parseString = (): string => {
    const start = i;
    i++; // opening quote
    let out = '';
    let run = i;
    for (;;) {
      if (i >= text.length) fail(start, 'syntax', 'a string that never ends', 'add the closing double quote');
      const c = text.charCodeAt(i);
      if (c === 34) {
        out += text.slice(run, i);
        i++;
        return out;
      }
      if (c < 32) fail(i, 'syntax', 'a control character (such as a line break) inside a string', 'write it as an escape (\\n, \\t) or close the string');
      if (c === 92) {
        out += text.slice(run, i);
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else fail(i, 'syntax', 'an invalid escape in a string', 'use \\\\ for a backslash (Windows paths) or one of \\" \\n \\t \\uXXXX');
        run = i;
        continue;
      }
      i++;
    }
  };

  const parseNumber = (): number => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return fail(i, 'syntax', 'an invalid number', 'write numbers like 3, 0.5 or 1e-3 (no leading zeros, no leading "+")');
    i += m[0].length;
    return Number(m[0]);
  };

  const parseValue = (depth: number): JsonValue => {
    if (depth > maxDepth) fail(i, 'syntax', `nesting deeper than ${maxDepth} levels`, 'dataset.json needs only a few levels');
    skipWs();
    const c = text[i];
    if (c === '{') return parseObject(depth);
    if (c === '[') return parseArray(depth);
    if (c === '"') return parseString();
    if (c === "'") fail(i, 'syntax', 'a single-quoted string', 'JSON strings use double quotes: "like this"');
    if (c === '-' || (c >= '0' && c <= '9')) {
      if (text.startsWith('-Infinity', i)) {
        warnings.push({ ...pos(i), kind: 'nan-literal', problem: '-Infinity is not JSON', fix: 'use a finite number; JavaScript tools cannot read this file' });
        i += 9;
        return -Infinity;
      }
      return parseNumber();
    }
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    for (const [word, v] of [
      ['NaN', NaN],
      ['Infinity', Infinity],
    ] as const) {
      if (text.startsWith(word, i)) {
        // Python's json accepts these; JSON (RFC 8259) and every JS tool do not.
        warnings.push({ ...pos(i), kind: 'nan-literal', problem: `${word} is not JSON`, fix: 'use a finite number; JavaScript tools cannot read this file' });
        i += word.length;
        return v;
      }
    }
    if (i >= text.length) return fail(i, 'syntax', 'the file ends where a value was expected', 'complete the last value and close every { and [');
    return fail(i, 'syntax', `unexpected character ${JSON.stringify(c)} where a value was expected`, 'check for a missing quote, comma or bracket just before this point');
  };

  const parseArray = (depth: number): JsonValue[] => {
    const out: JsonValue[] = [];
    i++;
    skipWs();
    if (text[i] === ']') {
      i++;
      return out;
    }
    for (;;) {
      out.push(parseValue(depth + 1));
      skipWs();
      if (text[i] === ',') {
        const comma = i;
        i++;
        skipWs();
        if (text[i] === ']') {
          soft(comma, 'trailing-comma', 'a trailing comma before "]"', 'delete the comma after the last item');
          i++;
          return out;
        }
        continue;
      }
      if (text[i] === ']') {
        i++;
        return out;
      }
      fail(i, 'syntax', 'expected "," or "]" in a list', 'add the missing comma between items or close the list');
    }
  };

  const parseObject = (depth: number): JsonObject => {
    const obj: JsonObject = { kind: 'object', entries: [], dupes: [] };
    const seen = new Set<string>();
    i++;
    skipWs();
    if (text[i] === '}') {
      i++;
      return obj;
    }
    for (;;) {
      skipWs();
      if (text[i] !== '"') fail(i, 'syntax', 'expected a property name in double quotes', 'quote every key with double quotes, and check for a missing comma on the line before');
      const key = parseString();
      skipWs();
      if (text[i] !== ':') fail(i, 'syntax', `expected ":" after the key "${key}"`, 'put a colon between each key and its value');
      i++;
      const value = parseValue(depth + 1);
      if (seen.has(key)) obj.dupes.push(key);
      seen.add(key);
      obj.entries.push([key, value]);
      skipWs();
      if (text[i] === ',') {
        const comma = i;
        i++;
        skipWs();
        if (text[i] === '}') {
          soft(comma, 'trailing-comma', 'a trailing comma before "}"', 'delete the comma after the last entry');
          i++;
          return obj;
        }
        continue;
      }
      if (text[i] === '}') {
        i++;
        return obj;
      }
      fail(i, 'syntax', 'expected "," or "}" after a value', 'add the missing comma between entries (a common slip after "file_ending": ".nii.gz")');
    }
  };

  try {
    // Python's json.loads refuses a leading byte-order mark ("Unexpected UTF-8 BOM").
    if (text.charCodeAt(0) === 0xfeff) fail(0, 'syntax', 'a byte-order mark (BOM) at the start', 'save the file as UTF-8 without BOM');
    const value = parseValue(0);
    skipWs();
    if (i < text.length) fail(i, 'syntax', 'extra text after the end of the JSON value', 'delete everything after the final closing brace');
    return { ok: true, value, warnings, recovered };
  } catch (e) {
    if (e instanceof Fail) return { ok: false, error: e.info };
    throw e;
  }
}
