import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // YUNKE_TEST_DB=postgres: a throwaway PostgreSQL cluster for the run (nothing on SQLite)
    globalSetup: ['src/main/test-support/pg-global-setup.ts'],
  },
});
