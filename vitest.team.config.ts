import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The suites that run on both dialects (issue 13): `npm run test:team` runs them again with every
 * store a team database on a throwaway PostgreSQL server (test-support/team-swap.ts).
 */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    exclude: [
      ...configDefaults.exclude,
      // PostgreSQL's own tests, or tests that take the dialect from YUNKE_TEST_DB: `npm run test:pg`
      // runs them on PostgreSQL already (here they would run the same way a second time)
      'src/main/store/pg-sync/**',
      'src/main/store/postgres.test.ts',
      'src/main/store/portable-*.test.ts',
      'src/main/store/team-database*.test.ts',
      'src/main/sync/pg-import.test.ts',
      // no store at all (parsers, the key set, the upload staging folder): the same on both
      'src/main/sync/csv-parser.test.ts',
      'src/main/sync/key-set.test.ts',
      'src/main/sync/staging.test.ts',
    ],
    environment: 'node',
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    globalSetup: ['src/main/test-support/tmp-global-setup.ts', 'src/main/test-support/pg-global-setup.ts'],
    setupFiles: ['src/main/test-support/team-swap.ts'],
    env: { YUNKE_TEST_DB: 'postgres', YUNKE_TEST_TEAM: '1' },
  },
});
