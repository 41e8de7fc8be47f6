/**
 * vitest globalSetup (issue 13): with YUNKE_TEST_DB=postgres and no YUNKE_TEST_PG_URL, starts a
 * throwaway PostgreSQL cluster on a loopback port for the whole run (scripts/pg-cluster.mjs) and
 * stops it at the end. Tests reach it through `inject('yunkePgUrl')` (test-support/dialect.ts).
 * On SQLite (the default) it does nothing.
 */
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser-ish URL of the PostgreSQL server the tests create their databases on; '' on SQLite. */
    yunkePgUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  if (process.env.YUNKE_TEST_DB !== 'postgres') {
    project.provide('yunkePgUrl', '');
    return undefined;
  }
  if (process.env.YUNKE_TEST_PG_URL) {
    project.provide('yunkePgUrl', process.env.YUNKE_TEST_PG_URL);
    return undefined;
  }
  // @ts-expect-error: a plain .mjs script without types
  const { startCluster } = (await import('../../../scripts/pg-cluster.mjs')) as {
    startCluster(o: { log(m: string): void }): Promise<{ url: string; stop(): void }>;
  };
  const cluster = await startCluster({ log: (m) => console.log(m) });
  project.provide('yunkePgUrl', cluster.url);
  return () => cluster.stop();
}
