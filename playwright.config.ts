import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests load the BUILT extension (.output/chrome-mv3; `npm run build` first) into
 * Debian's Chromium and serve fixture pages under the platforms' real URLs. Nothing touches the
 * network: every request that is not a fixture is aborted.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  outputDir: 'test-results',
});
