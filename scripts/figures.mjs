#!/usr/bin/env node
/**
 * Writes the lessons' figures, src/assets/figures/*.svg. Every number a figure shows is computed
 * here or read from the repository: curves from the real runs in public/data/curves, the sliding
 * window from nnU-Net's step rule and Gaussian (sigma = patch / 8), folds from a seeded shuffle.
 * The SVGs carry no colours of their own: classes (fig-*) are styled in src/styles/site.css with
 * Starlight's colour variables, so the figures follow the light and dark themes. They are 400 units
 * wide with 13-15 unit text, which stays readable when a 375 px phone shows them at full width.
 *
 *   node scripts/figures.mjs [OUT_DIR]     (default src/assets/figures; tests write elsewhere)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = resolve(process.argv[2] ?? join(ROOT, 'src/assets/figures'));
const W = 400;

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const f1 = (x) => Math.round(x * 10) / 10;
const text = (x, y, s, cls = 'fig-text', anchor = 'start', size = 14) =>
  `<text x="${f1(x)}" y="${f1(y)}" class="${cls}" text-anchor="${anchor}" font-size="${size}">${esc(s)}</text>`;
const rect = (x, y, w, h, cls = 'fig-box', r = 6) => `<rect x="${f1(x)}" y="${f1(y)}" width="${f1(w)}" height="${f1(h)}" rx="${r}" class="${cls}"/>`;
const line = (x1, y1, x2, y2, cls = 'fig-line') => `<line x1="${f1(x1)}" y1="${f1(y1)}" x2="${f1(x2)}" y2="${f1(y2)}" class="${cls}"/>`;
const arrow = (x1, y1, x2, y2, cls = 'fig-line') => `<line x1="${f1(x1)}" y1="${f1(y1)}" x2="${f1(x2)}" y2="${f1(y2)}" class="${cls}" marker-end="url(#fig-arrow)"/>`;
const poly = (pts, cls) => `<polyline points="${pts.map(([x, y]) => `${f1(x)},${f1(y)}`).join(' ')}" class="${cls}"/>`;
const defs = `<defs><marker id="fig-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="fig-arrowhead"/></marker></defs>`;

function svg(name, height, body) {
  const doc = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" class="fig" data-figure="${name}">${defs}${body.join('')}</svg>\n`;
  writeFileSync(join(OUT, `${name}.svg`), doc);
}

/** A small seeded PRNG (mulberry32), so the fold pictures are the same on every run. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function shuffle(list, seed) {
  const r = rng(seed);
  const a = [...list];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** One plot panel: x over [x0, x1], y over [y0, y1]; series are [[x, y], …] lists (nulls break the line). */
function panel({ top, height, x0, x1, y0, y1, yTicks, xTicks, series, title, left = 46, right = 12 }) {
  const px = (x) => left + ((x - x0) / (x1 - x0)) * (W - left - right);
  const py = (y) => top + height - ((y - y0) / (y1 - y0)) * height;
  const out = [text(left, top - 8, title, 'fig-text fig-strong', 'start', 14)];
  out.push(line(left, top + height, W - right, top + height, 'fig-axis'), line(left, top, left, top + height, 'fig-axis'));
  for (const t of yTicks) out.push(line(left - 4, py(t), W - right, py(t), 'fig-grid'), text(left - 6, py(t) + 4, t, 'fig-muted', 'end', 12));
  for (const t of xTicks) out.push(text(px(t), top + height + 15, t, 'fig-muted', 'middle', 12));
  for (const s of series) {
    let run = [];
    const flush = () => {
      if (run.length > 1) out.push(poly(run, s.cls));
      run = [];
    };
    for (const [x, y] of s.points) {
      if (y === null || y === undefined || Number.isNaN(y)) flush();
      else run.push([px(x), py(Math.max(y0, Math.min(y1, y)))]);
    }
    flush();
  }
  return { out, px, py };
}

function legend(items, y) {
  const out = [];
  let x = 46;
  for (const [label, cls] of items) {
    out.push(line(x, y - 4, x + 18, y - 4, cls), text(x + 22, y, label, 'fig-text', 'start', 12));
    x += 30 + label.length * 6.4;
  }
  return out;
}

