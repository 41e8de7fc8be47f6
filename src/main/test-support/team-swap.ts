/**
 * vitest setup of the suites that run twice (issue 13; vitest.team.config.ts): every store a test
 * opens by file path is opened as a team database instead — a database of its own on the test
 * server, one per path (a path opened again is the same database, as a file is). So the same
 * tests, fixtures and assertions run on SQLite (the normal run) and on PostgreSQL (this one).
 */
import { inject, vi } from 'vitest';

const byPath = new Map<string, string>();
let admin: import('../store/pg-sync/pg-sync-port').PgSyncPort | null = null;
let seq = 0;

function teamUrlFor(file: string, Port: typeof import('../store/pg-sync/pg-sync-port').PgSyncPort): string {
  if (/^postgres(ql)?:\/\//i.test(file)) return file;
  let url = byPath.get(file);
  if (url) return url;
  const server = inject('yunkePgUrl') || process.env.YUNKE_TEST_PG_URL;
  if (!server) throw new Error('the team-database suites need a server: npm run test:team');
  admin ??= new Port(server);
  const name = `yk_suite_${process.pid}_${++seq}`;
  admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`);
  const u = new URL(server);
  u.pathname = `/${name}`;
  url = u.toString();
  if (file !== ':memory:') byPath.set(file, url);
  return url;
}

vi.mock('../store/open-store', async (importOriginal) => {
  const m = await importOriginal<typeof import('../store/open-store')>();
  const { PgSyncPort } = await import('../store/pg-sync/pg-sync-port');
  return {
    ...m,
    openStore: (file: string, options?: Parameters<typeof m.openStore>[1]) =>
      m.openStore(teamUrlFor(file, PgSyncPort), options),
  };
});
