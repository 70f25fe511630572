import { defineConfig } from 'vitest/config';
import { SummaryReporter } from './scripts/vitest-summary-reporter.ts';

export default defineConfig({
  test: {
    reporters: ['default', new SummaryReporter()],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'scripts/**/*.test.ts'],
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
          include: ['apps/pos/src/**/*.test.ts', 'apps/pos/integration/**/*.test.ts'],
          environment: 'node',
          // The sync integration tests start the real server on the server tests' PostgreSQL.
          globalSetup: ['apps/pos/integration/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