const curves = (id) => JSON.parse(readFileSync(join(ROOT, 'public/data/curves', `${id}.json`), 'utf8'));

mkdirSync(OUT, { recursive: true });

// Lesson 1: the three folders nnU-Net reads from its environment.
{
  const rows = [
    ['nnUNet_raw', 'your converted datasets', 'written by you (lesson 4)', 'any disk'],
    ['nnUNet_preprocessed', 'fingerprint, plans, arrays, split', 'written by plan_and_preprocess', 'fastest disk: read every batch'],
    ['nnUNet_results', 'checkpoints, logs, validation', 'written by nnUNetv2_train', 'kept: your trained models'],
  ];
  const body = [];
  rows.forEach(([v, what, who, disk], i) => {
    const y = 10 + i * 92;
    body.push(rect(10, y, 380, 78), text(22, y + 24, `$${v}`, 'fig-text fig-strong fig-mono', 'start', 15));
    body.push(text(22, y + 44, what, 'fig-text', 'start', 13), text(22, y + 62, `${who} · ${disk}`, 'fig-muted', 'start', 12));
    if (i < 2) body.push(arrow(200, y + 78, 200, y + 92));
  });
  svg('three-folders', 290, body);
}

// Lesson 2: how the affine's signs give the orientation code (diag(-1, -1, 2, 1) -> LPS).
{
  const body = [rect(120, 60, 160, 120, 'fig-box-soft', 4)];
  for (let i = 1; i < 4; i++) body.push(line(120 + i * 40, 60, 120 + i * 40, 180, 'fig-grid'));
  for (let j = 1; j < 3; j++) body.push(line(120, 60 + j * 40, 280, 60 + j * 40, 'fig-grid'));
  body.push(arrow(280, 190, 120, 190, 'fig-line fig-c1'), text(200, 210, 'i: step −1 mm along x → Left (L)', 'fig-text', 'middle', 13));
  body.push(arrow(290, 60, 290, 180, 'fig-line fig-c2'), text(300, 124, 'j: −y →', 'fig-text', 'start', 13), text(300, 142, 'Posterior (P)', 'fig-text', 'start', 13));
  body.push(arrow(105, 180, 105, 60, 'fig-line fig-c3'), text(96, 116, 'k: +z →', 'fig-text', 'end', 13), text(96, 134, 'Superior', 'fig-text', 'end', 13), text(96, 152, '(S), 2 mm', 'fig-text', 'end', 13));
  body.push(text(200, 30, 'affine = diag(−1, −1, 2, 1)  ⇒  LPS', 'fig-text fig-strong fig-mono', 'middle', 14));
  body.push(text(200, 240, 'NiBabel names, per voxel axis, the world direction it points to', 'fig-muted', 'middle', 12));
  body.push(text(200, 256, '(RAS+ world: x to the Right, y Anterior, z Superior)', 'fig-muted', 'middle', 12));
  svg('affine-orientation', 266, body);
}

// Lesson 3: an annotated file name and the dataset folder.
{
  const name = ['BraTS2021_00000', '_0001', '.nii.gz'];
  const cw = 10.8; // monospace advance at 18 units
  const x0 = (W - name.join('').length * cw) / 2;
  const body = [];
  let x = x0;
  const notes = [
    ['case id', 'same in every file of the case'],
    ['channel', '0001 = T1ce here'],
    ['file ending', 'from dataset.json'],
  ];
  const spans = name.map((part) => {
    const s = [x, x + part.length * cw];
    x += part.length * cw;
    return s;
  });
  body.push(text(x0, 34, name.join(''), 'fig-text fig-mono fig-strong', 'start', 18));
  spans.forEach(([a, b], i) => {
    const cls = `fig-line fig-c${i + 1}`;
    body.push(poly([[a + 1, 44], [a + 1, 50], [b - 1, 50], [b - 1, 44]], cls));
    const ly = 72 + i * 34;
    body.push(line((a + b) / 2, 50, (a + b) / 2, ly - 14, cls));
    // Notes start at the bracket's centre unless they would run past the right edge.
    const nx = Math.min((a + b) / 2 - 4, W - 10 - Math.max(notes[i][0].length * 7.6, notes[i][1].length * 6.4));
    body.push(text(nx, ly - 2, notes[i][0], 'fig-text fig-strong', 'start', 13), text(nx, ly + 13, notes[i][1], 'fig-muted', 'start', 12));
  });
  const tree = [
    [0, 'Dataset137_BraTS2021/'],
    [1, 'dataset.json'],
    [1, 'imagesTr/  4 files per case, _0000 … _0003'],
    [2, 'BraTS2021_00000_0000.nii.gz … _0003.nii.gz'],
    [1, 'labelsTr/  1 file per case, no channel suffix'],
    [2, 'BraTS2021_00000.nii.gz'],
  ];
  tree.forEach(([d, s], i) => body.push(text(20 + d * 18, 192 + i * 20, s, d === 0 ? 'fig-text fig-mono fig-strong' : 'fig-text fig-mono', 'start', 12.5)));
  svg('file-name', 316, body);
}

