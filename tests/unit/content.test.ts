/**
 * Content checks over src/content/**: lesson frontmatter values, self-check questions, the scripts
 * shown on pages, leftover placeholders, and claims that shared/reference/sources.md corrects or
 * could not source. The build already fails on a missing frontmatter field (astro.config.mjs);
 * this test checks the values.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLabId } from '../../labs/shared/registry';
import { assertQuestion } from '../../labs/shared/quiz';
import { parseFrontmatter, parseQuizzes } from '../../src/content/instructors/_course-data';

const ROOT = resolve(__dirname, '../..');
const CONTENT = join(ROOT, 'src/content');
const WEEK = join(CONTENT, 'weeks/week-06');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : /\.mdx?$/.test(name) ? [p] : [];
  });
}

const pages = walk(CONTENT).map((path) => ({ path, rel: relative(ROOT, path), text: readFileSync(path, 'utf8') }));
const lessons = pages.filter((p) => dirname(p.path) === WEEK).sort((a, b) => a.path.localeCompare(b.path));

const frontmatter = parseFrontmatter;
const quizzes = parseQuizzes;

describe('lesson frontmatter values', () => {
  it('there are fifteen lessons, ordered 1 to 15 in file-name order', () => {
    expect(lessons.map((l) => basename(l.path))).toHaveLength(15);
    lessons.forEach((l, i) => {
      const f = frontmatter(l.text, l.rel);
      expect(Number(f.order), `${l.rel}: order`).toBe(i + 1);
      expect(basename(l.path).startsWith(String(i + 1).padStart(2, '0') + '-'), `${l.rel}: file name prefix`).toBe(true);
    });
  });

  for (const l of lessons) {
    it(`${basename(l.path)}: title, description, minutes, objectives, labs and verifiedWith are valid`, () => {
      const f = frontmatter(l.text, l.rel);
      expect(typeof f.title === 'string' && f.title.length > 3, 'title').toBe(true);
      expect(typeof f.description === 'string' && f.description.length > 20, 'description').toBe(true);
      const minutes = Number(f.minutes);
      expect(Number.isInteger(minutes) && minutes > 0 && minutes <= 120, `minutes = ${f.minutes}`).toBe(true);
      expect(Array.isArray(f.objectives) && f.objectives.length >= 1, 'at least one objective').toBe(true);
      for (const o of f.objectives as string[]) expect(o.trim().length, 'objective text').toBeGreaterThan(10);
      expect(Array.isArray(f.labs), 'labs is a list').toBe(true);
      for (const id of f.labs as string[]) expect(isLabId(id), `unknown lab id "${id}"`).toBe(true);
      expect(f.verifiedWith, 'verifiedWith names the nnU-Net version').toMatch(/^nnU-Net v2\.\d+(\.\d+)?$/);
    });
  }
});

describe('lesson structure', () => {
  const allIds = new Map<string, string>();
  for (const l of lessons) {
    const order = frontmatter(l.text, l.rel).order as string;
    const prefix = `lesson-${String(order).padStart(2, '0')}.`;
    it(`${basename(l.path)}: 2-4 self-check questions, well formed, feedback on every answer, ids ${prefix}*`, () => {
      const qs = quizzes(l.text, l.rel);
      expect(qs.length).toBeGreaterThanOrEqual(2);
      expect(qs.length).toBeLessThanOrEqual(4);
      for (const q of qs) {
        expect(q.id.startsWith(prefix), `${q.id} should start with ${prefix}`).toBe(true);
        expect(() => assertQuestion(q)).not.toThrow();
        expect(q.choices.filter((c) => c.correct), `${q.id}: exactly one correct answer`).toHaveLength(1);
        for (const c of q.choices) expect(c.feedback.length, `${q.id}/${c.id}: feedback says why`).toBeGreaterThan(20);
        expect(allIds.has(q.id), `${q.id} also used in ${allIds.get(q.id)}`).toBe(false);
        allIds.set(q.id, l.rel);
      }
    });
    it(`${basename(l.path)}: has pitfall asides, a hands-on section and inline citations`, () => {
      expect(l.text).toMatch(/<Aside\b/);
      expect(l.text).toMatch(/^## (Try it|In the lab)/m);
      expect(l.text).toMatch(/\]\(\.\.\/\.\.\/\.\.\/references\/#[a-z0-9-]+\)/);
    });
  }

  it('every references anchor cited by a page exists on the References page', () => {
    const refs = readFileSync(join(CONTENT, 'references.mdx'), 'utf8');
    const ids = new Set([...refs.matchAll(/\bid="([a-z0-9-]+)"/g)].map((m) => m[1]));
    for (const p of pages) {
      for (const m of p.text.matchAll(/references\/#([a-z0-9-]+)/g)) {
        expect(ids.has(m[1]), `${p.rel} cites #${m[1]}, which references.mdx lacks`).toBe(true);
      }
    }
  });
});

describe('scripts shown on pages are the tested files', () => {
  const scripts = readdirSync(join(ROOT, 'course-scripts')).filter((f) => /\.(py|sh)$/.test(f));

  it('every ?raw import in the content points at an existing file', () => {
    for (const p of pages) {
      for (const m of p.text.matchAll(/from '([^']+)\?raw'/g)) {
        expect(existsSync(resolve(dirname(p.path), m[1])), `${p.rel}: ${m[1]}`).toBe(true);
      }
    }
  });

  it('every course script is shown on a page, and every script a page tells you to run exists', () => {
    const all = pages.map((p) => p.text).join('\n');
    for (const s of scripts) expect(all, `course-scripts/${s} is never shown`).toContain(`course-scripts/${s}?raw`);
    for (const p of pages) {
      for (const m of p.text.matchAll(/python3 ([\w-]+\.py)/g)) {
        expect(scripts, `${p.rel} runs ${m[1]}, which is not in course-scripts/`).toContain(m[1]);
      }
    }
  });
});

/**
 * Claims shared/reference/sources.md corrects or could not source. Each rule carries an example it
 * must catch (so a broken pattern cannot pass silently) and the reason shown on failure. The
 * References page's "Claims we corrected or dropped" section quotes them on purpose and is exempt.
 */
