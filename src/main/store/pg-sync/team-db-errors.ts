/**
 * What went wrong with a team database, in words its user can act on (issue 13): the driver's and
 * the server's errors sorted into a few kinds, and, for the command line, a bilingual message per
 * kind. The app's Settings test (team-database.handlers.ts) sorts with the same function and
 * shows its own texts per kind. No message holds a password: callers pass the masked URL.
 */

import { redactUrl } from '../pg-types';

export type TeamDbErrorKind =
  /** the URL cannot be read (a character of the password not percent-encoded) */
  | 'TEAM_DB_URL'
  /** the server asks for a password and none was given */
  | 'TEAM_DB_NO_PASSWORD'
  | 'TEAM_DB_AUTH'
  | 'TEAM_DB_NO_DATABASE'
  | 'TEAM_DB_PRIVILEGE'
  /** this build's migration of a database already set up was refused: its role may not make it */
  | 'TEAM_DB_UPGRADE'
  /** setting the database up met tables of another application */
  | 'TEAM_DB_TAKEN'
  /** a command that uses a store opened a database this app never set up */
  | 'TEAM_DB_NOT_SET_UP'
  /** setting the database up found no schema to create in (search_path names none that exists) */
  | 'TEAM_DB_NO_SCHEMA'
  /**
   * TLS as the URL's sslmode asks for it failed: the server takes no TLS, or its certificate does
   * not pass the check (verify-full: a trusted issuer and the host's name)
   */
  | 'TEAM_DB_TLS'
  /** the URL's host name is not known to the name service (DNS, /etc/hosts): a typo, or no DNS */
  | 'TEAM_DB_UNKNOWN_HOST'
  /** connecting failed: nobody listens, or it does not answer as PostgreSQL */
  | 'TEAM_DB_UNREACHABLE'
  /** the connection broke after it was made (the server stopped, the network failed) */
  | 'TEAM_DB_LOST';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EPIPE',
]);
/** Network codes that mean nobody could be reached (the others may also break a live connection). */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH']);
/** getaddrinfo's codes of a host name not resolved: not known (ENOTFOUND), or the name service did
 * not answer now (EAI_AGAIN: no network, say) */
const UNKNOWN_HOST_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN']);
/**
 * SQLSTATEs of a connection the server ended: admin_shutdown, crash_shutdown, cannot_connect_now,
 * idle_in_transaction_session_timeout, idle_session_timeout, connection_failure,
 * connection_does_not_exist
 */
const LOST_CODES = new Set(['57P01', '57P02', '57P03', '25P03', '57P05', '08006', '08003']);
/** node-pg's own messages of a connection that broke or could not be made (they carry no code) */
const DRIVER_BROKEN =
  /^(Connection terminated( unexpectedly| due to connection timeout)?|timeout expired|Client has encountered a connection error and is not queryable|Client was closed and is not queryable)$/;
