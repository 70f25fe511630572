import { defineConfig } from 'vitest/config';
import { SummaryReporter } from './scripts/vitest-summary-reporter.ts';

export default defineConfig({
  test: {
    reporters: ['default', new SummaryReporter()],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'scripts/**/*.test.ts', 'apps/cabinet/src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        // Integration tests on a real PostgreSQL (embedded unless TEST_DATABASE_URL is set).
        test: {
          name: 'server',
          include: ['apps/server/src/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['apps/server/test/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The terminal core on real SQLite in temporary folders, and against the real server.
        test: {
          name: 'pos',
          include: [
            'apps/pos/src/**/*.test.ts',
            'apps/pos/scripts/**/*.test.ts',
            'apps/pos/integration/**/*.test.ts',
          ],
          environment: 'node',
          // The sync integration tests start the real server on the server tests' PostgreSQL.
          globalSetup: ['apps/pos/integration/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The cashier renderer in Debian's Chromium against the real server and the terminal core
        // in browser mode (apps/pos/e2e); the server's PostgreSQL comes from the server setup.
        test: {
          name: 'pos-e2e',
          include: ['apps/pos/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['apps/pos/e2e/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The cabinet in Debian's Chromium (playwright-core) against the real server and its build.
        test: {
          name: 'e2e',
          include: ['apps/cabinet/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['apps/cabinet/e2e/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