// Lesson 4: the two label schemes from raw BraTS 2021 values.
{
  const tissues = [
    ['NCR necrosis', 1, 2, 1, 'fig-fill-c2'],
    ['ED edema', 2, 1, 2, 'fig-fill-c1'],
    ['ET enhancing', 4, 3, 3, 'fig-fill-c3'],
  ];
  const cols = [[110, 'raw 2021'], [230, 'Dataset137'], [340, 'keep']];
  const body = cols.map(([cx, t]) => text(cx, 24, t, 'fig-text fig-strong', 'middle', 14));
  tissues.forEach(([t, raw, d137, keep, fill], i) => {
    const y = 50 + i * 56;
    body.push(text(10, y + 24, t.split(' ')[0], 'fig-text fig-strong', 'start', 14), text(10, y + 40, t.split(' ')[1], 'fig-muted', 'start', 12));
    [raw, d137, keep].forEach((v, k) => {
      const cx = cols[k][0];
      body.push(rect(cx - 22, y + 4, 44, 36, `fig-box ${fill}`, 6), text(cx, y + 28, v, 'fig-text fig-strong', 'middle', 17));
    });
    body.push(arrow(134, y + 22, 206, y + 22), arrow(254, y + 22, 316, y + 22, 'fig-line fig-dashed'));
  });
  [['Dataset137', '[2, 3]'], ['keep', '[1, 3]']].forEach(([s, tc], i) => {
    body.push(text(10, 232 + i * 20, `${s} regions:`, 'fig-text', 'start', 12.5), text(140, 232 + i * 20, `WT [1, 2, 3]  TC ${tc}  ET [3]`, 'fig-text fig-mono', 'start', 12));
  });
  body.push(text(10, 278, 'Keep values + Dataset137 regions: TC = ED + ET', 'fig-text fig-warn', 'start', 12.5));
  svg('label-schemes', 288, body);
}

// Lesson 5: voxel counts per value, and what "tumour core" adds up to in each reading.
{
  const counts = [[1, 72, 'ED'], [2, 18, 'NCR'], [3, 32, 'ET']];
  const body = [text(10, 20, 'check_labels.py, two test cases, Dataset137 values', 'fig-text fig-strong', 'start', 13)];
  const max = 72;
  counts.forEach(([v, n, t], i) => {
    const y = 36 + i * 34;
    const w = (n / max) * 220;
    body.push(text(10, y + 19, `${v} (${t})`, 'fig-text fig-mono', 'start', 13), rect(90, y + 4, w, 22, `fig-box fig-fill-c${i + 1}`, 3), text(96 + w, y + 20, `${n} voxels`, 'fig-text', 'start', 12.5));
  });
  body.push(text(10, 160, 'TC read as Dataset137 [2, 3]: 18 + 32 = 50 voxels (NCR + ET)', 'fig-text', 'start', 12.5));
  body.push(text(10, 180, 'TC read as keep [1, 3]: 72 + 32 = 104 voxels (ED + ET: wrong)', 'fig-text fig-warn', 'start', 12.5));
  svg('voxel-counts', 192, body);
}

