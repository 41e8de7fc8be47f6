/**
 * node-pg's client settings for a team database URL (issue 13), read as PostgreSQL's own tools
 * (libpq, psql, pg_dump) read it, so that a URL that works in psql works here the same way:
 *
 * - `sslmode` keeps libpq's meaning: `require` encrypts without checking the certificate (with
 *   `sslrootcert`, it checks the chain as `verify-ca`), `verify-full` checks the certificate and
 *   the host name, `disable` does not encrypt. node-pg 8 reads `prefer`/`require`/`verify-ca` as
 *   `verify-full` and warns on stderr that version 9 will change them; `uselibpqcompat=true` in the
 *   URL (or `no-verify`, node-pg's own mode) still chooses node-pg's reading. `prefer` (libpq's
 *   default) and `allow` encrypt when the server takes TLS and connect without it when the server
 *   answers that it takes none (connectPg below), as psql does; `allow` differs from libpq only
 *   in trying TLS first (libpq tries without first): it connects wherever libpq connects, encrypted
 *   where the server offers it. Any other value is refused (sslModeProblem), as psql refuses it.
 * - The password: the URL's, else `PGPASSWORD`, else the password file (`PGPASSFILE` or
 *   `~/.pgpass`, read only when the server asks for a password). node-pg's own reading of the file
 *   is deprecated and warns on stderr; this one is the same module, asked by us.
 * - What the URL leaves out (libpqDefaults): the user is `PGUSER`, else the operating system's user
 *   (psql asks the system; node-pg took `$USER`, unset in a service or a container, and then
 *   signed in as nobody); the host is `PGHOST`, else the local socket of a server on the URL's
 *   port where one exists (`postgres:///team` on the machine that runs PostgreSQL connects as
 *   psql does), else node-pg's localhost over TCP (Windows: always). psql looks in one socket
 *   folder, built in, and fails where none is; this looks in the folders of the usual builds and
 *   falls back to TCP.
 * - Over a local socket, `sslmode` is ignored and the password file's `localhost` entries apply,
 *   as in libpq (a socket carries no TLS; node-pg would ask for it and fail).
 *
 * Every connection the app makes goes through here: the desks' driver thread, the Kysely pool
 * (open-pg-store.ts) and Settings' connection test.
 */
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Client, ClientConfig } from 'pg';
import { parse, toClientConfig } from 'pg-connection-string';
import pgpass from 'pgpass';
import { libpqUserPartEnd } from './pg-types';

/** A URL that chooses node-pg's own SSL reading (then it is left to node-pg). */
const NODE_PG_SSL = /[?&](uselibpqcompat=|sslmode=no-verify(&|$))/i;

/** libpq's values of sslmode, and node-pg's own `no-verify` */
const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'];

/** The URL's sslmode as written, or null when it names none. */
export function sslModeOf(url: string): string | null {
  try {
    return new URL(url).searchParams.get('sslmode');
  } catch {
    // a URL without a host (`postgres://desk@/yunke`), which a URL parser refuses: its query by its
    // text, after the user part as libpq reads it (up to the first @ before any /)
    const from = url.indexOf('://') + 3;
    const rest = url.slice(from);
    const q = rest.indexOf('?', Math.max(0, libpqUserPartEnd(rest)));
    if (q < 0) return null;
    const hash = rest.indexOf('#', q);
    return new URLSearchParams(rest.slice(q + 1, hash < 0 ? undefined : hash)).get('sslmode');
  }
}

/** What is wrong with the URL's sslmode, in both languages (null: nothing), as psql says it. */
export function sslModeProblem(url: string): string | null {
  const mode = sslModeOf(url);
  if (mode === null || SSL_MODES.includes(mode)) return null;
  return (
    `sslmode 的值 "${mode}" 无效，可用的值：${SSL_MODES.slice(0, 6).join('、')} / ` +
    `invalid sslmode value "${mode}": use one of ${SSL_MODES.slice(0, 6).join(', ')}`
  );
}

/**
 * Whether a connection that failed with `e` is made again without TLS (libpq's `prefer` and
 * `allow`): the URL lets the server decide, and the server answered that it takes no TLS.
 */
export function retryWithoutTls(url: string, e: unknown): boolean {
  const mode = sslModeOf(url);
  return (
    (mode === 'prefer' || mode === 'allow') &&
    (e as { message?: unknown })?.message === 'The server does not support SSL connections'
  );
}

/**
 * Connects a client `make` makes from the URL's settings; a `prefer`/`allow` URL whose server
 * takes no TLS is connected again without it (retryWithoutTls). `tls: false` then, for the other
 * connections of the same URL (openPgStore's pool). Throws what pgClientConfig or connecting throws.
 */
