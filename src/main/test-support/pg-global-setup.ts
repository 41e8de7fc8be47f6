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
    /**
     * A role name the server asks a password of over TCP (scram-sha-256), which tests may create
     * with a password of their choosing; '' when unknown (a developer's own server).
     */
    yunkePgPasswordRole: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  if (process.env.YUNKE_TEST_DB !== 'postgres') {
    project.provide('yunkePgUrl', '');
    project.provide('yunkePgPasswordRole', '');
    return undefined;
  }
  if (process.env.YUNKE_TEST_PG_URL) {
    project.provide('yunkePgUrl', process.env.YUNKE_TEST_PG_URL);
    project.provide('yunkePgPasswordRole', process.env.YUNKE_TEST_PG_PASSWORD_ROLE ?? '');
    return undefined;
  }
  // @ts-expect-error: a plain .mjs script without types
  const { startCluster, PASSWORD_TEST_ROLE } = (await import('../../../scripts/pg-cluster.mjs')) as {
    startCluster(o: {
      log(m: string): void;
      passwordRoles?: string[];
    }): Promise<{ url: string; stop(): void }>;
    PASSWORD_TEST_ROLE: string;
  };
  const cluster = await startCluster({ log: (m) => console.log(m), passwordRoles: [PASSWORD_TEST_ROLE] });
  project.provide('yunkePgUrl', cluster.url);
  project.provide('yunkePgPasswordRole', PASSWORD_TEST_ROLE);
  return () => cluster.stop();
}