// Lesson 6: labels to nested regions, with the values of three numberings.
{
  const body = [];
  body.push(`<ellipse cx="110" cy="120" rx="100" ry="90" class="fig-fill-c1 fig-box"/>`);
  body.push(`<ellipse cx="118" cy="126" rx="60" ry="54" class="fig-fill-c3 fig-box"/>`);
  body.push(`<ellipse cx="122" cy="130" rx="30" ry="26" class="fig-fill-c2 fig-box"/>`);
  body.push(text(110, 52, 'ED', 'fig-text fig-strong', 'middle', 14), text(118, 88, 'ET', 'fig-text fig-strong', 'middle', 14), text(122, 135, 'NCR', 'fig-text fig-strong', 'middle', 13));
  const rows = [
    ['', 'NCR', 'ED', 'ET'],
    ['BraTS 2021', '1', '2', '4'],
    ['BraTS 2023', '1', '2', '3'],
    ['Dataset137', '2', '1', '3'],
  ];
  rows.forEach((r, i) => r.forEach((c, k) => body.push(text(k === 0 ? 226 : 318 + (k - 1) * 30, 40 + i * 20, c, i === 0 ? 'fig-text fig-strong' : 'fig-text', k === 0 ? 'start' : 'middle', 12))));
  const regions = [
    ['WT whole tumour', 'NCR + ED + ET', 'fig-c1'],
    ['TC tumour core', 'NCR + ET', 'fig-c3'],
    ['ET enhancing', 'ET only', 'fig-c2'],
  ];
  regions.forEach(([a, b], i) => body.push(text(226, 124 + i * 34, a, 'fig-text fig-strong', 'start', 13), text(226, 140 + i * 34, b, 'fig-muted', 'start', 12)));
  body.push(text(10, 238, 'ET ⊂ TC ⊂ WT: each region contains the next one', 'fig-muted', 'start', 12));
  svg('regions', 248, body);
}

// Lesson 7: the sliding window along one axis, with nnU-Net's step rule and Gaussian weights.
{
  const S = 240;
  const P = 128;
  const n = Math.ceil((S - P) / (P / 2)) + 1;
  const step = (S - P) / (n - 1);
  const starts = Array.from({ length: n }, (_, i) => Math.round(i * step));
  const sigma = P / 8;
  const g = (x, s0) => Math.exp(-((x - (s0 + P / 2)) ** 2) / (2 * sigma ** 2));
  const left = 30;
  const scale = (W - left - 14) / S;
  const px = (v) => left + v * scale;
  const body = [text(10, 18, `240-voxel axis, patch 128: ${n} positions`, 'fig-text fig-strong', 'start', 13)];
  starts.forEach((s0, i) => {
    const y = 30 + i * 26;
    body.push(rect(px(s0), y, P * scale, 18, `fig-box fig-fill-c${i + 1}`, 3), text(px(s0) + 4, y + 13, `${s0}–${s0 + P}`, 'fig-text', 'start', 11.5));
  });
  body.push(line(px(0), 112, px(S), 112, 'fig-axis'));
  for (const t of [0, 60, 120, 180, 240]) body.push(text(px(t), 126, t, 'fig-muted', 'middle', 11));
  const gy = (v) => 236 - v * 80;
  body.push(text(10, 146, 'Gaussian weights (σ = patch/8) and their sum', 'fig-text fig-strong', 'start', 13));
  const xs = Array.from({ length: S + 1 }, (_, i) => i);
  starts.forEach((s0, i) => body.push(poly(xs.filter((x) => x >= s0 && x <= s0 + P).map((x) => [px(x), gy(g(x, s0))]), `fig-curve fig-c${i + 1}`)));
  const sum = xs.map((x) => starts.reduce((acc, s0) => acc + (x >= s0 && x <= s0 + P ? g(x, s0) : 0), 0));
  const smax = Math.max(...sum);
  body.push(poly(xs.map((x) => [px(x), gy(sum[x] / smax)]), 'fig-curve fig-dashed'));
  body.push(line(px(0), 236, px(S), 236, 'fig-axis'));
  body.push(text(10, 258, 'Centre voxels count most; edges, where a patch saw little', 'fig-muted', 'start', 12));
  body.push(text(10, 274, 'context, count least. Dashed: the sum, scaled to its maximum.', 'fig-muted', 'start', 12));
  svg('sliding-window', 284, body);
}

