import { sql } from 'kysely';
import pg from 'pg';
import { connectPg } from '../../store/pg-connection';
import { appendAudit } from '../../audit/append';
import { migrationsOf, MigrationMismatchError } from '../../store/migrations';
import { openPgStore } from '../../store/open-pg-store';
import {
  clearTeamDatabase,
  maskTeamUrl,
  readTeamDatabase,
  sealPassword,
  splitTeamUrl,
  TeamDatabaseError,
  withPassword,
  writeTeamDatabase,
} from '../../store/team-database';
import { teamDbErrorKind, teamDbMessage } from '../../store/pg-sync/team-db-errors';
import { actorOf, nowOf, type ApiContext } from '../context';
import { ApiError } from '../errors';
import type { HandlersOf } from '../handler-types';
import type { teamDatabaseContract, TeamDatabaseTestResult } from './team-database.contract';

/** How long a test waits for the server to answer before calling it unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;

function deskFile(ctx: ApiContext): string {
  if (!ctx.desk)
    throw new ApiError(
      'TEAM_DB_UNAVAILABLE',
      '此处无法设置团队数据库（没有桌面设置文件夹）/ the team database cannot be set here (no desk settings folder)',
    );
  return ctx.desk.teamDatabaseFile;
}

/** This module's refusals as contract errors (their messages never hold a password). */
function apiErrorOf(e: TeamDatabaseError): ApiError {
  return new ApiError(e.code, e.message, e.details);
}

/** Removes every form of the password from a text a server or driver wrote. */
function scrub(text: string, password: string | null): string {
  if (!password) return text;
  let out = text;
  for (const form of new Set([password, encodeURIComponent(password)]))
    if (form) out = out.split(form).join('***');
  return out;
}

/** A connection's failure as a bilingual ApiError that names the masked URL and never the password. */
function connectionError(e: unknown, where: string, password: string | null): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof MigrationMismatchError)
    return new ApiError(
      'TEAM_DB_MISMATCH',
      `团队数据库的迁移记录与本版本不一致，已拒绝使用（未做任何修改）/ the team database's migration history does not match this version of the app; it was left untouched — ${scrub(e.message, password)}`,
      { url: where, applied: e.details.applied.length, known: e.details.known },
    );
  const err = e as { code?: unknown; message?: unknown };
  const code = typeof err.code === 'string' ? err.code : '';
  const detail = scrub(typeof err.message === 'string' ? err.message : String(e), password);
  const details = { url: where, cause: code || undefined, detail };
  const kind = teamDbErrorKind(e, true);
  if (kind === 'TEAM_DB_AUTH' || kind === 'TEAM_DB_NO_PASSWORD')
    return new ApiError(
      'TEAM_DB_AUTH',
      `团队数据库拒绝登录：用户名或密码不正确，或该用户无权从此处连接 / the team database refused the sign-in: wrong user name or password, or this user may not connect from here (${where})`,
      details,
    );
  if (kind === 'TEAM_DB_NO_DATABASE')
    return new ApiError(
      'TEAM_DB_NO_DATABASE',
      `服务器上没有这个数据库，请先由数据库管理员创建 / the server has no such database: ask its administrator to create it (${where})`,
      details,
    );
  // said in the command line's words (team-db-errors.ts): the same refusal reads the same on both
  if (kind === 'TEAM_DB_UPGRADE') return new ApiError(kind, teamDbMessage(kind, where), details);
  if (kind === 'TEAM_DB_PRIVILEGE')
    return new ApiError(
      'TEAM_DB_PRIVILEGE',
      `该用户缺少所需权限：设置新数据库需要建表权限，之后需要读写各表的权限 / this user lacks a privilege it needs: setting a new database up needs the right to create tables, then the right to read and write them (${where})`,
      details,
    );
  if (kind === 'TEAM_DB_TLS' || kind === 'TEAM_DB_NO_SCHEMA' || kind === 'TEAM_DB_UNKNOWN_HOST')
    return new ApiError(kind, teamDbMessage(kind, where), details);
  if (kind === 'TEAM_DB_UNREACHABLE' || kind === 'TEAM_DB_LOST')
    return new ApiError(
      'TEAM_DB_UNREACHABLE',
      `无法连接团队数据库（地址、端口或网络不通，或对方不是 PostgreSQL 服务器）/ cannot reach the team database (host, port or network, or the server there is not PostgreSQL) (${where})`,
      details,
    );
  return new ApiError(
    'TEAM_DB_FAILED',
    `团队数据库检查失败 / the team database check failed (${where}): ${detail}`,
    details,
  );
}

