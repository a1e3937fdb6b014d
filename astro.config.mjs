// @ts-check
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import react from '@astrojs/react';
import { applyCsp, builtPolicy, policy } from './scripts/csp.mjs';
import { buildCli } from './scripts/build-cli.mjs';

/** Every lesson must carry these (the schema keeps them optional for non-lesson pages). */
const LESSON_FIELDS = ['title', 'description', 'order', 'minutes', 'objectives', 'labs', 'verifiedWith'];

const WEEK_DIR = new URL('./src/content/weeks/week-06/', import.meta.url);

/**
 * Starlight's `autogenerate` does not follow a custom collection base, so the week's sidebar is
 * built here from each lesson's `order` frontmatter (the build fails on a lesson without one).
 */
function weekSidebar() {
  const lessons = readdirSync(WEEK_DIR)
    .filter((f) => /\.mdx?$/.test(f))
    .map((file) => {
      const text = readFileSync(new URL(file, WEEK_DIR), 'utf8');
      const front = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? '';
      for (const field of LESSON_FIELDS) {
        if (!new RegExp(`^${field}:`, 'm').test(front)) {
          throw new Error(`src/content/weeks/week-06/${file}: lesson frontmatter lacks "${field}"`);
        }
      }
      const m = /^order:\s*(\d+)\s*$/m.exec(front);
      if (!m) throw new Error(`src/content/weeks/week-06/${file}: "order" must be a whole number`);
      return { order: Number(m[1]), slug: `weeks/week-06/${file.replace(/\.mdx?$/, '')}` };
    })
    .sort((a, b) => a.order - b.order);
  return lessons.map((l) => l.slug);
}

/** Cross-origin isolation, so onnxruntime-web can use multi-threaded WebAssembly. */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Headers of the dev server (`npm start`): cross-origin isolation and the Content-Security-Policy
 * (scripts/csp.mjs). Astro answers pages through its own middleware, which Vite's `server.headers`
 * skips. After a build, the policy with the inline scripts' hashes goes into every page and
 * dist/_headers; `astro preview` sends the built policy.
 */
const siteHeaders = {
  name: 'bratslab:headers',
  hooks: {
    'astro:server:setup': ({ server }) => {
      const headers = { ...isolationHeaders, 'Content-Security-Policy': policy([], { dev: true }) };
      server.middlewares.use((_req, res, next) => {
        for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
        next();
      });
    },
    'astro:build:done': ({ dir }) => {
      applyCsp(fileURLToPath(dir));
    },
  },
};

const previewPolicy = builtPolicy(fileURLToPath(new URL('./dist/', import.meta.url)));

/** The built site serves the CLI as one file, for servers where the repository is not cloned. */
const cliDownload = {
  name: 'bratslab:cli-download',
  hooks: {
    'astro:build:done': async ({ dir }) => {
      const out = fileURLToPath(new URL('downloads/', dir));
      mkdirSync(out, { recursive: true });
      await buildCli(`${out}bratslab.mjs`, { checksum: true });
    },
  },
};

export default defineConfig({
  site: process.env.SITE_URL || 'https://bratslab.example.org',
  base: process.env.BASE_PATH || '/',
  trailingSlash: 'always',
  integrations: [
    starlight({
      title: 'BraTS Lab',
      description: 'A hands-on week on training nnU-Net on BraTS brain-tumour MRI, with labs that also check real datasets and training logs.',
      logo: { src: './src/assets/logo.svg', alt: 'BraTS Lab' },
      favicon: '/favicon.svg',
      lastUpdated: false,
      // Heading anchors and asides are Markdown plugins that Starlight applies only to the folders named here.
      markdown: { processedDirs: ['./src/content/'] },
      customCss: ['./src/styles/site.css', 'katex/dist/katex.min.css'],
      components: {
        PageTitle: './src/components/starlight/PageTitle.astro',
        Sidebar: './src/components/starlight/Sidebar.astro',
        MarkdownContent: './src/components/starlight/MarkdownContent.astro',
      },
      sidebar: [
        { label: 'Start here', items: ['index', 'labs', 'report'] },
        { label: 'Week 6 — Hands-on: from raw BraTS to your first nnU-Net run', items: weekSidebar() },
        { label: 'Reference', items: ['validator-rules', 'references'] },
      ],
    }),
    react(),
    siteHeaders,
    cliDownload,
  ],
  vite: {
    preview: { headers: { ...isolationHeaders, ...(previewPolicy ? { 'Content-Security-Policy': previewPolicy } : {}) } },
  },
});
