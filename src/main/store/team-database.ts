/**
 * The desk's choice of store (issue 13): the local SQLite file (the default) or a team database on
 * PostgreSQL. Kept OUTSIDE any store, in a small JSON file beside the desk's preferences (the
 * app's userData), because it must be known before a store is opened.
 *
 * The file holds the connection URL without its password, and the password sealed with the
 * desk's SecretBox (the OS keychain in the app, as API tokens are). The password is never written
 * in clear, and never appears in an error message of this module.
 *
 * Plain Node: the app's start-up calls `teamDatabaseUrl(file, secrets)`.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { decodePassword } from './pg-types';
import type { SecretBox } from '../api/context';

/** The file's name in the desk's folder (userData), beside preferences.json. */
export const TEAM_DATABASE_FILE = 'team-database.json';

/** What the desk keeps: the URL without its password, the password sealed (null: none). */
export interface TeamDatabaseChoice {
  url: string;
  passwordSealed: string | null;
}

/** The file as written: the choice, and who saved it when (for Settings). */
export interface TeamDatabaseRecord extends TeamDatabaseChoice {
  savedAt: number;
  savedBy: string;
}

const recordSchema = z
  .object({
    version: z.literal(1),
    url: z.string().min(1).max(4096),
    passwordSealed: z.string().min(1).max(16_384).nullable(),
    savedAt: z.number().int().nonnegative(),
    savedBy: z.string().max(200),
  })
  .strict();

export type TeamDatabaseErrorCode =
  | 'TEAM_DB_URL'
  | 'TEAM_DB_FILE_DAMAGED'
  | 'TEAM_DB_FILE_UNWRITABLE'
  | 'TEAM_DB_NO_SECRETS'
  | 'TEAM_DB_UNSEAL';

/** An expected refusal of this module; its message is bilingual and never holds a password. */
export class TeamDatabaseError extends Error {
  constructor(
    readonly code: TeamDatabaseErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** Reads the desk's choice: null when none is saved (the local SQLite store). */
export function readTeamDatabase(file: string): TeamDatabaseRecord | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new TeamDatabaseError(
      'TEAM_DB_FILE_DAMAGED',
      `无法读取团队数据库设置文件 ${file} / cannot read the team database settings file ${file}: ${(e as Error).message}`,
      { file },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw damaged(file, 'not JSON');
  }
  const parsed = recordSchema.safeParse(json);
  if (!parsed.success)
    throw damaged(file, parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', '));
  // a URL that holds a password in clear was not written by this module: refuse it as damaged
  const u = parseUrl(parsed.data.url);
  if (!u || u.password || u.searchParams.has('password')) throw damaged(file, 'url');
  const { url, passwordSealed, savedAt, savedBy } = parsed.data;
  return { url, passwordSealed, savedAt, savedBy };
}

function damaged(file: string, what: string): TeamDatabaseError {
  return new TeamDatabaseError(
    'TEAM_DB_FILE_DAMAGED',
    `团队数据库设置文件已损坏（${what}），文件保持原样：可在设置中重新保存或改回本地 ${file} / ` +
      `the team database settings file is damaged (${what}) and was left as it is: save the team database again or use the local store in Settings — ${file}`,
    { file },
  );
}

/** Writes the desk's choice (atomically: a temp file renamed over it; owner-only permissions). */
export function writeTeamDatabase(file: string, record: TeamDatabaseRecord): void {
  const u = parseUrl(record.url);
  if (!u || u.password || u.searchParams.has('password'))
    throw new Error('writeTeamDatabase: the URL must not carry its password (seal it apart)');
  keepDamagedAside(file);
  const body = {
    version: 1 as const,
    url: record.url,
    passwordSealed: record.passwordSealed,
    savedAt: record.savedAt,
    savedBy: record.savedBy,
  };
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new TeamDatabaseError(
      'TEAM_DB_FILE_UNWRITABLE',
      `无法写入团队数据库设置文件 ${file} / cannot write the team database settings file ${file}: ${(e as Error).message}`,
      { file },
    );
  }
}

/** Forgets the choice: the desk opens its local SQLite store at the next start. True if there was one. */
export function clearTeamDatabase(file: string): boolean {
  if (!existsSync(file)) return false;
  if (keepDamagedAside(file)) return true;
  rmSync(file, { force: true });
  return true;
}

