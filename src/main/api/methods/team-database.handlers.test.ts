// Settings → team database (issue 13): the contract methods. The refusals that need no server run
// on every `npx vitest run`; the connections run against a real PostgreSQL under `npm run test:pg`
// (a throwaway loopback cluster whose password role really checks passwords).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { listAudit } from '../../audit/list';
import { migrationsOf } from '../../store/migrations';
import { openStore, type Store } from '../../store/open-store';
import { readTeamDatabase, TEAM_DATABASE_FILE, teamDatabaseUrl } from '../../store/team-database';
import { actor, contextFor } from '../../test-support/actors';
import { freshPgDatabase, onPostgres } from '../../test-support/dialect';
import type { ApiContext } from '../context';
import { dispatch } from '../dispatch';
import { aesSecretBox } from '../env-secret-box';
import type { ApiErrorShape } from '../errors';
import type {
  TeamDatabaseClearResult,
  TeamDatabaseSaveResult,
  TeamDatabaseTestResult,
  TeamDatabaseView,
} from './team-database.contract';

const PASSWORD = 'Pw-of-the-team:42';
const box = aesSecretBox(Buffer.alloc(32, 3));
let dir: string;
let store: Store;
let ctx: ApiContext;
let deskFile: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'yunke-teamdb-api-'));
  store = openStore(join(dir, 'store.db'));
  deskFile = join(dir, TEAM_DATABASE_FILE);
  ctx = contextFor(store, actor('ADM1', 'admin'), {
    transport: 'ipc',
    secrets: box,
    desk: { teamDatabaseFile: deskFile },
  });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function ok<T>(name: string, input: unknown, c: ApiContext = ctx): Promise<T> {
  const r = await dispatch(c, name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}
async function refused(name: string, input: unknown, c: ApiContext = ctx): Promise<ApiErrorShape> {
  const r = await dispatch(c, name, input);
  expect(r.ok, `${name} should be refused`).toBe(false);
  if (r.ok) throw new Error('unreachable');
  // bilingual, and the password nowhere (message or details)
  expect(r.error.message).toMatch(/[\u4e00-\u9fff]/);
  expect(r.error.message).toMatch(/[a-z]{3,}/);
  expect(JSON.stringify(r.error)).not.toContain(PASSWORD);
  expect(JSON.stringify(r.error)).not.toContain(encodeURIComponent(PASSWORD));
  return r.error;
}
const reason = '团队共用数据库';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('teamdb: what needs no server', () => {
  it('R-OP-1: get says this desk runs on its local SQLite store and nothing is saved', async () => {
    const v = await ok<TeamDatabaseView>('teamdb.get', {});
    expect(v).toMatchObject({
      running: 'sqlite',
      runningUrl: null,
      configured: false,
      url: null,
      problem: null,
      canSealPassword: true,
    });
    // a finance or support operator may not even look (R-OP-1)
    const r = await dispatch(
      contextFor(store, actor('FIN1', 'finance'), { desk: ctx.desk }),
      'teamdb.get',
      {},
    );
    expect(r.ok).toBe(false);
  });

  it('not a PostgreSQL URL: refused before any connection, without the password', async () => {
    const e = await refused('teamdb.test', { url: `mysql://root:${PASSWORD}@127.0.0.1/db` });
    expect(e.code).toBe('TEAM_DB_URL');
    expect((await refused('teamdb.test', { url: 'not a url', password: PASSWORD })).code).toBe('TEAM_DB_URL');
  });

  it('sslmode=verify-ca without the CA to check against: refused before connecting, saying sslrootcert is needed', async () => {
    const e = await refused('teamdb.test', {
      url: 'postgres://yunke@127.0.0.1:1/team?sslmode=verify-ca',
      password: PASSWORD,
    });
    expect(e.code).toBe('TEAM_DB_FAILED');
    expect(e.message).toContain('sslrootcert');
    expect(JSON.stringify(e)).not.toContain(PASSWORD);
  });

  it('nobody listening: TEAM_DB_UNREACHABLE naming the masked URL', async () => {
    const port = await closedPort();
    const e = await refused('teamdb.test', {
      url: `postgres://yunke@127.0.0.1:${port}/team`,
      password: PASSWORD,
    });
    expect(e.code).toBe('TEAM_DB_UNREACHABLE');
    expect(e.message).toContain(`postgres://yunke:***@127.0.0.1:${port}/team`);
  });

  it('a host name that does not resolve (a typo): TEAM_DB_UNKNOWN_HOST, saying to check its spelling, nothing saved', async () => {
    // .invalid never resolves (RFC 2606)
    const e = await refused('teamdb.save', {
      url: 'postgres://yunke@db-typo.invalid:5432/team',
      password: PASSWORD,
      reason,
    });
    expect(e.code).toBe('TEAM_DB_UNKNOWN_HOST');
    expect(e.message).toContain('postgres://yunke:***@db-typo.invalid:5432/team');
    expect(e.message).toMatch(/check the host name in the URL for typos/);
    expect(JSON.stringify(e)).not.toContain(PASSWORD);
    expect(readTeamDatabase(deskFile)).toBeNull();
  });

  it('a server that is not PostgreSQL: refused as unreachable/not PostgreSQL, nothing saved', async () => {
    const server: Server = createServer((sock) =>
      sock.end('HTTP/1.1 400 Bad Request\r\n\r\n', () => sock.destroy()),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (server.address() as { port: number }).port;
      const e = await refused('teamdb.save', {
        url: `postgres://yunke@127.0.0.1:${port}/team`,
        password: PASSWORD,
        reason,
      });
      expect(['TEAM_DB_UNREACHABLE', 'TEAM_DB_NOT_POSTGRES', 'TEAM_DB_FAILED']).toContain(e.code);
      expect(readTeamDatabase(deskFile)).toBeNull();
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('without a SecretBox a password cannot be saved (as API tokens); without a desk folder nothing can', async () => {
    const bare: ApiContext = { ...ctx, secrets: undefined, transport: 'bridge' };
    const e = await refused(
      'teamdb.save',
      { url: 'postgres://yunke@127.0.0.1:1/team', password: PASSWORD, reason },
      bare,
    );
    expect(e.code).toBe('TEAM_DB_NO_SECRETS');
    expect((await ok<TeamDatabaseView>('teamdb.get', {}, bare)).canSealPassword).toBe(false);
    const noDesk: ApiContext = { ...ctx, desk: undefined };
    expect(
      (await refused('teamdb.save', { url: 'postgres://yunke@127.0.0.1:1/team', reason }, noDesk)).code,
    ).toBe('TEAM_DB_UNAVAILABLE');
    expect((await refused('teamdb.clear', { reason }, noDesk)).code).toBe('TEAM_DB_UNAVAILABLE');
    expect((await refused('teamdb.clear', { reason })).code).toBe('TEAM_DB_NOT_CONFIGURED');
  });

  it('R-OP-2: a damaged choice file is shown by get and can be cleared (kept aside, audited)', async () => {
    writeFileSync(deskFile, '{ damaged');
    const v = await ok<TeamDatabaseView>('teamdb.get', {});
    expect(v.configured).toBe(false);
    expect(v.problem).toMatch(/已损坏.*damaged/s);
    await ok<TeamDatabaseClearResult>('teamdb.clear', { reason });
    expect((await ok<TeamDatabaseView>('teamdb.get', {})).problem).toBeNull();
    const audit = await listAudit(store.db, { limit: 5, offset: 0 });
    expect(audit.rows[0]).toMatchObject({ action: 'teamDatabase.clear', operator_id: 'ADM1', reason });
  });
});

describe.skipIf(!onPostgres)('teamdb against a real PostgreSQL', () => {
  let fresh: { url: string; drop(): Promise<void> };
  beforeEach(async () => {
    fresh = await freshPgDatabase();
  });
  afterEach(async () => fresh.drop());

  it('test: a new database is migrated and checked; a second test finds the migrations there', async () => {
    const first = await ok<TeamDatabaseTestResult>('teamdb.test', { url: fresh.url });
    expect(first.serverVersion).toMatch(/^\d+(\.\d+)?/);
    expect(first).toMatchObject({
      migrationsApplied: migrationsOf('postgres').length,
      migrationsBefore: 0,
      migrationsTotal: migrationsOf('postgres').length,
      counts: { partners: 0, orders: 0, auditEntries: 0 },
    });
    const again = await ok<TeamDatabaseTestResult>('teamdb.test', { url: fresh.url });
    expect(again).toMatchObject({ migrationsApplied: 0, migrationsBefore: migrationsOf('postgres').length });
  });

  it.skipIf(!inject('yunkePgSsl'))(
    'sslmode as psql reads it: require passes over TLS with a self-signed certificate; verify-full is refused as TEAM_DB_TLS, nothing saved',
    async () => {
      const test = await ok<TeamDatabaseTestResult>('teamdb.test', { url: `${fresh.url}?sslmode=require` });
      expect(test.migrationsTotal).toBe(migrationsOf('postgres').length);
      const e = await refused('teamdb.save', { url: `${fresh.url}?sslmode=verify-full`, reason });
      expect(e.code).toBe('TEAM_DB_TLS');
      expect(e.message).toContain('sslmode=verify-full');
      expect(readTeamDatabase(deskFile)).toBeNull();
    },
  );

  it('a desk role that may read and write the tables but not create any passes the test of a database its owner set up', async () => {
    await ok<TeamDatabaseTestResult>('teamdb.test', { url: fresh.url });
    const role = `yk_desk_${process.pid}`;
    const admin = new pg.Client({ connectionString: fresh.url });
    await admin.connect();
    const db = new URL(fresh.url).pathname.slice(1);
    try {
      await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'desk-pw-1'`);
      await admin.query(`GRANT CONNECT ON DATABASE ${db} TO ${role}`);
      await admin.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
      await admin.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
      // PostgreSQL 14 and older let anyone create tables in public: not here
      await admin.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
      const may = await admin.query(`SELECT has_schema_privilege('${role}', 'public', 'CREATE') AS c`);
      expect(may.rows[0].c).toBe(false);
      const asDesk = new URL(fresh.url);
      asDesk.username = role;
      const tested = await ok<TeamDatabaseTestResult>('teamdb.test', {
        url: asDesk.toString(),
        password: 'desk-pw-1',
      });
      expect(tested).toMatchObject({
        migrationsApplied: 0,
        migrationsBefore: migrationsOf('postgres').length,
      });
    } finally {
      // its grants (on this database too), then the role (roles are the server's)
      await admin.query(`DROP OWNED BY ${role}`);
      await admin.query(`DROP ROLE ${role}`);
      await admin.end();
    }
  });

  it('R-OP-2: save tests, writes the desk file (no password in clear), audits in the open store; clear undoes it', async () => {
    const saved = await ok<TeamDatabaseSaveResult>('teamdb.save', { url: fresh.url, reason });
    expect(saved.takesEffect).toBe('nextStart');
    expect(saved.test.migrationsApplied).toBe(migrationsOf('postgres').length);
    const v = await ok<TeamDatabaseView>('teamdb.get', {});
    expect(v).toMatchObject({ running: 'sqlite', configured: true, savedBy: 'ADM1', hasPassword: false });
    // the lead's start-up reads the same URL back
    expect(teamDatabaseUrl(deskFile, box)).toBe(fresh.url);
    const audit = await listAudit(store.db, { limit: 5, offset: 0 });
    expect(audit.rows[0]).toMatchObject({ action: 'teamDatabase.save', entity: 'desk', reason });
    const cleared = await ok<TeamDatabaseClearResult>('teamdb.clear', { reason: '回到本地数据' });
    expect(cleared.takesEffect).toBe('nextStart');
    expect(teamDatabaseUrl(deskFile, box)).toBeNull();
    expect((await listAudit(store.db, { limit: 5, offset: 0 })).rows[0].action).toBe('teamDatabase.clear');
  });

  it('a desk on a team database is told which one, and no screen is given its password', async () => {
    const url = new URL(fresh.url);
    url.password = PASSWORD; // (the test cluster trusts its postgres role: the password is only carried)
    const team = openStore(url.toString());
    try {
      const c = contextFor(team, actor('ADM1', 'admin'), { transport: 'ipc', secrets: box, desk: ctx.desk });
      const v = await ok<TeamDatabaseView>('teamdb.get', {}, c);
      expect(v).toMatchObject({ running: 'postgres', configured: false });
      expect(v.runningUrl).toBe(fresh.url.replace('postgres@', 'postgres:***@'));
      // the header, the dashboard's footer and the settings panels show the store's address
      const info = await ok<{ storeFile: string; teamDatabase: boolean }>('app.info', {}, c);
      expect(info).toMatchObject({ storeFile: v.runningUrl, teamDatabase: true });
      const summary = await ok<{ storeFile: string }>('dashboard.summary', {}, c);
      expect(summary.storeFile).toBe(v.runningUrl);
      for (const shown of [v, info, summary]) {
        expect(JSON.stringify(shown)).not.toContain(PASSWORD);
        expect(JSON.stringify(shown)).not.toContain(encodeURIComponent(PASSWORD));
      }
    } finally {
      await team.close();
    }
  });

  it('a migration history of another version: TEAM_DB_MISMATCH, the database left as it was', async () => {
    const c = new pg.Client({ connectionString: fresh.url });
    await c.connect();
    await c.query(
      `CREATE TABLE _migrations (version bigint PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at bigint NOT NULL);
       INSERT INTO _migrations VALUES (1, 'someone else', 'deadbeef', 0)`,
    );
    try {
      const e = await refused('teamdb.save', { url: fresh.url, reason });
      expect(e.code).toBe('TEAM_DB_MISMATCH');
      const tables = await c.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`);
      expect(tables.rows[0].n).toBe(1);
      expect(readTeamDatabase(deskFile)).toBeNull();
      expect((await listAudit(store.db, { limit: 5, offset: 0 })).rows).toHaveLength(0);
    } finally {
      await c.end();
    }
  });

  const passwordRole = inject('yunkePgPasswordRole');
  it.skipIf(!passwordRole)(
    'a role with a password: the wrong one is refused (TEAM_DB_AUTH, no password anywhere), the right one saved sealed',
    async () => {
      const admin = new pg.Client({ connectionString: fresh.url });
      await admin.connect();
      const db = new URL(fresh.url).pathname.slice(1);
      try {
        await admin.query(`DO $$ BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${passwordRole}') THEN CREATE ROLE ${passwordRole} LOGIN; END IF;
          END $$`);
        await admin.query(`ALTER ROLE ${passwordRole} PASSWORD '${PASSWORD}'`);
        await admin.query(`ALTER DATABASE ${db} OWNER TO ${passwordRole}`);
        await admin.query(`ALTER SCHEMA public OWNER TO ${passwordRole}`);
      } finally {
        await admin.end();
      }
      const url = new URL(fresh.url);
      url.username = passwordRole;
      const wrong = await refused('teamdb.save', {
        url: url.toString(),
        password: `${PASSWORD}-wrong`,
        reason,
      });
      expect(wrong.code).toBe('TEAM_DB_AUTH');
      expect(JSON.stringify(wrong)).not.toContain(`${PASSWORD}-wrong`);
      expect(wrong.message).toContain(`${passwordRole}:***@`);
      expect((await refused('teamdb.test', { url: url.toString() })).code).toBe('TEAM_DB_AUTH');
      expect(readTeamDatabase(deskFile)).toBeNull();

      const saved = await ok<TeamDatabaseSaveResult>('teamdb.save', {
        url: url.toString(),
        password: PASSWORD,
        reason,
      });
      expect(saved.url).toContain(`${passwordRole}:***@`);
      expect(saved.test.migrationsApplied).toBe(migrationsOf('postgres').length);
      const text = readFileSync(deskFile, 'utf8');
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(encodeURIComponent(PASSWORD));
      const v = await ok<TeamDatabaseView>('teamdb.get', {});
      expect(v).toMatchObject({ configured: true, hasPassword: true });
      expect(v.url).toContain(`${passwordRole}:***@`);
      // the audit entry holds the masked URL only
      const entry = (await listAudit(store.db, { limit: 1, offset: 0 })).rows[0];
      expect(JSON.stringify(entry)).not.toContain(PASSWORD);
      // start-up: the unsealed URL connects
      const c = new pg.Client({ connectionString: teamDatabaseUrl(deskFile, box)! });
      await c.connect();
      expect((await c.query('SELECT current_user AS u')).rows[0].u).toBe(passwordRole);
      await c.end();
    },
  );
});
