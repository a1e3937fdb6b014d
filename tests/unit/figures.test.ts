/**
 * The lessons' figures (src/assets/figures, made by scripts/figures.mjs): each one is used on a
 * lesson page with a text alternative, carries no colours of its own (the theme styles it, so dark
 * mode works), and is exactly what the script draws from the repository's data today (curves from
 * public/data/curves), so a figure cannot drift from the runs it shows. tests/e2e/figures.spec.ts
 * checks that they render, fit 375 px and keep their contrast in both themes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const FIGS = join(ROOT, 'src/assets/figures');
const WEEK = join(ROOT, 'src/content/weeks/week-06');
const svgs = readdirSync(FIGS).filter((f) => f.endsWith('.svg'));
const lessons = readdirSync(WEEK)
  .filter((f) => f.endsWith('.mdx'))
  .map((f) => ({ f, text: readFileSync(join(WEEK, f), 'utf8') }));

/** <Figure svg={name} alt="…" caption="…" /> uses with the file each one imports. */
function figuresOf(text: string): { file: string; alt: string; caption: string }[] {
  const imports = new Map([...text.matchAll(/^import (\w+) from '\.\.\/\.\.\/\.\.\/assets\/figures\/([\w-]+\.svg)\?raw';$/gm)].map((m) => [m[1], m[2]]));
  return [...text.matchAll(/<Figure\s+svg=\{(\w+)\}\s+alt="([^"]*)"\s+caption="([^"]*)"\s*\/>/g)].map((m) => ({ file: imports.get(m[1]) ?? `(${m[1]} not imported)`, alt: m[2], caption: m[3] }));
}

describe('lesson figures', () => {
  it('every lesson shows at least one figure, each with a text alternative and a caption', () => {
    for (const l of lessons) {
      const figs = figuresOf(l.text);
      expect(figs.length, `${l.f} has no <Figure>`).toBeGreaterThanOrEqual(1);
      expect((l.text.match(/<Figure\b/g) ?? []).length, `${l.f}: a <Figure> the check could not read`).toBe(figs.length);
      for (const fig of figs) {
        expect(svgs, `${l.f}: ${fig.file}`).toContain(fig.file);
        expect(fig.alt.length, `${l.f}: ${fig.file} text alternative`).toBeGreaterThan(80);
        expect(fig.caption.length).toBeGreaterThan(20);
      }
    }
  });

  it('every figure file is used by a lesson', () => {
    const used = new Set(lessons.flatMap((l) => figuresOf(l.text).map((f) => f.file)));
    for (const s of svgs) expect(used.has(s), `${s} is not used`).toBe(true);
  });

  it('figures carry no colours of their own and scale (viewBox, no fixed size)', () => {
    for (const s of svgs) {
      const text = readFileSync(join(FIGS, s), 'utf8');
      expect(text, s).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 400 \d+"/);
      expect(/\b(?:fill|stroke|color|style)="|#[0-9a-f]{3,6}\b|rgb\(/i.test(text.replace(/<marker[^>]*>/g, '')), `${s} hard-codes a colour`).toBe(false);
      expect(text, s).not.toMatch(/<svg[^>]*\b(?:width|height)=/);
    }
  });

  it('the committed figures are what scripts/figures.mjs draws from the data now', () => {
    const out = mkdtempSync(join(tmpdir(), 'figures-'));
    try {
      execFileSync(process.execPath, [join(ROOT, 'scripts/figures.mjs'), out]);
      for (const s of svgs) expect(readFileSync(join(out, s), 'utf8'), `${s} is stale: run node scripts/figures.mjs`).toBe(readFileSync(join(FIGS, s), 'utf8'));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('the run curves carry every logged epoch of their run', () => {
    // One polyline point per logged epoch and series: count the healthy run's training-loss points.
    const run = JSON.parse(readFileSync(join(ROOT, 'public/data/curves/ucsfmets_regions_lr2e-4.json'), 'utf8'));
    const svg = readFileSync(join(FIGS, 'curves-healthy.svg'), 'utf8');
    const first = /<polyline points="([^"]+)" class="fig-curve fig-c1"\/>/.exec(svg)!;
    expect(first[1].split(' ')).toHaveLength(run.epochs.length);
  });
});