// Lesson 8: which command writes which folder.
{
  const steps = [
    ['convert_brats2021.py', 'nnUNet_raw/Dataset137_BraTS2021', 'imagesTr, labelsTr, dataset.json'],
    ['nnUNetv2_plan_and_preprocess', 'nnUNet_preprocessed/Dataset137_…', 'fingerprint, plans, arrays, splits_final.json'],
    ['nnUNetv2_train 137 3d_fullres F', 'nnUNet_results/Dataset137_…/…/fold_F', 'log, progress.png, checkpoints, validation'],
    ['nnUNetv2_predict -i IN -o OUT', 'OUT (your folder)', 'one label file per case'],
  ];
  const body = [];
  steps.forEach(([cmd, folder, what], i) => {
    const y = 8 + i * 88;
    body.push(text(200, y + 14, cmd, 'fig-text fig-mono fig-accent', 'middle', 13));
    body.push(arrow(200, y + 20, 200, y + 34));
    body.push(rect(14, y + 36, 372, 42), text(24, y + 54, folder, 'fig-text fig-mono fig-strong', 'start', 12.5), text(24, y + 71, what, 'fig-muted', 'start', 12));
  });
  svg('pipeline', 364, body);
}

// Lessons 9 and 10: curves of real runs (public/data/curves).
function runFigure(name, id, { title, notes, epochMax, dice = true }) {
  const run = curves(id);
  const e = run.epochs;
  const lossMin = Math.floor(Math.min(...e.flatMap((r) => [r.train_loss, r.val_loss])) * 10) / 10;
  const lossMax = Math.ceil(Math.max(...e.flatMap((r) => [r.train_loss, r.val_loss])) * 10) / 10;
  // Epochs missing from a log (gaps) break the lines instead of bridging them.
  const withGaps = (get) => {
    const pts = [];
    e.forEach((r, i) => {
      if (i > 0 && r.epoch !== e[i - 1].epoch + 1) pts.push([r.epoch, null]);
      pts.push([r.epoch, get(r)]);
    });
    return pts;
  };
  const xTicks = Array.from({ length: 5 }, (_, i) => Math.round((epochMax / 4) * i));
  const body = [text(10, 16, title, 'fig-text fig-strong', 'start', 13)];
  const a = panel({
    top: 56, height: 100, x0: 0, x1: epochMax, y0: lossMin, y1: lossMax, xTicks,
    yTicks: [lossMin, Math.round(((lossMin + lossMax) / 2) * 10) / 10, lossMax],
    series: [{ points: withGaps((r) => r.train_loss), cls: 'fig-curve fig-c1' }, { points: withGaps((r) => r.val_loss), cls: 'fig-curve fig-c2' }],
    title: 'loss (lower is better)',
  });
  body.push(...a.out, ...legend([['train_loss', 'fig-curve fig-c1'], ['val_loss', 'fig-curve fig-c2']], 190));
  let bottom = 200;
  if (dice) {
    const b = panel({
      top: 230, height: 110, x0: 0, x1: epochMax, y0: 0, y1: 1, xTicks, yTicks: [0, 0.5, 1],
      series: [0, 1, 2].map((k) => ({ points: withGaps((r) => r.pseudo_dice[k]), cls: `fig-curve fig-thin fig-c${k + 3}` })).concat([{ points: withGaps((r) => r.ema_pseudo_dice), cls: 'fig-curve fig-c1' }]),
      title: 'pseudo Dice per region, and its EMA',
    });
    body.push(...b.out, ...legend([['WT', 'fig-curve fig-c3'], ['TC', 'fig-curve fig-c4'], ['ET', 'fig-curve fig-c5'], ['EMA', 'fig-curve fig-c1']], 376));
    bottom = 386;
    notes.forEach(([epoch, label], i) => {
      body.push(line(b.px(epoch), 230, b.px(epoch), 340, 'fig-mark'), text(b.px(epoch) + (epoch > epochMax * 0.6 ? -4 : 4), 244 + i * 14, label, 'fig-text fig-strong', epoch > epochMax * 0.6 ? 'end' : 'start', 11.5));
    });
  }
  body.push(text(10, bottom + 14, `epoch · ${run.source.repo}`, 'fig-muted', 'start', 11));
  svg(name, bottom + 22, body);
}
runFigure('curves-healthy', 'ucsfmets_regions_lr2e-4', {
  title: 'A healthy region-based run (300 epochs, real log)',
  epochMax: 300,
  notes: [[2, 'ET 0 for epochs 2–7, then rises'], [128, 'last new best EMA: 128']],
});
runFigure('curves-collapse', 'ucsfmets_default_sgd_resencL', {
  title: 'A late collapse (real log, with gaps)',
  epochMax: 780,
  notes: [[639, 'after 639: TC, ET hit 0 again and again']],
});

