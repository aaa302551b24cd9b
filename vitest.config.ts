import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'bots/**/*.test.ts', 'extension/**/*.test.ts', 'test/**/*.test.ts'],
    // Finds the corpora, the browsers and PostgreSQL (starting one when none runs): test/support/.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
