import { describe, expect, it } from 'vitest';
import { createRng } from '../../labs/shared/prng';
import { SCHEMES, remapFromBrats2021, regionMismatches, detectScheme } from '../../labs/shared/labels';
import { readState, writeState } from '../../labs/shared/url-state';
import { buildLabReport, parseLabReport, selfCheckScore, unknownIds } from '../../labs/shared/report';
import { labSupport } from '../../labs/shared/registry';
import { countBySeverity, isRuleId, sortFindings, type Finding } from '../../labs/shared/findings';
import { memorySource, readText } from '../../labs/shared/files';

describe('prng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = Array.from({ length: 5 }, createRng(42).next);
    const b = Array.from({ length: 5 }, createRng(42).next);
    const c = Array.from({ length: 5 }, createRng(43).next);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('has the moments of the distributions it claims (n = 200000)', () => {
    const r = createRng(7);
    const n = 200_000;
    let s = 0, s2 = 0, ns = 0, ns2 = 0;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      s += u; s2 += u * u;
      const z = r.normal();
      ns += z; ns2 += z * z;
    }
    // Uniform(0,1): mean 1/2, variance 1/12. Standard normal: mean 0, variance 1. Tolerances ~5 standard errors.
    expect(s / n).toBeCloseTo(0.5, 2);
    expect(s2 / n - (s / n) ** 2).toBeCloseTo(1 / 12, 2);
    expect(Math.abs(ns / n)).toBeLessThan(0.012);
    expect(Math.abs(ns2 / n - 1)).toBeLessThan(0.02);
  });

  it('int covers both ends and shuffle keeps the elements', () => {
    const r = createRng('x');
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(r.int(1, 6));
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('label schemes (DESIGN.md table)', () => {
  it('maps BraTS 2021 to Dataset137 as nnU-Net does: ED 2→1, NCR 1→2, ET 4→3', () => {
    const m = remapFromBrats2021('nnunet137');
    expect([m[0], m[1], m[2], m[4]]).toEqual([0, 2, 1, 3]);
    expect(m[3]).toBe(-1);
  });

  it('keep maps only 4→3', () => {
    const m = remapFromBrats2021('keep');
    expect([m[0], m[1], m[2], m[4]]).toEqual([0, 1, 2, 3]);
  });

  it('has the regions of the table', () => {
    const r = (id: 'nnunet137' | 'keep') => Object.fromEntries(SCHEMES[id].regions.map((x) => [x.id, x.labels]));
    expect(r('nnunet137')).toEqual({ WT: [1, 2, 3], TC: [2, 3], ET: [3] });
    expect(r('keep')).toEqual({ WT: [1, 2, 3], TC: [1, 3], ET: [3] });
  });

  it('flags keep values declared with Dataset137 regions (edema in the core)', () => {
    expect(regionMismatches('keep', { WT: [1, 2, 3], TC: [2, 3], ET: [3] })).toEqual(['TC']);
    expect(regionMismatches('nnunet137', { WT: [1, 2, 3], TC: [2, 3], ET: [3] })).toEqual([]);
  });

  it('detects raw BraTS 2021 labels from their values', () => {
    expect(detectScheme([0, 1, 2, 4]).scheme).toBe('brats2021');
    expect(detectScheme([0, 1, 2, 3]).ambiguous.length).toBeGreaterThan(1);
  });
});

describe('url state', () => {
  const schema = { seed: { type: 'int', default: 1, min: 0 }, mode: { type: ['a', 'b'] as const, default: 'a' }, on: { type: 'bool', default: false } } as const;
  it('round-trips and drops defaults', () => {
    const p = writeState('leakage', schema, { seed: 7, mode: 'b', on: false }, new URLSearchParams('other=1'));
    expect(p.toString()).toBe('other=1&leakage.seed=7&leakage.mode=b');
    expect(readState('leakage', schema, p)).toEqual({ seed: 7, mode: 'b', on: false });
  });
  it('falls back to defaults on invalid values', () => {
    expect(readState('leakage', schema, new URLSearchParams('leakage.seed=-3&leakage.mode=zzz&leakage.on=maybe'))).toEqual({ seed: 1, mode: 'a', on: false });
  });
});

describe('lab report', () => {
  it('round-trips through JSON and rejects foreign files with a reason', () => {
    const r = buildLabReport({ student: 'Ada', done: { '01-week-at-a-glance': '2026-11-26T00:00:00Z' }, quizzes: {}, labs: {} }, new Date('2026-11-26T12:00:00Z'));
    const back = parseLabReport(JSON.stringify(r));
    expect(back.ok && back.report.student).toBe('Ada');
    const bad = parseLabReport('{"hello": 1}', 'x.json');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/x\.json: not a BraTS Lab report/);
    expect(parseLabReport('{oops', 'y.json')).toMatchObject({ ok: false });
  });
});

describe('registry and findings', () => {
  it('says which labs run without WebGL2 and WebGPU', () => {
    const s = labSupport({ webgl2: false, webgpu: false, workers: true, wasm: true, fsAccess: false });
    expect(s.find((x) => x.id === 'viewer')!.runs).toBe(false);
    expect(s.find((x) => x.id === 'inference')!.fallbacks).toContain('WebAssembly on the CPU (slower)');
  });
  it('validates rule ids and sorts by severity', () => {
    expect(isRuleId('dataset.label-values')).toBe(true);
    expect(isRuleId('LabelValues')).toBe(false);
    const f = (severity: Finding['severity']): Finding => ({ rule: 'x.y', severity, message: '', hint: '', docs: '' });
    expect(sortFindings([f('info'), f('error'), f('warning')]).map((x) => x.severity)).toEqual(['error', 'warning', 'info']);
    expect(countBySeverity([f('info'), f('error'), f('error')])).toEqual({ error: 2, warning: 0, info: 1 });
  });
  it('memorySource lists folders and reads text', async () => {
    const src = memorySource('m', { 'a/b/c.txt': 'hi' });
    expect((await src.list()).map((e) => `${e.kind}:${e.path}`).sort()).toEqual(['file:a/b/c.txt', 'folder:a', 'folder:a/b']);
    expect(await readText(src, 'a/b/c.txt')).toBe('hi');
  });
});

describe('lab reports: self-checks and ids', () => {
  const at = '2026-01-01T00:00:00.000Z';
  const report = buildLabReport({
    student: 'A',
    done: { '03-nnunet-dataset-format': at, '01-x': at },
    quizzes: {
      'lesson-03.folders': { correct: true, choice: 'a', answeredAt: at },
      'lesson-03.labels': { correct: false, choice: 'b', answeredAt: at },
      'log-lab.rise-2290': { correct: true, choice: 'c', answeredAt: at },
      'lesson-99.made-up': { correct: true, choice: 'd', answeredAt: at },
    },
    labs: {},
  });
  it('counts lesson self-checks only, not the answers of a lab quiz', () => {
    // By hand: lesson-03.folders right, lesson-03.labels wrong, lesson-99.made-up right; log-lab.* is the log lab's own.
    expect(selfCheckScore(report)).toEqual({ correct: 2, answered: 3 });
  });
  it('names the page and self-check ids the course does not have', () => {
    const known = { pages: ['03-nnunet-dataset-format'], quizzes: ['lesson-03.folders', 'lesson-03.labels'] };
    expect(unknownIds(report, known)).toEqual({ pages: ['01-x'], quizzes: ['lesson-99.made-up'] });
  });
});
