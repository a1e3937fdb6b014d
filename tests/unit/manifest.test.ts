import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { buildManifest } from '../../scripts/manifest.mjs';

describe('public/data/MANIFEST.json', () => {
  it('lists every data file with its current size and hash (run npm run data:manifest)', () => {
    const onDisk = buildManifest();
    const committed = existsSync('public/data/MANIFEST.json') ? JSON.parse(readFileSync('public/data/MANIFEST.json', 'utf8')) : { files: [] };
    expect(committed.files).toEqual(onDisk.files);
  });

  it('keeps all sample data within the 25 MB web budget', () => {
    expect(buildManifest().totalBytes).toBeLessThanOrEqual(25 * 1024 * 1024);
  });
});
