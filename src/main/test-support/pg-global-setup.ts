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
    /** Another such role, for the password file's tests (pg-connection.test.ts); '' when unknown. */
    yunkePgPassfileRole: string;
    /** Whether the server also takes TLS, with a self-signed certificate (scripts/pg-cluster.mjs). */
    yunkePgSsl: boolean;
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  if (process.env.YUNKE_TEST_DB !== 'postgres') {
    project.provide('yunkePgUrl', '');
    project.provide('yunkePgPasswordRole', '');
    project.provide('yunkePgPassfileRole', '');
    project.provide('yunkePgSsl', false);
    return undefined;
  }
  if (process.env.YUNKE_TEST_PG_URL) {
    project.provide('yunkePgUrl', process.env.YUNKE_TEST_PG_URL);
    project.provide('yunkePgPasswordRole', process.env.YUNKE_TEST_PG_PASSWORD_ROLE ?? '');
    project.provide('yunkePgPassfileRole', process.env.YUNKE_TEST_PG_PASSFILE_ROLE ?? '');
    project.provide('yunkePgSsl', process.env.YUNKE_TEST_PG_SSL === '1');
    return undefined;
  }
  const roles = (await import(
    // @ts-expect-error: a plain .mjs script without types
    '../../../scripts/pg-cluster.mjs'
  )) as {
    startCluster(o: {
      log(m: string): void;
      passwordRoles?: string[];
    }): Promise<{ url: string; ssl: boolean; stop(): void }>;
    PASSWORD_TEST_ROLE: string;
    PASSFILE_TEST_ROLE: string;
  };
  const { startCluster, PASSWORD_TEST_ROLE, PASSFILE_TEST_ROLE } = roles;
  const cluster = await startCluster({
    log: (m) => console.log(m),
    passwordRoles: [PASSWORD_TEST_ROLE, PASSFILE_TEST_ROLE],
  });
  project.provide('yunkePgUrl', cluster.url);
  project.provide('yunkePgPasswordRole', PASSWORD_TEST_ROLE);
  project.provide('yunkePgPassfileRole', PASSFILE_TEST_ROLE);
  project.provide('yunkePgSsl', cluster.ssl);
  return () => cluster.stop();
}
