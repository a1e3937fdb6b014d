/**
 * Download links for the scripts students run: every file in course-scripts/ (the same files the
 * lessons show and the tests execute) is served at /course-scripts/<name>, written at build time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { APIRoute, GetStaticPaths } from 'astro';

const DIR = new URL('../../../course-scripts/', import.meta.url);

export const getStaticPaths = (() =>
  readdirSync(DIR)
    .filter((f) => /\.(py|sh)$/.test(f))
    .map((file) => ({ params: { file } }))) satisfies GetStaticPaths;

export const GET: APIRoute = ({ params }) =>
  new Response(readFileSync(new URL(params.file!, DIR)), {
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  });