const CLAIMS: { rule: string; pattern: RegExp; example: string; reason: string }[] = [
  {
    rule: 'leakage range 30-55',
    pattern: /\b30\s*(?:–|-|to)\s*55\b/i,
    example: 'slice-level splits inflate accuracy by 30–55%',
    reason: 'Yagis et al. 2021 report 30/29/48/55 points, so the range is 29–55 (sources.md §1).',
  },
  {
    rule: 'patch-free 0.856',
    pattern: /patch[-\s]?free[\s\S]{0,200}?0\.856|0\.799[\s\S]{0,200}?patch[-\s]?free/i,
    example: 'patch-free methods improved multi-organ Dice from 0.799 to 0.856',
    reason: 'Tang et al. 2021: the 0.856 method is patch-based (random-patch fusion vs coarse-to-fine) (sources.md §4).',
  },
  {
    rule: 'up to 45%',
    pattern: /up to 45\s*(?:%|percent)/i,
    example: 'label error detection improved accuracy by up to 45%',
    reason: 'No source found for a 45% gain from label-error detection (sources.md §3).',
  },
  {
    rule: 'fixed 1-2 Dice points from regions',
    pattern: /\b1\s*(?:–|-|to)\s*2\s*(?:Dice\s*)?(?:points|percentage points|%)/i,
    example: 'region-based training typically improves nested-region Dice by 1–2 points',
    reason: 'The size of the region-based gain is not sourced; say it is reported to help, without a number (sources.md §9).',
  },
  {
    rule: 'unsourced CV thresholds WT/TC/ET',
    pattern: /\b(?:WT|whole tumou?r)\s*(?:>|&gt;|≥|above|over|of at least)\s*0?\.88\b|\b(?:TC|tumou?r core)\s*(?:>|&gt;|≥|above|over)\s*0?\.82\b|\b(?:ET|enhancing tumou?r)\s*(?:>|&gt;|≥|above|over)\s*0?\.75\b|0\.88\s*\/\s*0\.82\s*\/\s*0\.75/i,
    example: 'a healthy run reaches WT > 0.88, TC > 0.82 and ET > 0.75 in cross-validation',
    reason: 'No source gives these thresholds; they resemble BraTS 2020 test results, not CV results (sources.md §10).',
  },
  {
    rule: '"2025 study" on batch size and learning rate',
    pattern: /2025 (?:study|paper)[^.]{0,200}batch|batch[^.]{0,120}2025 (?:study|paper)/i,
    example: 'a 2025 study showed that batch size and learning rate must be kept as a ratio',
    reason: 'Two older papers merged: Kerley et al. 2023 (autoencoders, small batches) and He et al. 2019 (batch/LR ratio) (sources.md §5).',
  },
  {
    rule: 'KiTS plateau Dice 0.88 / 0.90',
    pattern: /\b(?:177|440)\b[^.]{0,150}\b0\.(?:88|90)\b|\b0\.(?:88|90)\b[^.]{0,150}\b(?:177|440)\b/,
    example: 'nnU-Net 2D plateaued at Dice 0.88 after about 177 cases',
    reason: 'Gottlich et al. 2023: the case counts are confirmed, the Dice values could not be verified (sources.md §6).',
  },
  {
    rule: 'BraTS delivered z-scored',
    pattern: /BraTS[^.]{0,80}\b(?:are|were|is|comes?)\s+(?:already\s+)?z-score(?:d|\s+normali[sz]ed)/i,
    example: 'The BraTS volumes are already z-score normalised by the organisers',
    reason: 'Doubtful secondary claim; nnU-Net applies its own z-score (sources.md §11).',
  },
  {
    rule: 'instance norm as a BraTS rule',
    pattern: /BraTS[^.]{0,80}(?:requires?|needs?|must use)\s+instance norm/i,
    example: 'BraTS requires instance normalisation because batches are small',
    reason: 'Instance norm is nnU-Net\'s default; the BraTS 2020 and 2021 winners used batch and group norm (sources.md §12).',
  },
  {
    rule: 'region-based public run read as necrosis / enhancing classes',
    pattern: /\b(?:necrosis|enhancing) class\b[^.]{0,40}\b(?:stayed|below|at exactly)|\btwo small classes\b/i,
    example: 'in one public brain-MRI log, the necrosis class stayed at exactly 0 for epochs 0–4',
    reason: 'RainJiayuSun-star/nnUNet_rain trains regions: its 2nd and 3rd pseudo Dice entries are the TC and ET regions, not classes (review, issue 17).',
  },
  {
    rule: 'a third of the patches forced to foreground',
    pattern: /\ba third of (?:the patches|them|each batch)\b[^.]{0,40}\bforced|\bone third of (?:the )?patches\b/i,
    example: 'A third of the patches are forced to contain foreground',
    reason: 'data_loader.py keeps round(batch × (1 − 0.33)) patches free: with a batch of two, one of two (50 %) is forced (review, issue 17).',
  },
  {
    rule: 'impossible low-grade fold',
    pattern: /\bnone in training and (?:three|\d+) in validation\b/i,
    example: 'one fold can end up with none in training and three in validation',
    reason: 'With 8 low-grade cases, none in a fold\'s training set means all 8 in its validation set (review, issue 17).',
  },
  {
    rule: 'ResEnc presets in new_nnunet_presets/',
    pattern: /new_nnunet_presets/,
    example: 'nnU-Net ships presets in residual_unets/new_nnunet_presets/',
    reason: 'No release has that folder; the planners live in experiment_planners/residual_unets/residual_encoder_unet_planners.py (review, issue 17).',
  },
  {
    rule: '#2290 log values rounded',
    pattern: /train_loss 0\.6\s+val_loss 3\.64\b/,
    example: 'Epoch 2   train_loss 0.6     val_loss 3.64     Pseudo dice [0.0, 0.0, 0.0]',
    reason: 'MIC-DKFZ/nnUNet#2290 logs 0.5986 and 3.6355; a quoted log keeps its digits (review, issue 17).',
  },
];

