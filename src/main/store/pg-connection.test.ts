/**
 * A team database URL is read as PostgreSQL's own tools read it (issue 13, pg-connection.ts):
 * sslmode with libpq's meaning, the password from the URL, PGPASSWORD or the password file, and
 * nothing on stderr from node-pg about either. The server cases run against the tests' cluster,
 * which also takes TLS with a self-signed certificate, and the command line in a process of its
 * own, as a user runs it.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { tmpdir, userInfo } from 'node:os';
import pg from 'pg';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { cliProcess } from '../test-support/cli-process';
import { freshPgDatabase, onServer } from '../test-support/dialect';
import { openPgStore } from './open-pg-store';
import { pgClientConfig, retryWithoutTls, sslModeOf } from './pg-connection';
import { redactUrl, urlWithoutPassword } from './pg-types';
import { testTeamDatabase } from '../api/methods/team-database.handlers';
import { openPortStore } from './pg-sync/open-port-store';
import { TeamDbError } from './pg-sync/team-db-errors';

type Ssl = boolean | { rejectUnauthorized?: boolean } | undefined;

// the environment a test stubs (vi.stubEnv) is put back after it
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('a URL read as libpq reads it (pgClientConfig)', () => {
  it('sslmode: require encrypts without checking the certificate, verify-full checks it, disable does not encrypt; node-pg warns of none', () => {
    const warn = vi.spyOn(process, 'emitWarning');
    try {
      const ssl = (q: string) => pgClientConfig(`postgres://desk@db.example:5432/team${q}`).ssl as Ssl;
      expect(ssl('?sslmode=require')).toMatchObject({ rejectUnauthorized: false });
      expect(ssl('?sslmode=prefer')).toMatchObject({ rejectUnauthorized: false });
      const full = ssl('?sslmode=verify-full');
      expect(typeof full).toBe('object');
      expect((full as { rejectUnauthorized?: boolean }).rejectUnauthorized).not.toBe(false);
      expect(ssl('?sslmode=disable')).toBe(false);
      expect(ssl('')).toBeUndefined();
      // node-pg's own choices are still taken as node-pg reads them
      expect(ssl('?sslmode=no-verify')).toMatchObject({ rejectUnauthorized: false });
      expect(ssl('?uselibpqcompat=true&sslmode=require')).toMatchObject({ rejectUnauthorized: false });
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('sslmode: allow takes any certificate as prefer does; a value psql does not know is refused, saying which it knows; prefer and allow connect again without TLS only when the server takes none', () => {
    const url = (q: string) => `postgres://desk@db.example:5432/team${q}`;
    expect(pgClientConfig(url('?sslmode=allow')).ssl).toMatchObject({ rejectUnauthorized: false });
    expect(pgClientConfig(url('?sslmode=prefer'), { tls: false }).ssl).toBe(false);
    expect(() => pgClientConfig(url('?sslmode=bogus'))).toThrow(
      /invalid sslmode value "bogus": use one of disable, allow, prefer, require, verify-ca, verify-full/,
    );
    // case matters, as in libpq
    expect(() => pgClientConfig(url('?sslmode=PREFER'))).toThrow(/sslmode 的值 "PREFER" 无效/);
    const noTls = new Error('The server does not support SSL connections');
    expect(retryWithoutTls(url('?sslmode=prefer'), noTls)).toBe(true);
    expect(retryWithoutTls(url('?sslmode=allow'), noTls)).toBe(true);
    for (const q of ['?sslmode=require', '?sslmode=verify-full', ''])
      expect(retryWithoutTls(url(q), noTls)).toBe(false);
    expect(retryWithoutTls(url('?sslmode=prefer'), new Error('connect ECONNREFUSED'))).toBe(false);
  });

  it('the password: the URL’s (decoded), else PGPASSWORD (node-pg reads it), else asked of the password file when the server asks', () => {
    const before = process.env.PGPASSWORD;
    try {
      delete process.env.PGPASSWORD;
      expect(pgClientConfig('postgres://desk:p%23w@db.example/team').password).toBe('p#w');
      expect(typeof pgClientConfig('postgres://desk@db.example/team').password).toBe('function');
      process.env.PGPASSWORD = 'from-env';
      expect(pgClientConfig('postgres://desk@db.example/team').password).toBeUndefined();
    } finally {
      if (before === undefined) delete process.env.PGPASSWORD;
      else process.env.PGPASSWORD = before;
    }
  });

  it('a URL without a user signs in as PGUSER, else as the operating system’s user (psql’s default), not as $USER or nobody', () => {
    vi.stubEnv('PGUSER', undefined);
    vi.stubEnv('USER', 'not-the-os-user');
    expect(pgClientConfig('postgres://db.example/team').user).toBe(userInfo().username);
    expect(pgClientConfig('postgres://desk@db.example/team').user).toBe('desk');
    vi.stubEnv('PGUSER', 'from-env');
    // left to node-pg, which takes PGUSER
    expect(new pg.Client(pgClientConfig('postgres://db.example/team')).user).toBe('from-env');
  });

  it.skipIf(process.platform === 'win32')(
    'a URL without a host connects to the local socket of a server on its port (psql’s default), else to localhost; PGHOST and a named host are kept; sslmode is ignored on a socket, as in libpq',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'yunke-sock-'));
      try {
        vi.stubEnv('PGHOST', undefined);
        vi.stubEnv('PGPORT', undefined);
        const socketDirs = ['/nonexistent-yunke', dir];
        // no server's socket there yet: node-pg's localhost over TCP
        expect(pgClientConfig('postgres:///team?port=6011', { socketDirs }).host).toBe('');
        writeFileSync(join(dir, '.s.PGSQL.6011'), '');
        expect(pgClientConfig('postgres:///team?port=6011', { socketDirs }).host).toBe(dir);
        // the socket of another port is not this server's
        expect(pgClientConfig('postgres:///team?port=6012', { socketDirs }).host).toBe('');
        vi.stubEnv('PGPORT', '6011');
        expect(pgClientConfig('postgres:///team', { socketDirs }).host).toBe(dir);
        expect(pgClientConfig('postgres://db.example:6011/team', { socketDirs }).host).toBe('db.example');
        // a port and no host (`user@:port`, which psql reads and a URL parser refuses): that port's socket
        vi.stubEnv('PGPORT', undefined);
        expect(pgClientConfig('postgres://desk@:6011/team?sslmode=require', { socketDirs })).toMatchObject({
          host: dir,
          port: 6011,
          user: 'desk',
          database: 'team',
          ssl: false,
        });
        expect(pgClientConfig('postgres://:6011', { socketDirs })).toMatchObject({ host: dir, port: 6011 });
        vi.stubEnv('PGPORT', '6011');
        // a socket carries no TLS: sslmode is ignored there, as libpq ignores it
        expect(pgClientConfig('postgres:///team?sslmode=require', { socketDirs })).toMatchObject({
          host: dir,
          ssl: false,
        });
        expect(pgClientConfig(`postgres://${encodeURIComponent(dir)}/team?sslmode=require`).ssl).toBe(false);
        expect(pgClientConfig('postgres://db.example/team?sslmode=require').ssl).toMatchObject({
          rejectUnauthorized: false,
        });
        vi.stubEnv('PGHOST', dir);
        expect(pgClientConfig('postgres:///team?sslmode=require', { socketDirs }).ssl).toBe(false);
        vi.stubEnv('PGHOST', 'from-env.example');
        expect(new pg.Client(pgClientConfig('postgres:///team', { socketDirs })).host).toBe(
          'from-env.example',
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it.skipIf(process.platform === 'win32')(
    'through the default socket folder, the password file’s localhost line applies, as in libpq; a named host’s does not',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'yunke-sock-'));
      try {
        vi.stubEnv('PGPASSWORD', undefined);
        const passfile = join(dir, 'pgpass');
        writeFileSync(passfile, 'localhost:6013:team:desk:from-localhost-line\n');
        chmodSync(passfile, 0o600);
        vi.stubEnv('PGPASSFILE', passfile);
        writeFileSync(join(dir, '.s.PGSQL.6013'), '');
        const asked = (url: string, host: string) => {
          const password = pgClientConfig(url, { socketDirs: [dir] }).password as unknown as (
            p: object,
          ) => Promise<string | undefined>;
          return password({ host, port: 6013, database: 'team', user: 'desk' });
        };
        expect(await asked('postgres://desk@/team?port=6013', dir)).toBe('from-localhost-line');
        expect(await asked('postgres://desk@db.example:6013/team', 'db.example')).toBeUndefined();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('a URL without a host (which a URL parser refuses) has its sslmode read as any other: a value psql does not know is refused', () => {
    expect(sslModeOf('postgres://desk@/yunke?sslmode=require')).toBe('require');
    expect(sslModeOf('postgres://desk:pa?ss@/yunke?port=5433&sslmode=disable#x')).toBe('disable');
    expect(sslModeOf('postgres://desk@:5433/yunke')).toBe(null);
    expect(() => pgClientConfig('postgres://desk@/yunke?sslmode=bogus')).toThrow(/sslmode/);
  });

  it('the password never shows in a URL shown (redactUrl), whatever it holds; an @ in the query masks more, never less', () => {
    expect(redactUrl('postgres://desk:sec@ret@/yunke')).toBe('postgres://desk:***@/yunke');
    expect(redactUrl('postgres://desk:pa/ss@/yunke')).toBe('postgres://desk:***@/yunke');
    expect(redactUrl('postgres://desk:pw@db/yunke?application_name=ops@desk1')).not.toMatch(/pw/);
    // a password that holds an @ and then what reads as a host and options: none of it shows
    // (review of a rule that ended the user part at the first such @)
    expect(redactUrl('postgres://desk:Q7@m?Z=4@db.example.com:5432')).toBe(
      'postgres://desk:***@db.example.com:5432',
    );
    expect(redactUrl('postgres://desk:a@b/c?d=e@db.example.com')).toBe('postgres://desk:***@db.example.com');
    expect(redactUrl('postgres://us@er:pw@db/x')).not.toMatch(/pw/);
    // a password given as a parameter, as libpq takes it: its value up to the next one
    expect(redactUrl('postgres://desk@db:5432/yunke?password=S3cret%23pw')).toBe(
      'postgres://desk@db:5432/yunke?password=***',
    );
    expect(redactUrl('postgres://desk@db/yunke?sslmode=require&PASSWORD=a#b&application_name=x')).toBe(
      'postgres://desk@db/yunke?sslmode=require&PASSWORD=***&application_name=x',
    );
    expect(urlWithoutPassword('postgres://desk@db/yunke?password=pw&sslmode=disable')).toBe(
      'postgres://desk@db/yunke?password=&sslmode=disable',
    );
    // a scheme without its colon, or spaces before it, is masked all the same
    expect(redactUrl('postgres//desk:pw@db/yunke')).toBe('postgres//desk:***@db/yunke');
    expect(redactUrl(' postgres://desk:pw@db/yunke')).toBe(' postgres://desk:***@db/yunke');
    // a store file's path is shown as it is, whatever it holds
    expect(redactUrl('data/backup-10:30@desk.db')).toBe('data/backup-10:30@desk.db');
  });

  it('host, port, database, user and options come from the URL', () => {
    expect(
      pgClientConfig('postgresql://desk@db.example:6543/team?options=-c%20search_path%3Dyunke'),
    ).toMatchObject({
      host: 'db.example',
      port: 6543,
      database: 'team',
      user: 'desk',
      options: '-c search_path=yunke',
    });
  });
});

const serverUrl = inject('yunkePgUrl');
const passfileRole = inject('yunkePgPassfileRole');
const ssl = inject('yunkePgSsl');

describe.skipIf(!serverUrl)('on a server', () => {
  let db: { url: string; drop(): Promise<void> };
  let dir: string;
  beforeAll(async () => {
    db = await freshPgDatabase();
    dir = mkdtempSync(join(tmpdir(), 'yunke-pgconn-'));
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const withQuery = (url: string, query: string) => `${url}${url.includes('?') ? '&' : '?'}${query}`;
  const onTls = async (url: string) => {
    const store = await openPgStore(url, { max: 1 });
    try {
      return (
        await sql<{ ssl: boolean }>`SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()`.execute(
          store.db,
        )
      ).rows[0].ssl;
    } finally {
      await store.close();
    }
  };

  it.skipIf(process.platform === 'win32')(
    'a URL without a host or a user reaches the server on this machine through its socket (sslmode=require ignored there), signed in as the operating system’s user, as psql does',
    async (ctx) => {
      const me = userInfo().username;
      const created = await onServer(async (c) => {
        if ((await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [me])).rowCount) return false;
        await c.query(`CREATE ROLE "${me.replace(/"/g, '""')}" LOGIN`);
        return true;
      });
      try {
        for (const k of ['PGHOST', 'PGPORT', 'PGUSER']) vi.stubEnv(k, undefined);
        const [dirs, port] = await onServer(async (c) => [
          (await c.query('SHOW unix_socket_directories')).rows[0].unix_socket_directories as string,
          (await c.query('SHOW port')).rows[0].port as string,
        ]);
        const socketDirs = dirs.split(',').map((d) => d.trim());
        // a server on another machine (a developer's YUNKE_TEST_PG_URL) has no socket here
        if (!socketDirs.some((d) => existsSync(join(d, `.s.PGSQL.${port}`)))) ctx.skip();
        const database = new URL(db.url).pathname.slice(1);
        // sslmode as a desk's URL may carry it: ignored on the socket, which carries no TLS
        const client = new pg.Client(
          pgClientConfig(`postgres:///${database}?port=${port}&sslmode=require`, { socketDirs }),
        );
        await client.connect();
        try {
          const { rows } = await client.query(
            'SELECT current_user AS who, inet_server_addr() IS NULL AS on_socket',
          );
          expect(rows[0]).toEqual({ who: me, on_socket: true });
        } finally {
          await client.end();
        }
      } finally {
        if (created) await onServer((c) => c.query(`DROP ROLE "${me.replace(/"/g, '""')}"`));
      }
    },
  );

  it.skipIf(!ssl)(
    'sslmode=require connects over TLS to a server with a self-signed certificate, from the app, a desk’s driver and the command line, with nothing on stderr',
    async () => {
      const url = withQuery(db.url, 'sslmode=require');
      expect(await onTls(url)).toBe(true);
      expect(await onTls(withQuery(db.url, 'sslmode=disable'))).toBe(false);
      const desk = openPortStore(url);
      try {
        expect(desk.port.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()').rows[0][0]).toBe(
          1,
        );
      } finally {
        desk.port.close();
      }
      const r = await cliProcess(['operator', 'list', '--db', url]);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
    },
    120_000,
  );

  it.skipIf(!ssl)(
    'sslmode=verify-full refuses the self-signed certificate, saying what to do (TEAM_DB_TLS), in the app and the command line',
    async () => {
      const url = withQuery(db.url, 'sslmode=verify-full');
      let refused: unknown = null;
      try {
        openPortStore(url).port.close();
      } catch (e) {
        refused = e;
      }
      expect(refused).toBeInstanceOf(TeamDbError);
      expect((refused as TeamDbError).kind).toBe('TEAM_DB_TLS');
      const r = await cliProcess(['operator', 'list', '--db', url]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/the encrypted connection \(TLS\) to the team database .* failed/);
      expect(r.err).toMatch(/sslrootcert=FILE/);
      expect(r.err).toMatch(/加密连接（TLS）未能建立/);
    },
    120_000,
  );

  it('sslmode=prefer and allow connect without TLS to a server that takes none, as psql does, from the app’s Settings test, a desk’s driver and the command line; require is still refused', async () => {
    const proxy = await serverWithoutTls(new URL(db.url));
    try {
      const url = new URL(db.url);
      url.port = String(proxy.port);
      for (const mode of ['prefer', 'allow']) {
        const through = withQuery(url.toString(), `sslmode=${mode}`);
        const desk = openPortStore(through);
        try {
          expect(desk.port.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()').rows[0][0]).toBe(
            0,
          );
        } finally {
          desk.port.close();
        }
        const tested = await testTeamDatabase(through, null);
        expect(tested.serverVersion).toMatch(/^\d+/);
        const r = await cliProcess(['operator', 'list', '--db', through]);
        expect(r.err).toBe('');
        expect(r.code).toBe(0);
      }
      expect(proxy.refusedTls()).toBeGreaterThanOrEqual(6);
      const required = await cliProcess([
        'operator',
        'list',
        '--db',
        withQuery(url.toString(), 'sslmode=require'),
      ]);
      expect(required.code).toBe(1);
      expect(required.err).toMatch(/the encrypted connection \(TLS\) to the team database .* failed/);
    } finally {
      await proxy.close();
    }
  }, 120_000);

  it.skipIf(!ssl)(
    'sslmode=prefer encrypts where the server takes TLS',
    async () => {
      expect(await onTls(withQuery(db.url, 'sslmode=prefer'))).toBe(true);
      const desk = openPortStore(withQuery(db.url, 'sslmode=prefer'));
      try {
        expect(desk.port.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()').rows[0][0]).toBe(
          1,
        );
      } finally {
        desk.port.close();
      }
    },
    120_000,
  );

  it.skipIf(!passfileRole)(
    'a URL without a password signs in with the password file’s entry (PGPASSFILE), from the app, a desk’s driver and the command line, with nothing on stderr; without an entry it asks for one',
    async () => {
      const password = 'file-pw:7';
      await onServer(async (c) => {
        await c.query(`DO $$ BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${passfileRole}') THEN CREATE ROLE ${passfileRole} LOGIN; END IF;
          END $$`);
        await c.query(`ALTER ROLE ${passfileRole} PASSWORD '${password}'`);
        await c.query(`GRANT ALL ON DATABASE ${new URL(db.url).pathname.slice(1)} TO ${passfileRole}`);
      });
      // the tables set up by the server's superuser, used by the role
      const owner = await openPgStore(db.url, { max: 1 });
      await sql.raw(`GRANT ALL ON ALL TABLES IN SCHEMA public TO ${passfileRole}`).execute(owner.db);
      await sql.raw(`GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO ${passfileRole}`).execute(owner.db);
      await owner.close();
      const url = new URL(db.url);
      url.username = passfileRole;
      const file = join(dir, 'pgpass');
      // host:port:database:user:password, a colon in the password escaped
      writeFileSync(file, `127.0.0.1:${url.port}:*:${passfileRole}:${password.replace(':', '\\:')}\n`);
      chmodSync(file, 0o600);
      const env = { PGPASSFILE: process.env.PGPASSFILE, PGPASSWORD: process.env.PGPASSWORD };
      const warn = vi.spyOn(process, 'emitWarning');
      try {
        delete process.env.PGPASSWORD;
        process.env.PGPASSFILE = file;
        const store = await openPgStore(url.toString(), { max: 1 });
        const user = (await sql<{ u: string }>`SELECT current_user AS u`.execute(store.db)).rows[0].u;
        await store.close();
        expect(user).toBe(passfileRole);
        const desk = openPortStore(url.toString(), { readonly: true });
        try {
          expect(desk.port.query('SELECT current_user AS u').rows[0][0]).toBe(passfileRole);
        } finally {
          desk.port.close();
        }
        expect(warn).not.toHaveBeenCalled();
        const cliEnv = { ...process.env, PGPASSFILE: file };
        const r = await cliProcess(['operator', 'list', '--db', url.toString()], cliEnv);
        expect(r.err).toBe('');
        expect(r.code).toBe(0);
        // no entry for this user: the sign-in has no password, and says where to give one
        writeFileSync(file, `127.0.0.1:${url.port}:*:someone_else:${password}\n`);
        const none = await cliProcess(['operator', 'list', '--db', url.toString()], cliEnv);
        expect(none.code).toBe(1);
        expect(none.err).toMatch(/asks for a password: give it in the URL, in PGPASSWORD or in ~\/\.pgpass/);
        // and nothing of the driver's internals
        expect(none.err).not.toMatch(/SASL|must be a string/);
      } finally {
        warn.mockRestore();
        for (const [k, v] of Object.entries(env)) {
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
        }
      }
    },
    120_000,
  );
});

/**
 * A server that takes no TLS, in front of the tests' cluster (which takes it): a loopback relay
 * that answers a client's SSLRequest with 'N', as a server without TLS does, and relays everything
 * else. Counts the requests it refused. It runs in a thread of its own: a desk's port waits for its
 * driver with this thread blocked (pg-sync-port.ts), and a relay here could not answer meanwhile.
 */
