import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';
import { docsSchema } from '@astrojs/starlight/schema';
import { LABS } from '../labs/shared/registry';

const labIds = LABS.map((l) => l.id) as [string, ...string[]];

/**
 * Lesson fields. They are optional in the schema because home, labs and reference pages share
 * the collection; astro.config.mjs fails the build when a page under weeks/ lacks one.
 */
const extend = z.object({
  order: z.number().int().positive().optional(),
  minutes: z.number().int().positive().optional(),
  objectives: z.array(z.string().min(1)).min(1).optional(),
  labs: z.array(z.enum(labIds)).optional(),
  /** The nnU-Net version the page's facts were checked against. */
  verifiedWith: z.string().optional(),
});

export const collections = {
  docs: defineCollection({
    loader: glob({ base: './src/content', pattern: ['**/*.{md,mdx}', '!**/_*'] }),
    schema: docsSchema({ extend }),
  }),
};