/**
 * The text a reader takes as our statement: the References page's list of corrected claims and the
 * wrong answers of self-check questions (which their feedback corrects) are left out.
 */
function checkedText(p: { rel: string; text: string }): string {
  let text = p.text.replace(/(\btext:\s*)"(?:[^"\\]|\\.)*"(\s*,\s*correct:\s*false\b)/g, '$1""$2');
  if (p.rel.endsWith('src/content/references.mdx')) {
    const i = text.indexOf('## Claims we corrected or dropped');
    if (i >= 0) text = text.slice(0, i);
  }
  return text;
}

describe('claims sources.md corrects or could not source', () => {
  for (const c of CLAIMS) {
    it(`no page states: ${c.rule}`, () => {
      expect(c.pattern.test(c.example), `the pattern for "${c.rule}" must catch its own example`).toBe(true);
      for (const p of pages) {
        const hit = c.pattern.exec(checkedText(p));
        expect(hit ? `${p.rel}: "${hit[0]}" — ${c.reason}` : null).toBeNull();
      }
    });
  }
});

describe('placeholders', () => {
  it('no TODO, FIXME, lorem ipsum, TBD or "coming soon" in src/content', () => {
    for (const p of pages) {
      const hit = /\b(?:TODO|FIXME|TBD|XXX:)|lorem ipsum|coming soon/i.exec(p.text);
      expect(hit ? `${p.rel}: "${hit[0]}"` : null).toBeNull();
    }
  });
});

describe('instructor pages', () => {
  const instructorPages = pages.filter((p) => /src\/content\/instructors(\.mdx|\/)/.test(p.rel));
  it('are excluded from search and not linked from student pages', () => {
    expect(instructorPages.length).toBeGreaterThan(0);
    for (const p of instructorPages) expect(p.text, `${p.rel} needs pagefind: false`).toMatch(/^pagefind:\s*false\s*$/m);
    for (const p of pages.filter((x) => !instructorPages.includes(x))) {
      expect(/\]\([^)]*instructors[/)#]|href="[^"]*instructors/.test(p.text) ? p.rel : null, 'links to instructor pages').toBeNull();
    }
  });
});
