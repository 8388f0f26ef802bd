import { defineConfig } from 'vitest/config';

/**
 * The end-to-end suite in Debian's Firefox ESR (tests/e2e-firefox; `npm run build:firefox` first).
 * One Firefox at a time: the files run one after another, each launching its own browser.
 */
export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/e2e-firefox/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
    reporters: ['verbose'],
  },
});
