import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/unit/**/*.test.ts', 'tests/cli/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