/** A damaged file is never overwritten or removed: it is renamed aside. True if it was. */
function keepDamagedAside(file: string): boolean {
  if (!existsSync(file)) return false;
  try {
    readTeamDatabase(file);
    return false;
  } catch (e) {
    if (!(e instanceof TeamDatabaseError) || e.code !== 'TEAM_DB_FILE_DAMAGED') throw e;
    let aside = `${file}.damaged-${Date.now()}`;
    for (let n = 2; existsSync(aside); n++) aside = `${file}.damaged-${Date.now()}-${n}`;
    renameSync(file, aside);
    return true;
  }
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Checks a connection URL typed by an operator and takes its password out: `password` (the
 * separate field) wins over one written in the URL (`user:pw@` or `?password=`). Refuses what is
 * not a postgres:// or postgresql:// URL with a host. The message never holds the password.
 */
export function splitTeamUrl(input: string, password?: string): { url: string; password: string | null } {
  const u = parseUrl(input.trim());
  if (!u)
    throw new TeamDatabaseError(
      'TEAM_DB_URL',
      '连接地址无法解析，应形如 postgres://用户@主机:5432/数据库 / the connection URL cannot be read: write it as postgres://user@host:5432/database',
    );
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:')
    throw new TeamDatabaseError(
      'TEAM_DB_URL',
      `团队数据库只支持 PostgreSQL（postgres:// 地址），收到的是 ${u.protocol}// / a team database is PostgreSQL only (a postgres:// URL), not ${u.protocol}//`,
      { protocol: u.protocol },
    );
  if (!u.hostname)
    throw new TeamDatabaseError('TEAM_DB_URL', '连接地址缺少主机名 / the connection URL names no host');
  let inUrl: string | null = u.password ? decodePassword(u.password) : null;
  if (u.searchParams.has('password')) {
    inUrl = u.searchParams.get('password');
    u.searchParams.delete('password');
  }
  u.password = '';
  const chosen = password !== undefined && password !== '' ? password : inUrl;
  return { url: u.toString(), password: chosen || null };
}

/** The URL with a password put in (percent-encoded as a URL needs). */
export function withPassword(url: string, password: string | null): string {
  if (!password) return url;
  const u = new URL(url);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/** The URL as shown to people: any password replaced by ***, a saved one marked as such. */
export function maskTeamUrl(url: string, hasPassword = false): string {
  const u = parseUrl(url);
  if (!u) return 'postgres://…';
  u.searchParams.delete('password');
  if (u.password || (hasPassword && u.username)) u.password = '***';
  return u.toString();
}

/** Seals a password with the desk's SecretBox; refuses where there is none (as API tokens do). */
export function sealPassword(secrets: SecretBox | undefined, password: string | null): string | null {
  if (password === null) return null;
  if (!secrets)
    throw new TeamDatabaseError(
      'TEAM_DB_NO_SECRETS',
      '此处无法安全保存密码（系统钥匙串不可用）：请在桌面应用中保存，或使用无需密码的连接 / ' +
        'no secure password storage here (no OS keychain): save it in the desktop app, or use a connection that needs no password',
    );
  return secrets.seal(password);
}

/**
 * The team database's full URL (the password unsealed), or null when the desk uses its local
 * SQLite store. Called at start-up, before a store is opened.
 */
export function teamDatabaseUrl(file: string, secrets: SecretBox | undefined): string | null {
  const record = readTeamDatabase(file);
  if (!record) return null;
  if (record.passwordSealed === null) return record.url;
  if (!secrets)
    throw new TeamDatabaseError(
      'TEAM_DB_NO_SECRETS',
      `团队数据库的密码由系统钥匙串加密保存，此处无法解密 / the team database's password is sealed by the OS keychain and cannot be opened here (${maskTeamUrl(record.url, true)})`,
    );
  let password: string;
  try {
    password = secrets.open(record.passwordSealed);
  } catch {
    throw new TeamDatabaseError(
      'TEAM_DB_UNSEAL',
      `无法解密团队数据库的密码（钥匙串已变更？）：请在设置中重新输入 / the team database's password cannot be unsealed (another keychain?): enter it again in Settings — ${maskTeamUrl(record.url, true)}`,
    );
  }
  return withPassword(record.url, password);
}
