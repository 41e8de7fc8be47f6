/**
 * vitest setup of the suites that run twice (issue 13; vitest.team.config.ts): every store a test
 * opens by file path is opened as a team database instead — a database of its own on the test
 * server, one per path (a path opened again is the same database, as a file is). So the same
 * tests, fixtures and assertions run on SQLite (the normal run) and on PostgreSQL (this one).
 *
 * Each database is a copy of a migrated template (CREATE DATABASE … TEMPLATE): the migrations run
 * once per server and migration list, not once per store (~1 s each on the test machine); openStore
 * then checks the copy's history as it checks any team database's. Migrating a new database is
 * tested where it is the subject (store/open-store.test.ts, store/postgres.test.ts).
 */
import { createHash } from 'node:crypto';
import { inject, vi } from 'vitest';
import { migrationChecksum, migrations } from '../store/migrations';
import type { PgSyncPort } from '../store/pg-sync/pg-sync-port';

const byPath = new Map<string, string>();
let admin: PgSyncPort | null = null;
let template: string | null = null;
let seq = 0;

/** Serializes the making of the template among the suite's worker processes (pg_advisory_lock). */
const TEMPLATE_LOCK = 0x796b7470; // 'yktp'

const urlOf = (server: string, name: string) => {
  const u = new URL(server);
  u.pathname = `/${name}`;
  return u.toString();
};

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** The migrated template of this build's migration list on `server`, made once by whoever comes first. */
function templateOn(
  server: string,
  port: PgSyncPort,
  Port: typeof import('../store/pg-sync/pg-sync-port').PgSyncPort,
  migratePort: typeof import('../store/pg-sync/open-port-store').migratePort,
): string {
  const list = migrations.map((m) => migrationChecksum(m, 'postgres')).join();
  const name = `yk_suite_template_${createHash('sha256').update(list).digest('hex').slice(0, 16)}`;
  const exists = () =>
    Number(port.query('SELECT count(*) FROM pg_database WHERE datname = $1', [name]).rows[0][0]) === 1;
  if (exists()) return name;
  port.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
  try {
    if (exists()) return name;
    const making = `${name}_${process.pid}`;
    port.query(`DROP DATABASE IF EXISTS ${making}`);
    port.query(`CREATE DATABASE ${making} TEMPLATE template0 ENCODING 'UTF8'`);
    const target = new Port(urlOf(server, making));
    try {
      migratePort(target, making);
    } finally {
      target.close();
    }
    // a database is copied (or renamed) only once nobody is connected to it
    const connected = () =>
      Number(port.query('SELECT count(*) FROM pg_stat_activity WHERE datname = $1', [making]).rows[0][0]);
    for (let i = 0; i < 500 && connected() > 0; i++) pause(10);
    port.query(`ALTER DATABASE ${making} RENAME TO ${name}`);
    return name;
  } finally {
    port.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
  }
}

function teamUrlFor(
  file: string,
  Port: typeof import('../store/pg-sync/pg-sync-port').PgSyncPort,
  migratePort: typeof import('../store/pg-sync/open-port-store').migratePort,
): string {
  if (/^postgres(ql)?:\/\//i.test(file)) return file;
  let url = byPath.get(file);
  if (url) return url;
  const server = inject('yunkePgUrl') || process.env.YUNKE_TEST_PG_URL;
  if (!server) throw new Error('the team-database suites need a server: npm run test:team');
  admin ??= new Port(server);
  template ??= templateOn(server, admin, Port, migratePort);
  const name = `yk_suite_${process.pid}_${++seq}`;
  admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  url = urlOf(server, name);
  if (file !== ':memory:') byPath.set(file, url);
  return url;
}

vi.mock('../store/open-store', async (importOriginal) => {
  const m = await importOriginal<typeof import('../store/open-store')>();
  const { PgSyncPort } = await import('../store/pg-sync/pg-sync-port');
  const { migratePort } = await import('../store/pg-sync/open-port-store');
  return {
    ...m,
    openStore: (file: string, options?: Parameters<typeof m.openStore>[1]) =>
      m.openStore(teamUrlFor(file, PgSyncPort, migratePort), options),
  };
});