async function serverWithoutTls(
  target: URL,
): Promise<{ port: number; refusedTls(): number; close(): Promise<void> }> {
  const relay = new Worker(RELAY, {
    eval: true,
    workerData: { host: target.hostname, port: Number(target.port) },
  });
  let refused = 0;
  const port = await new Promise<number>((done, fail) => {
    relay.once('error', fail);
    relay.on('message', (m: { port?: number; refused?: number }) => {
      if (m.port) done(m.port);
      if (m.refused) refused = m.refused;
    });
  });
  return { port, refusedTls: () => refused, close: () => relay.terminate().then(() => undefined) };
}

const RELAY = `
const { connect, createServer } = require('node:net');
const { parentPort, workerData: target } = require('node:worker_threads');
let refused = 0;
const server = createServer((client) => {
  let head = Buffer.alloc(0);
  const first = (chunk) => {
    head = Buffer.concat([head, chunk]);
    if (head.length < 8) return;
    // SSLRequest: a length of 8 and the code 80877103
    if (head.readInt32BE(0) === 8 && head.readInt32BE(4) === 80877103) {
      parentPort.postMessage({ refused: ++refused });
      client.write('N');
      head = head.subarray(8);
      if (head.length < 8) return;
    }
    client.off('data', first);
    const upstream = connect(target.port, target.host, () => {
      upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
  };
  client.on('data', first);
  client.on('error', () => undefined);
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
`;
