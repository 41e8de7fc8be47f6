import { defineConfig } from 'vitest/config';

/**
 * The suites that run on both dialects (issue 13): `npm run test:team` runs them again with every
 * store a team database on a throwaway PostgreSQL server (test-support/team-swap.ts).
 */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    globalSetup: ['src/main/test-support/pg-global-setup.ts'],
    setupFiles: ['src/main/test-support/team-swap.ts'],
    env: { YUNKE_TEST_DB: 'postgres', YUNKE_TEST_TEAM: '1' },
  },
});
