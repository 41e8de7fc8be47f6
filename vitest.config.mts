import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // the run's temporary files in a folder of its own, removed at its end; with
    // YUNKE_TEST_DB=postgres, a throwaway PostgreSQL cluster for the run (nothing on SQLite)
    globalSetup: ['src/main/test-support/tmp-global-setup.ts', 'src/main/test-support/pg-global-setup.ts'],
  },
});