async function countOf(client: pg.Client, sqlText: string): Promise<number> {
  const r = await client.query<{ n: string }>(sqlText);
  return Number(r.rows[0]?.n ?? 0);
}

/**
 * Connects, checks the server is PostgreSQL, brings the database to the latest migration (a new
 * database is set up) and checks the applied ones (openPgStore), counts what it holds; then closes.
 */
export async function testTeamDatabase(
  url: string,
  password: string | null,
): Promise<TeamDatabaseTestResult> {
  const t0 = Date.now();
  const where = maskTeamUrl(url, password !== null);
  const full = withPassword(url, password);
  let client: pg.Client | null = null;
  try {
    // (a URL node-pg cannot read, or an sslmode it cannot honour — verify-ca without sslrootcert —
    // is refused here too)
    const connected = await connectPg(full, (config) => {
      const made = new pg.Client({
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        application_name: 'yunke-desk',
        ...config,
      });
      // a refused or reset connection is reported by connect(); later errors must not go unhandled
      made.on('error', () => {});
      return made;
    });
    client = connected.client;
    const version = (await client.query<{ v: string }>('SELECT version() AS v')).rows[0]?.v ?? '';
    if (!version.startsWith('PostgreSQL'))
      throw new ApiError(
        'TEAM_DB_NOT_POSTGRES',
        `该服务器不是 PostgreSQL（${version.slice(0, 60)}）/ that server is not PostgreSQL (${version.slice(0, 60)}) (${where})`,
        { url: where },
      );
    const serverVersion = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]
      .server_version;
    const hasMigrations =
      (await client.query<{ t: string | null }>(`SELECT to_regclass('_migrations')::text AS t`)).rows[0]
        ?.t !== null;
    const before = hasMigrations ? await countOf(client, 'SELECT count(*) AS n FROM _migrations') : 0;
    // migrates under an advisory lock and checks every applied migration's checksum
    const store = await openPgStore(full, { max: 1, tls: connected.tls });
    let counts: TeamDatabaseTestResult['counts'];
    let after: number;
    try {
      const n = async (table: 'partners' | 'orders' | 'audit_log') =>
        Number(
          (
            await store.db
              .selectFrom(table)
              .select(sql<number>`count(*)`.as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      counts = {
        partners: await n('partners'),
        orders: await n('orders'),
        auditEntries: await n('audit_log'),
      };
      after = Number(
        (await sql<{ n: number }>`SELECT count(*) AS n FROM _migrations`.execute(store.db)).rows[0].n,
      );
    } finally {
      await store.close();
    }
    return {
      url: where,
      serverVersion,
      migrationsApplied: Math.max(0, after - before),
      migrationsBefore: before,
      migrationsTotal: migrationsOf('postgres').length,
      counts,
      ms: Date.now() - t0,
    };
  } catch (e) {
    throw connectionError(e, where, password);
  } finally {
    await client?.end().catch(() => {});
  }
}

function split(input: { url: string; password?: string }) {
  try {
    return splitTeamUrl(input.url, input.password);
  } catch (e) {
    if (e instanceof TeamDatabaseError) throw apiErrorOf(e);
    throw e;
  }
}

/** The saved choice, or null; a damaged file is reported, not thrown. */
function savedChoice(file: string) {
  try {
    return { record: readTeamDatabase(file), problem: null };
  } catch (e) {
    if (e instanceof TeamDatabaseError) return { record: null, problem: e.message };
    throw e;
  }
}

const running = (ctx: ApiContext): 'sqlite' | 'postgres' =>
  (ctx.store as { dialect?: string }).dialect === 'postgres' ? 'postgres' : 'sqlite';

export const teamDatabaseHandlers: HandlersOf<typeof teamDatabaseContract> = {
  'teamdb.get': async (ctx) => {
    const base = {
      running: running(ctx),
      // (as the store shows it: the password masked)
      runningUrl: running(ctx) === 'postgres' ? ctx.store.where : null,
      canSealPassword: ctx.secrets !== undefined,
    };
    if (!ctx.desk)
      return {
        ...base,
        configured: false,
        url: null,
        hasPassword: false,
        savedAt: null,
        savedBy: null,
        problem: null,
      };
    const { record, problem } = savedChoice(ctx.desk.teamDatabaseFile);
    return {
      ...base,
      configured: record !== null,
      url: record ? maskTeamUrl(record.url, record.passwordSealed !== null) : null,
      hasPassword: record?.passwordSealed != null,
      savedAt: record?.savedAt ?? null,
      savedBy: record?.savedBy ?? null,
      problem,
    };
  },

  'teamdb.test': async (ctx, input) => {
    const { url, password } = split(input);
    return testTeamDatabase(url, password);
  },

  'teamdb.save': async (ctx, input) => {
    const file = deskFile(ctx);
    const { url, password } = split(input);
    // refused before connecting: a password this desk cannot seal is never kept
    let passwordSealed: string | null;
    try {
      passwordSealed = sealPassword(ctx.secrets, password);
    } catch (e) {
      if (e instanceof TeamDatabaseError) throw apiErrorOf(e);
      throw e;
    }
    const test = await testTeamDatabase(url, password);
    const { record: before, problem } = savedChoice(file);
    const actor = actorOf(ctx);
    const at = nowOf(ctx);
    await ctx.store.db.transaction().execute(async (trx) => {
      await appendAudit(
        trx,
        {
          actor,
          action: 'teamDatabase.save',
          entity: 'desk',
          entityId: 'team-database',
          reason: input.reason,
          before: before
            ? { url: maskTeamUrl(before.url, before.passwordSealed !== null) }
            : problem
              ? { damaged: true }
              : { store: 'sqlite' },
          after: {
            url: test.url,
            serverVersion: test.serverVersion,
            migrationsApplied: test.migrationsApplied,
            takesEffect: 'nextStart',
          },
        },
        at,
      );
      // in the audit entry's transaction: a file that cannot be written leaves no entry
      try {
        writeTeamDatabase(file, { url, passwordSealed, savedAt: at, savedBy: actor.operatorId });
      } catch (e) {
        if (e instanceof TeamDatabaseError) throw apiErrorOf(e);
        throw e;
      }
    });
    return { url: test.url, test, takesEffect: 'nextStart' as const };
  },

  'teamdb.clear': async (ctx, input) => {
    const file = deskFile(ctx);
    const { record, problem } = savedChoice(file);
    if (!record && !problem)
      throw new ApiError(
        'TEAM_DB_NOT_CONFIGURED',
        '本工作台已在使用本地数据文件，没有可清除的团队数据库 / this desk uses its local store already: no team database to forget',
      );
    const url = record ? maskTeamUrl(record.url, record.passwordSealed !== null) : null;
    await ctx.store.db.transaction().execute(async (trx) => {
      await appendAudit(
        trx,
        {
          actor: actorOf(ctx),
          action: 'teamDatabase.clear',
          entity: 'desk',
          entityId: 'team-database',
          reason: input.reason,
          before: record ? { url } : { damaged: true },
          after: { store: 'sqlite', takesEffect: 'nextStart' },
        },
        nowOf(ctx),
      );
      clearTeamDatabase(file);
    });
    return { url, takesEffect: 'nextStart' as const };
  },
};