export async function connectPg(
  url: string,
  make: (config: ClientConfig) => Client,
): Promise<{ client: Client; tls?: false }> {
  const connected = async (client: Client) => {
    try {
      await client.connect();
      return client;
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
  };
  try {
    return { client: await connected(make(pgClientConfig(url))) };
  } catch (e) {
    if (!retryWithoutTls(url, e)) throw e;
    return { client: await connected(make(pgClientConfig(url, { tls: false }))), tls: false };
  }
}

/**
 * The client settings of `url` (throws what node-pg throws for a URL it cannot read, and an
 * sslmode psql would refuse). `tls: false`: without TLS, for a `prefer`/`allow` URL whose server
 * takes none (connectPg).
 */
export function pgClientConfig(
  url: string,
  options: { tls?: false; socketDirs?: readonly string[] } = {},
): ClientConfig {
  const problem = sslModeProblem(url);
  if (problem) throw new Error(problem);
  const libpq = !NODE_PG_SSL.test(url);
  const parsed = parse(portWithoutHost(url), { useLibpqCompat: libpq });
  const config: ClientConfig = toClientConfig(parsed);
  // libpq's `allow` takes any certificate, as `prefer` does (node-pg's reading checks it fully)
  if (libpq && sslModeOf(url) === 'allow' && config.ssl && typeof config.ssl === 'object')
    config.ssl.rejectUnauthorized = false;
  if (options.tls === false) config.ssl = false;
  const socketDirs = options.socketDirs ?? SOCKET_DIRS;
  libpqDefaults(config, socketDirs);
  // the host node-pg connects to (PGHOST when the URL names none): a socket folder carries no TLS
  if ((config.host || process.env.PGHOST)?.startsWith('/')) config.ssl = false;
  // none in the URL: node-pg then takes PGPASSWORD, else asks the function below
  if (!config.password) delete config.password;
  if (!config.password && !process.env.PGPASSWORD) {
    // asked when the server asks; undefined leaves the sign-in without one (TEAM_DB_NO_PASSWORD).
    // node-pg calls it with the connection's parameters (its defaults filled in) and takes
    // undefined as none, which its types do not say
    const ask = (params: ConnectionParams): Promise<string | undefined> =>
      passwordFileEntry(params, socketDirs);
    config.password = ask as unknown as () => Promise<string>;
  }
  return config;
}

/**
 * A URL with a port and no host (`postgres://desk@:5433/yunke`: the local socket of the server on
 * that port), which libpq reads and a URL parser refuses, with its port moved into the query
 * (`postgres://desk@/yunke?port=5433`, read the same way); any other URL as it is.
 */
export function portWithoutHost(url: string): string {
  // the user part as libpq reads it: up to the first @ before any /
  const m = /^(postgres(?:ql)?:\/\/(?:[^@/]*@)?):(\d+)(?=[/?]|$)/i.exec(url);
  if (!m) return url;
  let rest = url.slice(m[0].length);
  // (a fragment, which libpq does not take, is left out)
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  if (!rest.startsWith('/')) rest = `/${rest}`;
  const q = rest.indexOf('?');
  return q < 0
    ? `${m[1]}${rest}?port=${m[2]}`
    : `${m[1]}${rest.slice(0, q)}?port=${m[2]}&${rest.slice(q + 1)}`;
}

/**
 * Where libpq looks for a local server's socket when no host is given: Debian's and Ubuntu's
 * PostgreSQL put it in /var/run/postgresql, PostgreSQL's own builds (and Homebrew's) in /tmp.
 */
const SOCKET_DIRS = ['/var/run/postgresql', '/tmp'];

/** The user and host psql takes when the URL (and the environment) names none (see above). */
function libpqDefaults(config: ClientConfig, socketDirs: readonly string[]): void {
  if (!config.user && !process.env.PGUSER) {
    try {
      config.user = userInfo().username;
    } catch {
      // no account entry for this process's user id (a bare container): node-pg's $USER
    }
  }
  if (config.host || process.env.PGHOST || process.platform === 'win32') return;
  const port = config.port ?? (Number.parseInt(process.env.PGPORT ?? '', 10) || 5432);
  const dir = socketDirs.find((d) => existsSync(join(d, `.s.PGSQL.${port}`)));
  if (dir) config.host = dir;
}

interface ConnectionParams {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
}

/**
 * The password file's entry for a connection (host, port, database, user), if any. A connection
 * through the default socket folder matches the file's `localhost` lines, as in libpq.
 */
function passwordFileEntry(
  params: ConnectionParams,
  socketDirs: readonly string[],
): Promise<string | undefined> {
  const host = !params.host || socketDirs.includes(params.host) ? 'localhost' : params.host;
  return new Promise((done) =>
    pgpass({ host, port: params.port, database: params.database, user: params.user }, (password) =>
      done(password),
    ),
  );
}
