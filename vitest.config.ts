import { defineConfig } from 'vitest/config';

/** Tests on the local AWS stack: one stack for the run, each test on uniquely named resources. */
const stackProject = {
  environment: 'node',
  globalSetup: ['test/integration/global-setup.ts'],
  setupFiles: ['test/integration/setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 180_000,
  pool: 'forks' as const,
};

export default defineConfig({
  // The console's TSX (console/src) is Preact's JSX.
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          ...stackProject,
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/browser/**/*.test.ts'],
          exclude: ['test/integration/faults.test.ts'],
        },
      },
      {
        test: {
          ...stackProject,
          // Kills an emulator of the shared local stack, which comes back empty: run alone, after
          // every other test that uses the stack has finished.
          name: 'faults',
          include: ['test/integration/faults.test.ts'],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
