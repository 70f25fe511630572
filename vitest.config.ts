import { defineConfig } from 'vitest/config';
import { SummaryReporter } from './scripts/vitest-summary-reporter.ts';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    reporters: ['default', new SummaryReporter()],
  },
});