// Lesson 11: slice-level versus patient-level folds.
{
  const patients = 6;
  const slices = 5;
  const folds = 5;
  const cell = 22;
  const ids = [];
  for (let p = 0; p < patients; p++) for (let s = 0; s < slices; s++) ids.push([p, s]);
  const bySlice = new Map(shuffle(ids, 11).map((id, i) => [id.join(), i % folds]));
  const byPatient = new Map(shuffle([...Array(patients).keys()], 11).map((p, i) => [p, i % folds]));
  const body = [];
  const grid = (x0, title, foldOf) => {
    body.push(text(x0, 18, title, 'fig-text fig-strong', 'start', 13));
    for (let p = 0; p < patients; p++) {
      body.push(text(x0 - 6, 44 + p * (cell + 4) + 12, `P${p + 1}`, 'fig-muted', 'end', 11));
      for (let s = 0; s < slices; s++) {
        const f = foldOf(p, s);
        body.push(rect(x0 + s * (cell + 3), 30 + p * (cell + 4), cell, cell, `fig-box fig-fill-c${f + 1}`, 3), text(x0 + s * (cell + 3) + cell / 2, 30 + p * (cell + 4) + 15, f, 'fig-text', 'middle', 11));
      }
    }
  };
  grid(36, 'by slice (leaks)', (p, s) => bySlice.get([p, s].join()));
  grid(236, 'by patient', (p) => byPatient.get(p));
  body.push(text(10, 206, 'Each square is one slice, its number the fold that validates it.', 'fig-muted', 'start', 12));
  body.push(text(10, 222, 'By slice, every patient is validated in one fold while its other', 'fig-muted', 'start', 12));
  body.push(text(10, 238, 'slices train there; by patient, a row never splits.', 'fig-muted', 'start', 12));
  svg('folds', 248, body);
}

// Lesson 12: where 8 low-grade cases of 60 land, one random split versus a stratified one.
{
  const cases = Array.from({ length: 60 }, (_, i) => i);
  const low = new Set([3, 11, 19, 24, 30, 41, 47, 56]);
  const count = (folds) => folds.map((f) => f.filter((c) => low.has(c)).length);
  const chunk = (a) => Array.from({ length: 5 }, (_, f) => a.filter((_, i) => i % 5 === f));
  // The first seed whose random split leaves some fold without any low-grade case.
  let seed = 1;
  while (!count(chunk(shuffle(cases, seed))).includes(0)) seed++;
  const random = count(chunk(shuffle(cases, seed)));
  const strat = count(chunk([...cases.filter((c) => low.has(c)), ...cases.filter((c) => !low.has(c))]));
  const body = [text(10, 18, 'Low-grade cases in each fold\u2019s 12 validation cases', 'fig-text fig-strong', 'start', 13)];
  const bars = (y0, title, counts, cls) => {
    body.push(text(10, y0, title, 'fig-text', 'start', 12.5));
    counts.forEach((n, f) => {
      const x = 30 + f * 72;
      const h = n * 16;
      body.push(rect(x, y0 + 80 - h, 40, Math.max(h, 0.01), `fig-box ${cls}`, 2), text(x + 20, y0 + 76 - h, n, 'fig-text fig-strong', 'middle', 12), text(x + 20, y0 + 96, `fold ${f}`, 'fig-muted', 'middle', 11));
    });
  };
  bars(44, `a random split (seeded shuffle no. ${seed})`, random, 'fig-fill-c2');
  bars(168, 'stratified by grade', strat, 'fig-fill-c1');
  svg('stratified-folds', 278, body);
}

