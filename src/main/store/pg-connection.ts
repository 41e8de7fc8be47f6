/**
 * node-pg's client settings for a team database URL (issue 13), read as PostgreSQL's own tools
 * (libpq, psql, pg_dump) read it, so that a URL that works in psql works here the same way:
 *
 * - `sslmode` keeps libpq's meaning: `require` encrypts without checking the certificate (with
 *   `sslrootcert`, it checks the chain as `verify-ca`), `verify-full` checks the certificate and
 *   the host name, `disable` does not encrypt. node-pg 8 reads `prefer`/`require`/`verify-ca` as
 *   `verify-full` and warns on stderr that version 9 will change them; `uselibpqcompat=true` in the
 *   URL (or `no-verify`, node-pg's own mode) still chooses node-pg's reading.
 * - The password: the URL's, else `PGPASSWORD`, else the password file (`PGPASSFILE` or
 *   `~/.pgpass`, read only when the server asks for a password). node-pg's own reading of the file
 *   is deprecated and warns on stderr; this one is the same module, asked by us.
 *
 * Every connection the app makes goes through here: the desks' driver thread, the Kysely pool
 * (open-pg-store.ts) and Settings' connection test.
 */
import type { ClientConfig } from 'pg';
import { parse, toClientConfig } from 'pg-connection-string';
import pgpass from 'pgpass';

/** A URL that chooses node-pg's own SSL reading (then it is left to node-pg). */
const NODE_PG_SSL = /[?&](uselibpqcompat=|sslmode=no-verify(&|$))/i;

/** The client settings of `url` (throws what node-pg throws for a URL it cannot read). */
export function pgClientConfig(url: string): ClientConfig {
  const parsed = parse(url, { useLibpqCompat: !NODE_PG_SSL.test(url) });
  const config: ClientConfig = toClientConfig(parsed);
  // none in the URL: node-pg then takes PGPASSWORD, else asks the function below
  if (!config.password) delete config.password;
  if (!config.password && !process.env.PGPASSWORD) {
    // asked when the server asks; undefined leaves the sign-in without one (TEAM_DB_NO_PASSWORD).
    // node-pg calls it with the connection's parameters (its defaults filled in) and takes
    // undefined as none, which its types do not say
    const ask: (params: ConnectionParams) => Promise<string | undefined> = passwordFileEntry;
    config.password = ask as unknown as () => Promise<string>;
  }
  return config;
}

interface ConnectionParams {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
}

/** The password file's entry for a connection (host, port, database, user), if any. */
function passwordFileEntry(params: ConnectionParams): Promise<string | undefined> {
  return new Promise((done) =>
    pgpass(
      { host: params.host, port: params.port, database: params.database, user: params.user },
      (password) => done(password),
    ),
  );
}
