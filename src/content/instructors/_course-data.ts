/**
 * Reads the lesson sources for the instructor pages (timings, quiz keys) and for the content test:
 * one parser for the lesson frontmatter and the <Quiz> questions, so the keys instructors see are
 * the answers the pages grade with. Not a page: the docs collection loads only .md/.mdx files.
 */
import type { Exercise } from '../../../labs/shared/exercise';
import type { QuizChoice, QuizQuestion } from '../../../labs/shared/quiz';

export type Frontmatter = Record<string, string | string[]>;

export interface LessonInfo {
  /** File name without extension, e.g. 04-converting-brats-2021 (the page slug under weeks/week-06/). */
  slug: string;
  title: string;
  order: number;
  minutes: number;
  objectives: string[];
  labs: string[];
  quizzes: QuizQuestion[];
  exercises: Exercise[];
}

function unquote(s: string): string {
  const t = s.trim();
  if (t.startsWith('"')) return JSON.parse(t) as string;
  if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
  return t;
}

/**
 * The small YAML subset lesson frontmatter uses: `key: scalar`, `key: [a, b]` and `key:` followed
 * by `  - item` lines. Anything else throws, so a new style is noticed rather than misread.
 */
export function parseFrontmatter(text: string, file: string): Frontmatter {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
  if (!m) throw new Error(`${file}: no frontmatter`);
  const out: Frontmatter = {};
  let listKey: string | null = null;
  for (const line of m[1].split(/\r?\n/)) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const item = /^\s+-\s+(.*)$/.exec(line);
    if (item && listKey) {
      (out[listKey] as string[]).push(unquote(item[1]));
      continue;
    }
    const kv = /^([A-Za-z][\w-]*):\s*(.*)$/.exec(line);
    if (!kv) throw new Error(`${file}: frontmatter line not understood: ${line}`);
    const [, key, value] = kv;
    listKey = null;
    if (value === '') {
      out[key] = [];
      listKey = key;
    } else if (value.startsWith('[')) {
      out[key] = value.trim() === '[]' ? [] : value.trim().slice(1, -1).split(',').map(unquote);
    } else {
      out[key] = unquote(value);
    }
  }
  return out;
}

/** Every <Quiz … /> of a page; `choices` is evaluated as the JavaScript array literal it is. */
export function parseQuizzes(text: string, file: string): QuizQuestion[] {
  const out: QuizQuestion[] = [];
  for (const m of text.matchAll(/<Quiz\b([\s\S]*?)\/>\s*$/gm)) {
    const attrs = m[1];
    const id = /\bid="([^"]+)"/.exec(attrs)?.[1];
    const prompt = /\bprompt="([^"]*)"/.exec(attrs)?.[1];
    const choicesSrc = /\bchoices=\{([\s\S]*)\}\s*$/.exec(attrs)?.[1];
    if (!id || prompt === undefined || !choicesSrc) throw new Error(`${file}: a <Quiz> lacks id, prompt or choices`);
    const choices = new Function(`return (${choicesSrc});`)() as QuizChoice[];
    out.push({ id, prompt, choices });
  }
  return out;
}

/**
 * The attributes of one JSX tag as an object: `name="text"` gives the text, `name={expr}` the value
 * of the JavaScript expression (a number, an array literal, …). Strings inside braces may hold braces.
 */
function jsxAttributes(src: string, file: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let i = 0;
  while (i < src.length) {
    const name = /^\s*([A-Za-z][\w-]*)=/.exec(src.slice(i));
    if (!name) {
      if (src.slice(i).trim()) throw new Error(`${file}: attribute not understood near "${src.slice(i, i + 40)}"`);
      break;
    }
    i += name[0].length;
    if (src[i] === '"') {
      const end = src.indexOf('"', i + 1);
      out[name[1]] = src.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (src[i] !== '{') throw new Error(`${file}: attribute ${name[1]} needs "…" or {…}`);
    let depth = 0;
    let quote: string | null = null;
    const start = i;
    for (; i < src.length; i++) {
      const c = src[i];
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = null;
      } else if (c === '"' || c === "'" || c === '`') quote = c;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) break;
    }
    out[name[1]] = new Function(`return (${src.slice(start + 1, i)});`)();
    i++;
  }
  return out;
}

/** Every <Exercise … /> of a page, with the values the page checks against. */
export function parseExercises(text: string, file: string): Exercise[] {
  return [...text.matchAll(/<Exercise\b([\s\S]*?)\/>\s*$/gm)].map((m) => jsxAttributes(m[1], file) as unknown as Exercise);
}

export function lessonInfo(slug: string, text: string): LessonInfo {
  const f = parseFrontmatter(text, slug);
  const list = (v: string | string[] | undefined) => (Array.isArray(v) ? v : []);
  return {
    slug,
    title: String(f.title ?? slug),
    order: Number(f.order),
    minutes: Number(f.minutes),
    objectives: list(f.objectives),
    labs: list(f.labs),
    quizzes: parseQuizzes(text, slug),
    exercises: parseExercises(text, slug),
  };
}

/** All lessons of the week, in order (build time: Vite's glob import of the sources). */
export function loadLessons(): LessonInfo[] {
  const files = import.meta.glob('../weeks/week-06/*.mdx', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
  return Object.entries(files)
    .map(([path, text]) => lessonInfo(path.split('/').pop()!.replace(/\.mdx$/, ''), text))
    .sort((a, b) => a.order - b.order);
}