// Lesson 13: the order of pretrain_checks.sh, each step able to stop the script.
{
  const steps = [
    ['1 check', 'variables, disk space, tools'],
    ['2 convert', 'convert, then check every file'],
    ['3 preprocess', 'plan_and_preprocess --verify_dataset_integrity'],
    ['4 split', 'write splits_final.json by patient'],
    ['5 audit', 'read the written split back'],
  ];
  const body = [];
  steps.forEach(([a, b], i) => {
    const y = 6 + i * 56;
    body.push(rect(10, y, 270, 42), text(20, y + 18, a, 'fig-text fig-strong', 'start', 13.5), text(20, y + 34, b, 'fig-muted', 'start', 11.5));
    body.push(arrow(280, y + 21, 318, y + 21, 'fig-line fig-dashed'), text(324, y + 25, 'stop', 'fig-text fig-warn', 'start', 13));
    if (i < steps.length - 1) body.push(arrow(145, y + 42, 145, y + 56));
  });
  body.push(text(10, 298, 'set -euo pipefail: the first failing command ends the script', 'fig-muted', 'start', 12));
  svg('pretrain-steps', 306, body);
}

// Lesson 14: network evaluations for one case, 12 patches (lesson 7's exercise).
{
  const opts = [
    ['5 folds, mirroring (default)', 12 * 8 * 5],
    ['5 folds, --disable_tta', 12 * 1 * 5],
    ['-f 0, mirroring', 12 * 8 * 1],
    ['-f 0, --disable_tta', 12],
  ];
  const body = [text(10, 18, 'Network evaluations = patches × mirrored copies × folds', 'fig-text fig-strong', 'start', 13)];
  opts.forEach(([label, n], i) => {
    const y = 34 + i * 48;
    const w = (n / 480) * 300;
    body.push(text(10, y + 12, label, 'fig-text', 'start', 12.5), rect(10, y + 18, Math.max(w, 2), 18, `fig-box fig-fill-c${i + 1}`, 3), text(16 + Math.max(w, 2), y + 32, n, 'fig-text fig-strong', 'start', 12.5));
  });
  body.push(text(10, 236, '12 patches per case; 8 mirrored copies in 3D', 'fig-muted', 'start', 12));
  svg('forward-passes', 246, body);
}

// Lesson 15: lesion-wise scoring of one case, two lesions and a false positive (worked example).
{
  const body = [text(10, 18, 'Lesion-wise: every lesion and every false positive is one entry', 'fig-text fig-strong', 'start', 13)];
  // The case: a large lesion that was found, a small satellite that was missed, a stray blob.
  body.push(rect(10, 30, 170, 150, 'fig-box-soft', 4));
  body.push(`<circle cx="70" cy="95" r="34" class="fig-box fig-fill-c1"/>`, `<circle cx="76" cy="98" r="31" class="fig-line fig-dashed"/>`);
  body.push(`<circle cx="140" cy="60" r="9" class="fig-box fig-fill-c2"/>`, `<circle cx="138" cy="150" r="10" class="fig-line fig-dashed"/>`);
  body.push(text(70, 99, 'A', 'fig-text fig-strong', 'middle', 13), text(140, 64, 'B', 'fig-text fig-strong', 'middle', 11), text(138, 154, 'FP', 'fig-text fig-strong', 'middle', 10));
  body.push(text(10, 198, 'filled: label lesions · dashed: prediction', 'fig-muted', 'start', 11.5));
  const rows = [
    ['entry', 'Dice', 'HD95'],
    ['A found', '0.90', '3 mm'],
    ['B missed', '0', '374 mm'],
    ['FP blob', '0', '374 mm'],
    ['mean', '0.30', '250.3 mm'],
  ];
  rows.forEach(([a, b, c], i) => {
    const y = 50 + i * 28;
    const cls = i === 0 || i === rows.length - 1 ? 'fig-text fig-strong' : 'fig-text';
    body.push(text(196, y, a, cls, 'start', 12.5), text(300, y, b, cls, 'end', 12.5), text(390, y, c, cls, 'end', 12.5));
    if (i === rows.length - 2) body.push(line(196, y + 9, 390, y + 9, 'fig-grid'));
  });
  body.push(text(196, 198, 'legacy: one Dice for the whole region', 'fig-muted', 'start', 11.5));
  svg('lesion-wise', 208, body);
}

console.log(`figures written to ${OUT}`);