const SQLSTATE = /^[0-9A-Z]{5}$/;
/** Node's codes of a server certificate that failed the check (tls.connect's errors) */
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** An error whose kind is known already (openPortStore's), kept as it is when looked at again. */
export class TeamDbError extends Error {
  constructor(
    readonly kind: TeamDbErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The kind of a team database error, or null for any other (a constraint, a bad statement, a
 * statement or lock timeout). `connecting`: the error came while the connection was being made (a
 * broken connection then means the server could not be reached, not that it was lost). A
 * server's error is sorted by its SQLSTATE alone; node-pg's and the network's by their code or
 * their exact words.
 */
export function teamDbErrorKind(e: unknown, connecting: boolean): TeamDbErrorKind | null {
  if (e instanceof TeamDbError) return e.kind;
  const err = e as { code?: unknown; message?: unknown };
  const code = typeof err?.code === 'string' ? err.code : '';
  const text = typeof err?.message === 'string' ? err.message : String(e);
  if (SQLSTATE.test(code)) {
    if (code === '28P01' || code === '28000') return 'TEAM_DB_AUTH';
    if (code === '3D000') return 'TEAM_DB_NO_DATABASE';
    if (code === '42501') return 'TEAM_DB_PRIVILEGE';
    if (code === '42P07') return 'TEAM_DB_TAKEN';
    // invalid_schema_name: "no schema has been selected to create in"
    if (code === '3F000') return 'TEAM_DB_NO_SCHEMA';
    if (LOST_CODES.has(code)) return connecting ? 'TEAM_DB_UNREACHABLE' : 'TEAM_DB_LOST';
    return null;
  }
  if (e instanceof URIError || /^(Invalid URL|URI malformed)$/.test(text)) return 'TEAM_DB_URL';
  if (/client password must be a string|empty password returned by client/.test(text))
    return 'TEAM_DB_NO_PASSWORD';
  if (/^SASL: /.test(text)) return 'TEAM_DB_AUTH';
  if (CERTIFICATE_CODES.has(code) || text === 'The server does not support SSL connections')
    return 'TEAM_DB_TLS';
  if (UNKNOWN_HOST_CODES.has(code)) return 'TEAM_DB_UNKNOWN_HOST';
  if (UNREACHABLE_CODES.has(code) || text === 'timeout expired') return 'TEAM_DB_UNREACHABLE';
  // a local socket that is not there: no server runs on that port (or it keeps its socket elsewhere)
  // (the driver thread passes on the error's code and words, not its syscall)
  if (
    code === 'ENOENT' &&
    ((err as { syscall?: unknown }).syscall === 'connect' || /^connect ENOENT /.test(text))
  )
    return 'TEAM_DB_UNREACHABLE';
  if (NETWORK_CODES.has(code) || DRIVER_BROKEN.test(text))
    return connecting ? 'TEAM_DB_UNREACHABLE' : 'TEAM_DB_LOST';
  return null;
}

const MESSAGES: Record<TeamDbErrorKind, (where: string) => string> = {
  TEAM_DB_URL: (w) =>
    `无法读取团队数据库地址 ${w}：密码中的 # / ? @ : % 等字符须写成百分号编码（如 # 写作 %23），或把密码放在 PGPASSWORD 或 ~/.pgpass 中 / ` +
    `the team database URL ${w} cannot be read: characters such as # / ? @ : % in the password must be percent-encoded (# as %23), or give the password in PGPASSWORD or ~/.pgpass`,
  TEAM_DB_NO_PASSWORD: (w) =>
    `团队数据库 ${w} 要求密码：请写在地址中，或放在 PGPASSWORD 环境变量或 ~/.pgpass 中（该文件须仅本人可读写，chmod 600，否则与 psql 一样不予读取）/ ` +
    `the team database ${w} asks for a password: give it in the URL, in PGPASSWORD or in ~/.pgpass (readable by its owner only, chmod 600: otherwise it is not read, as psql does not)`,
  TEAM_DB_AUTH: (w) =>
    `团队数据库 ${w} 拒绝登录：用户名或密码不正确，或该用户无权从此处连接 / ` +
    `the team database ${w} refused the sign-in: wrong user name or password, or this user may not connect from here`,
  TEAM_DB_NO_DATABASE: (w) =>
    `服务器上没有数据库 ${w}，请先由数据库管理员创建 / the server has no database ${w}: ask its administrator to create it`,
  TEAM_DB_PRIVILEGE: (w) =>
    `该用户在团队数据库 ${w} 中缺少所需权限（缺的是哪一项，见括号中服务器的原话）：首次设置及新版本的升级需要建表权限（请先用所有者账号打开一次），之后需要读写各表及其序列的权限，以及数据库的 CONNECT 和 TEMPORARY 权限（见 docs/team-database.md）/ ` +
    `this user lacks a privilege in the team database ${w} (which one: the server's words in brackets): setting it up, and a new version's upgrade of it, need the right to create tables (open it once as the owning user); then each desk's user must read and write the tables and their sequences, and have CONNECT and TEMPORARY on the database (docs/team-database.md)`,
  TEAM_DB_UPGRADE: (w) =>
    `团队数据库 ${w} 需要为本版本升级（迁移），该用户无权执行：请用各表的所有者账号（或其成员）以本版本打开一次；在此之前，旧版本的工作台仍可照常使用它（见 docs/team-database.md）/ ` +
    `the team database ${w} must be upgraded for this version (a migration), which this user may not do: open it once with this version as the tables' owner (or a member of that role); until then, desks of the previous version go on using it (docs/team-database.md)`,
  TEAM_DB_TAKEN: (w) =>
    `数据库 ${w} 中已有其他应用的表：请使用空数据库，或在地址中为工作台指定独立的 schema（?options=-c%20search_path%3Dyunke）/ ` +
    `the database ${w} already holds tables of another application: use an empty database, or a schema of its own (?options=-c%20search_path%3Dyunke)`,
  TEAM_DB_NOT_SET_UP: (w) =>
    `数据库 ${w} 还不是云客工作台的团队数据库（该用户看不到本应用的表）：请检查数据库名、search_path 指定的 schema 以及该用户对它的 USAGE 权限；要在其中设置团队数据库，请用其所有者账号执行 yunke-desk import（或用 operator add 添加第一位管理员），或在应用的“设置”中连接它（见 docs/team-database.md）/ ` +
    `the database ${w} is not a Yunke Desk team database yet (this user sees none of this app's tables): check the database name, the schema its search_path names and this user's USAGE on it; to set a team database up in it, run yunke-desk import (or operator add, for its first admin) as its owner, or connect to it in the app's Settings (docs/team-database.md)`,
  TEAM_DB_NO_SCHEMA: (w) =>
    `团队数据库 ${w} 中没有可以建表的 schema：地址的 search_path（options=-c search_path=…）指定的 schema 不存在或该用户无权使用，请先由数据库管理员创建（CREATE SCHEMA yunke AUTHORIZATION 所有者账号）或授予 USAGE，或去掉该选项 / ` +
    `the team database ${w} has no schema to create this app's tables in: the schema its URL's search_path names (options=-c search_path=…) does not exist, or this user may not use it; ask its administrator to create it (CREATE SCHEMA yunke AUTHORIZATION owner) or to grant USAGE on it, or leave the option out`,
  TEAM_DB_TLS: (w) =>
    `与团队数据库 ${w} 的加密连接（TLS）未能建立：服务器不接受 TLS 时请去掉地址中的 sslmode；服务器证书未通过验证时，sslmode=verify-full 需要受信任机构签发且与主机名一致的证书，自签名证书请用 sslrootcert=CA文件 指定其 CA，或用 sslmode=require（只加密，不验证证书）/ ` +
    `the encrypted connection (TLS) to the team database ${w} failed: if the server takes no TLS, leave sslmode out of the URL; if its certificate failed the check, sslmode=verify-full needs one from a trusted issuer for that host name — for a self-signed one give its CA with sslrootcert=FILE, or use sslmode=require (encrypts, does not check the certificate)`,
  TEAM_DB_UNKNOWN_HOST: (w) =>
    `找不到团队数据库 ${w} 的主机：该主机名无法解析，请检查地址中的主机名是否拼写正确，以及本机的网络和 DNS（也可直接填写服务器的 IP 地址）/ ` +
    `the host of the team database ${w} is not found: its name cannot be resolved; check the host name in the URL for typos, and this computer's network and DNS (or give the server's IP address)`,
  TEAM_DB_UNREACHABLE: (w) =>
    `无法连接团队数据库 ${w}：服务器是否在运行并监听该主机和端口？对方是否为 PostgreSQL 服务器？/ ` +
    `cannot reach the team database ${w}: is the server running and listening on that host and port, and is it PostgreSQL?`,
  TEAM_DB_LOST: (w) =>
    `与团队数据库 ${w} 的连接中断（服务器停止或网络断开）：未提交的写入都已回滚；若恰在提交时中断，写入可能已保存，再次执行前请先核对（如 yunke-desk export）/ ` +
    `the connection to the team database ${w} was lost (the server stopped or the network failed): nothing uncommitted was kept; if it broke at the commit, the write may have been saved, so check (e.g. yunke-desk export) before running it again`,
};

/**
 * A migration that failed: when the database was set up already (`applied` migrations) and its
 * role lacked a privilege, the upgrade's own error (TEAM_DB_UPGRADE, naming the migration);
 * otherwise the error as it was.
 */
export function migrationError(
  e: unknown,
  where: string,
  applied: number,
  migration: { version: number; name: string },
): unknown {
  if (applied === 0 || teamDbErrorKind(e, false) !== 'TEAM_DB_PRIVILEGE') return e;
  const cause = e instanceof Error ? e.message : String(e);
  return new TeamDbError(
    'TEAM_DB_UPGRADE',
    `${teamDbMessage('TEAM_DB_UPGRADE', where)} (migration ${migration.version} "${migration.name}": ${cause})`,
    { cause: e },
  );
}

/** The bilingual message of a kind, naming the (masked) URL. */
export function teamDbMessage(kind: TeamDbErrorKind, where: string): string {
  return MESSAGES[kind](where);
}

/**
 * An error a command or a desk's call met on a team database after connecting, in words its user
 * can act on: a privilege its role lacks (a read-only role asked to write), or the connection
 * lost; null for any other (shown as it is). `where` is the masked URL; the server's own words
 * follow in brackets.
 */
export function teamDbFailure(e: unknown, where: string): TeamDbError | null {
  if (e instanceof TeamDbError) return null;
  const kind = teamDbErrorKind(e, false);
  if (kind !== 'TEAM_DB_PRIVILEGE' && kind !== 'TEAM_DB_LOST') return null;
  const cause = e instanceof Error ? e.message : String(e);
  return new TeamDbError(kind, `${teamDbMessage(kind, where)} (${cause})`, { cause: e });
}

/**
 * The words of an error a job met on a store: on a team database (`teamUrl`, null for a store
 * file) a privilege its role lacks or a lost connection as teamDbFailure says them (the URL
 * masked); any other error as it is. For errors that cross a thread as text (an import's worker).
 */
export function failureText(e: unknown, teamUrl: string | null): string {
  const failure = teamUrl === null ? null : teamDbFailure(e, redactUrl(teamUrl));
  return failure?.message ?? ((e as Error)?.message || String(e));
}
