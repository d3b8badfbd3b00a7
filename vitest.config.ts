import { defineConfig } from 'vitest/config';

// Three tiers, named by file suffix (see README, "Tests"): unit tests need nothing; integration
// tests get a real PostgreSQL (and broker) from the global setup; e2e tests run the whole system.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.unit.test.ts', 'services/*/src/**/*.unit.test.ts', 'tools/**/*.unit.test.ts'],
        },
      },
      {
        test: {
          name: 'int',
          include: ['packages/*/src/**/*.int.test.ts', 'services/*/src/**/*.int.test.ts'],
          globalSetup: ['packages/testing/src/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['packages/*/src/**/*.e2e.test.ts', 'services/*/src/**/*.e2e.test.ts'],
          globalSetup: ['packages/testing/src/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
