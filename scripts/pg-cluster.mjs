#!/usr/bin/env node
// A throwaway PostgreSQL cluster for tests (issue 13): initdb into a temp folder owned by the
// `postgres` user, pg_ctl start on a free loopback port (TCP on 127.0.0.1 only, the socket in the
// cluster's own folder), trust authentication for the `postgres` role on loopback, and stop +
// remove at the end. `passwordRoles`: roles that must give their password over TCP (scram-sha-256),
// so that a test can see a wrong password refused (the tests create those roles themselves). TLS
// with a throwaway self-signed certificate (openssl, which Debian's postgresql brings through
// ssl-cert), so that a test can see sslmode read as libpq reads it; plain connections work as
// before. Debian's binaries (/usr/lib/postgresql/<major>/bin, or $YUNKE_PG_BIN).
//
//   node scripts/pg-cluster.mjs run -- <command …>   start, run the command with YUNKE_TEST_PG_URL
//                                                    (and YUNKE_TEST_PG_PASSWORD_ROLE,
//                                                    YUNKE_TEST_PG_PASSFILE_ROLE,
//                                                    YUNKE_TEST_PG_SSL) set, stop;
//                                                    exits with the command's code
//   import { startCluster } from './pg-cluster.mjs'  (vitest's globalSetup, src/test-setup/pg.ts)
//
// Root runs the server as `postgres` (runuser); any other user runs it as itself.
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function pgBin() {
  if (process.env.YUNKE_PG_BIN) return process.env.YUNKE_PG_BIN;
  const base = '/usr/lib/postgresql';
  const majors = existsSync(base)
    ? readdirSync(base)
        .filter((d) => /^\d+$/.test(d) && existsSync(join(base, d, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors.length === 0)
    throw new Error('PostgreSQL binaries not found (apt-get install postgresql, or set YUNKE_PG_BIN)');
  return join(base, majors[0], 'bin');
}

/** A free TCP port on the loopback interface (the kernel picks it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PostgreSQL program as the `postgres` user when we are root. */
function runPg(program, args, options = {}) {
  const file = program.startsWith('/') ? program : join(pgBin(), program);
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  return execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options });
}

/**
 * Starts a cluster; resolves to { url, port, dir, ssl, stop() }. `url` connects as the superuser
 * `postgres` to the `postgres` database over TCP on 127.0.0.1. `passwordRoles`: role names that
 * authenticate with scram-sha-256 on loopback instead of trust. `ssl`: whether the server also
 * takes TLS (a self-signed certificate for CN=127.0.0.1; false when openssl is missing).
 */
export async function startCluster({ log = () => {}, passwordRoles = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'yunke-pg-'));
  chmodSync(dir, 0o700);
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  let started = false;
  const stop = () => {
    if (started) {
      try {
        runPg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already gone
      }
      started = false;
    }
    cleanup();
  };
  try {
    const t0 = Date.now();
    // UTF-8 and the C locale: byte order like SQLite's (the schema also says COLLATE "C")
    runPg('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    if (passwordRoles.length > 0) {
      // pg_hba.conf: the first matching line wins, so these go before initdb's trust lines
      for (const role of passwordRoles)
        if (!/^[a-z_][a-z0-9_]*$/.test(role)) throw new Error(`not a plain role name: ${role}`);
      const hba = join(data, 'pg_hba.conf');
      const lines = passwordRoles.flatMap((role) => [
        `host all ${role} 127.0.0.1/32 scram-sha-256`,
        `host all ${role} ::1/128 scram-sha-256`,
      ]);
      writeFileSync(hba, `${lines.join('\n')}\n${readFileSync(hba, 'utf8')}`);
    }
    const ssl = selfSignedCertificate(data);
    const port = await freePort();
    const opts = [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      // a test cluster: durability is not the point, speed is
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=300',
      '-c shared_buffers=64MB',
      ...(ssl ? ['-c ssl=on'] : []),
    ].join(' ');
    runPg('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', opts, '-w', '-t', '60', 'start']);
    started = true;
    log(`PostgreSQL test cluster on 127.0.0.1:${port} (${Date.now() - t0} ms)`);
    return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, dir, ssl, stop };
  } catch (e) {
    stop();
    throw new Error(`could not start a PostgreSQL test cluster: ${e.stderr || e.message}`);
  }
}

/**
 * The role the tests' clusters ask a password of (scram-sha-256 on loopback): a test creates it
 * with a password and sees a wrong one refused. Named to the tests in YUNKE_TEST_PG_PASSWORD_ROLE.
 */
export const PASSWORD_TEST_ROLE = 'yunke_password_test';
/**
 * A second such role, for the tests of a password read from a password file (PGPASSFILE): a role
 * of their own, whose password no other test sets. Named in YUNKE_TEST_PG_PASSFILE_ROLE.
 */
export const PASSFILE_TEST_ROLE = 'yunke_passfile_test';

/** server.crt and server.key in the data folder (the server's defaults); false without openssl. */
function selfSignedCertificate(data) {
  const openssl = ['/usr/bin/openssl', '/bin/openssl'].find((f) => existsSync(f));
  if (!openssl) return false;
  // an EC key: made in milliseconds; written as the server's user (the key must be its own, 0600)
  runPg(openssl, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    join(data, 'server.key'),
    '-out',
    join(data, 'server.crt'),
  ]);
  chmodSync(join(data, 'server.key'), 0o600);
  return true;
}

async function main() {
  const [verb, sep, ...command] = process.argv.slice(2);
  if (verb !== 'run' || sep !== '--' || command.length === 0) {
    console.error('usage: node scripts/pg-cluster.mjs run -- <command …>');
    process.exit(2);
  }
  const cluster = await startCluster({
    log: (m) => console.error(m),
    passwordRoles: [PASSWORD_TEST_ROLE, PASSFILE_TEST_ROLE],
  });
  const child = spawn(command[0], command.slice(1), {
    stdio: 'inherit',
    shell: process.platform === 'win32',
    env: {
      ...process.env,
      YUNKE_TEST_DB: 'postgres',
      YUNKE_TEST_PG_URL: cluster.url,
      YUNKE_TEST_PG_PASSWORD_ROLE: PASSWORD_TEST_ROLE,
      YUNKE_TEST_PG_PASSFILE_ROLE: PASSFILE_TEST_ROLE,
      YUNKE_TEST_PG_SSL: cluster.ssl ? '1' : '',
    },
  });
  const forward = (sig) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => {
    cluster.stop();
    process.exit(code ?? (signal ? 1 : 0));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
