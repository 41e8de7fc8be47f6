/**
 * A team database that cannot be used says why, in words its user can act on, and at once
 * (issue 13): a URL node-pg cannot read, a host that takes the connection and never answers, a
 * missing password, a connection lost during a command. The command-line cases run `yunke-desk`
 * in a process of its own, as a user does.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { cliProcess } from '../../test-support/cli-process';
import { freshPgDatabase, onPostgres } from '../../test-support/dialect';
import { userinfoMisread } from './open-port-store';
import { teamDbErrorKind } from './team-db-errors';

describe('team database errors, sorted (teamDbErrorKind)', () => {
  it('the driver’s and the server’s errors by kind; a broken connection while connecting is unreachable, later lost', () => {
    const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });
    expect(teamDbErrorKind(new TypeError('Invalid URL'), true)).toBe('TEAM_DB_URL');
    expect(teamDbErrorKind(new URIError('URI malformed'), true)).toBe('TEAM_DB_URL');
    expect(
      teamDbErrorKind(new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string'), true),
    ).toBe('TEAM_DB_NO_PASSWORD');
    expect(teamDbErrorKind(new Error('empty password returned by client'), true)).toBe('TEAM_DB_NO_PASSWORD');
    expect(teamDbErrorKind(pgError('28P01', 'password authentication failed for user "a"'), true)).toBe(
      'TEAM_DB_AUTH',
    );
    expect(teamDbErrorKind(pgError('3D000', 'database "x" does not exist'), true)).toBe(
      'TEAM_DB_NO_DATABASE',
    );
    expect(teamDbErrorKind(pgError('42501', 'permission denied for schema public'), false)).toBe(
      'TEAM_DB_PRIVILEGE',
    );
    expect(teamDbErrorKind(pgError('3F000', 'no schema has been selected to create in'), false)).toBe(
      'TEAM_DB_NO_SCHEMA',
    );
    // a local socket that is not there (connect ENOENT): nobody to reach; a file that is not there is no connection's
    const noSocket = Object.assign(new Error('connect ENOENT /tmp/.s.PGSQL.5432'), {
      code: 'ENOENT',
      syscall: 'connect',
    });
    expect(teamDbErrorKind(noSocket, true)).toBe('TEAM_DB_UNREACHABLE');
    expect(
      teamDbErrorKind(Object.assign(new Error('ENOENT: open x'), { code: 'ENOENT', syscall: 'open' }), true),
    ).toBe(null);
    expect(teamDbErrorKind(pgError('42P07', 'relation "orders" already exists'), false)).toBe(
      'TEAM_DB_TAKEN',
    );
    expect(teamDbErrorKind(pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'), true)).toBe(
      'TEAM_DB_UNREACHABLE',
    );
    // a host name the name service does not know (a typo), or cannot answer for now: said as such,
    // not as a server that does not listen
    expect(teamDbErrorKind(pgError('ENOTFOUND', 'getaddrinfo ENOTFOUND db.example.invalid'), true)).toBe(
      'TEAM_DB_UNKNOWN_HOST',
    );
    expect(teamDbErrorKind(pgError('EAI_AGAIN', 'getaddrinfo EAI_AGAIN db.corp'), false)).toBe(
      'TEAM_DB_UNKNOWN_HOST',
    );
    // node-pg's Client says so when connecting takes longer than connectionTimeoutMillis
    expect(teamDbErrorKind(new Error('timeout expired'), false)).toBe('TEAM_DB_UNREACHABLE');
    expect(teamDbErrorKind(new Error('Connection terminated due to connection timeout'), true)).toBe(
      'TEAM_DB_UNREACHABLE',
    );
    expect(teamDbErrorKind(new Error('Connection terminated unexpectedly'), true)).toBe(
      'TEAM_DB_UNREACHABLE',
    );
    expect(teamDbErrorKind(new Error('Connection terminated unexpectedly'), false)).toBe('TEAM_DB_LOST');
    expect(
      teamDbErrorKind(new Error('Client has encountered a connection error and is not queryable'), false),
    ).toBe('TEAM_DB_LOST');
    expect(
      teamDbErrorKind(pgError('57P01', 'terminating connection due to administrator command'), false),
    ).toBe('TEAM_DB_LOST');
    // anything else is the command's own error, shown as it is (a statement or lock timeout too)
    expect(teamDbErrorKind(pgError('23505', 'duplicate key value violates unique constraint'), false)).toBe(
      null,
    );
    expect(teamDbErrorKind(pgError('57014', 'canceling statement due to statement timeout'), false)).toBe(
      null,
    );
    expect(teamDbErrorKind(pgError('55P03', 'canceling statement due to lock timeout'), true)).toBe(null);
    expect(teamDbErrorKind(pgError('22P02', 'invalid input: connection terminated'), false)).toBe(null);
    expect(teamDbErrorKind(new Error('order O-1: the import was terminated by its file'), false)).toBe(null);
    // the server ended an idle session: lost
    expect(
      teamDbErrorKind(pgError('57P05', 'terminating connection due to idle-session timeout'), false),
    ).toBe('TEAM_DB_LOST');
  });
});

describe('a URL whose user part a parser misreads (userinfoMisread)', () => {
  it('a # or ? in an unencoded password is caught; an @ in a query or a path is not a user part', () => {
    expect(userinfoMisread('postgres://alice:123#secret@db/x')).toBe(true);
    expect(userinfoMisread('postgres://alice:123?ss@db/x')).toBe(true);
    expect(userinfoMisread('postgres://alice:pw@db:5432/x')).toBe(false);
    expect(userinfoMisread('postgres://alice@db/x')).toBe(false);
    expect(userinfoMisread('postgres://db/x?sslrootcert=/home/a@corp/ca.pem')).toBe(false);
    expect(userinfoMisread('postgres://db/x')).toBe(false);
    // an empty user part names no user, as in libpq: the default one (pg-connection.ts)
    expect(userinfoMisread('postgres://@db/x')).toBe(false);
    expect(userinfoMisread('postgres://:pw@db:5432/x')).toBe(false);
    expect(userinfoMisread('postgres://:12#3@db/x')).toBe(true);
    // an @ in the query of a URL without a path: after the host, as libpq reads it
    expect(userinfoMisread('postgres://alice@db?application_name=ops@desk1')).toBe(false);
    expect(userinfoMisread('postgres://alice:12?3@db?application_name=ops@desk1')).toBe(true);
    // an unencoded @ and ? in a password: read up to the last @ before the path
    expect(userinfoMisread('postgres://alice:p@ss?w@db/x')).toBe(true);
    expect(userinfoMisread('postgres://alice@db/x?application_name=a@b')).toBe(false);
  });
});

describe('the command line on a team database it cannot use', () => {
  // a host that takes connections and never says a word (a dead proxy, a service of another kind)
  let silent: Server;
  const sockets: Socket[] = [];
  let port = 0;
  beforeAll(async () => {
    silent = createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('a URL node-pg cannot read (a # in the password) fails at once, saying how to write it, never showing the password', async () => {
    const t0 = Date.now();
    const r = await cliProcess(['operator', 'list', '--db', 'postgres://alice:pa#ss@127.0.0.1:1/teamdb']);
    expect(r.code).toBe(2); // a --db that cannot be read: a usage error
    expect(r.err).toMatch(/percent-encoded \(# as %23\)/);
    expect(r.err).toMatch(/百分号编码/);
    expect(r.err).not.toMatch(/pa#ss/);
    expect(Date.now() - t0).toBeLessThan(20_000);
  }, 60_000);

  it('a password whose # makes the URL read as another host and port is refused, never shown', async () => {
    const r = await cliProcess([
      'operator',
      'list',
      '--db',
      'postgres://alice:123#secret@127.0.0.1:1/teamdb',
    ]);
    expect(r.code).toBe(2); // a --db that cannot be read: a usage error
    expect(r.err).toMatch(/must be percent-encoded \(# as %23\)/);
    expect(r.err).not.toMatch(/secret/);
  }, 60_000);

  it('a stray % in the password is taken as written (as node-pg reads it) and moved out of the URL, not a bare “URI malformed”', async () => {
    const r = await cliProcess(['operator', 'list', '--db', 'postgres://alice:50%off@127.0.0.1:1/teamdb']);
    expect(r.code).toBe(1);
    expect(r.err).not.toMatch(/URI malformed/);
    expect(r.err).not.toMatch(/50%off/);
    // it got as far as connecting (nobody listens on port 1), the password no longer in the URL
    expect(r.err).toMatch(/cannot reach the team database postgres:\/\/alice@127\.0\.0\.1:1\/teamdb/);
  }, 60_000);

  it('an empty user part (postgres://@host) names no user, as in psql: the command connects as the default user, no word of the password', async () => {
    for (const url of ['postgres://@127.0.0.1:1/teamdb', 'postgres://:secret@127.0.0.1:1/teamdb']) {
      const r = await cliProcess(['operator', 'list', '--db', url]);
      expect(r.code).toBe(1);
      expect(r.err).not.toMatch(/percent-encoded/);
      expect(r.err).not.toMatch(/secret/);
      // it got as far as connecting (nobody listens on port 1)
      expect(r.err).toMatch(/cannot reach the team database postgres:\/\/.*127\.0\.0\.1:1\/teamdb/);
    }
  }, 60_000);

  it('a host that never answers: the command gives up after the connect timeout and says the server cannot be reached', async () => {
    const t0 = Date.now();
    const r = await cliProcess(['operator', 'list', '--db', `postgres://alice@127.0.0.1:${port}/teamdb`]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot reach the team database postgres:\/\/alice@127\.0\.0\.1:\d+\/teamdb/);
    expect(r.err).toMatch(/无法连接团队数据库/);
    expect(r.err).not.toMatch(/was lost/);
    expect(Date.now() - t0).toBeLessThan(45_000);
  }, 90_000);

  it('a local socket folder where no server runs: says the server cannot be reached and asks whether it runs there', async () => {
    const r = await cliProcess([
      'operator',
      'list',
      '--db',
      `postgres://alice@/teamdb?host=${encodeURIComponent(join(tmpdir(), 'yunke-no-server-here'))}&port=6099`,
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /cannot reach the team database .*is the server running and listening on that host and port/,
    );
    expect(r.err).toMatch(/无法连接团队数据库/);
  }, 60_000);

  it('nobody listening: says so and asks whether the server runs there', async () => {
    // the silent server's port once it is closed would race; port 1 on loopback refuses
    const r = await cliProcess(['operator', 'list', '--db', 'postgres://alice@127.0.0.1:1/teamdb']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/is the server running and listening on that host and port/);
  }, 60_000);
});

describe.skipIf(!onPostgres)('the command line on a database this app never set up', () => {
  it('a command that uses a store (a list, an export) is refused, saying it is not a team database yet, and creates nothing; import, demo and serve set it up', async () => {
    const empty = await freshPgDatabase();
    const client = new pg.Client({ connectionString: empty.url });
    await client.connect();
    const tables = async () =>
      Number(
        (
          await client.query(
            "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
          )
        ).rows[0].count,
      );
    try {
      for (const argv of [
        ['operator', 'list'],
        ['export', '--what', 'orders'],
        ['recompute'],
        ['audit', 'verify'],
      ]) {
        const r = await cliProcess([...argv, '--db', empty.url]);
        expect(r.code, argv.join(' ')).toBe(1);
        expect(r.err).toMatch(
          /is not a Yunke Desk team database yet \(this user sees none of this app's tables\): check the database name/,
        );
        expect(r.err).toMatch(/还不是云客工作台的团队数据库/);
      }
      expect(await tables()).toBe(0);
      const demo = await cliProcess(['demo', '--db', empty.url, '--scale', '0.01', '--no-recompute']);
      expect(demo.code, demo.err).toBe(0);
      expect(await tables()).toBeGreaterThan(20);
      const listed = await cliProcess(['operator', 'list', '--db', empty.url]);
      expect(listed.code, listed.err).toBe(0);
      expect(listed.out).toMatch(/demo-admin/);
    } finally {
      await client.end();
      await empty.drop();
    }
  }, 120_000);

  it('a search_path that names a schema that does not exist: says so and how to make it, in both languages', async () => {
    const empty = await freshPgDatabase();
    try {
      const url = `${empty.url}?options=${encodeURIComponent('-c search_path=yunke_missing')}`;
      const r = await cliProcess(['demo', '--db', url, '--scale', '0.01', '--no-recompute']);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(
        /has no schema to create this app's tables in: the schema its URL's search_path names .* does not exist, or this user may not use it; ask its administrator to create it \(CREATE SCHEMA/,
      );
      expect(r.err).toMatch(/没有可以建表的 schema/);
    } finally {
      await empty.drop();
    }
  }, 60_000);
});
