import type { z } from 'zod';
import { ApiError, type ApiResult } from './errors';
import type { ApiContext } from './context';
import { contract, type MethodName } from './contract';
import type { Access } from './define';
import { handlers } from './handlers';
import type { Actor } from '../audit/chain';
import { storeErrorOf } from '../store/store-errors';
import { teamDbFailure } from '../store/pg-sync/team-db-errors';

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

/**
 * R-OP-1: may this actor call a method of this access? The same answer for IPC, the bridge and
 * the CLI: they all call through dispatch (the CLI's data commands ask `allowed` directly).
 */
export function allowed(access: Access, actor: Actor | null): boolean {
  if (access === 'public') return true;
  return actor !== null && access.includes(actor.role);
}

/** The refusal of a call the actor may not make, in both languages. */
export function forbidden(name: string, actor: Actor | null): ApiError {
  const access = contract[name as MethodName]?.access;
  const roles = access === 'public' || !access ? [] : access.filter((r) => r !== 'system');
  if (!actor)
    return new ApiError('NOT_SIGNED_IN', `请先登录操作员 / sign in as an operator first (${name})`, {
      method: name,
    });
  return new ApiError(
    'FORBIDDEN',
    `角色「${actor.role}」无权执行 ${name}（需要 ${roles.join(' / ') || '—'}，R-OP-1） / ` +
      `the ${actor.role} role may not call ${name} (needs ${roles.join(' / ') || '—'}, R-OP-1)`,
    { method: name, role: actor.role, operatorId: actor.operatorId, allowed: roles },
  );
}

/**
 * Validates and runs one call. Never throws: every failure is a structured error
 * { code, message, details } that the renderer shows in both languages.
 */
export async function dispatch(
  ctx: ApiContext,
  name: string,
  rawInput: unknown,
): Promise<ApiResult<unknown>> {
  if (!isMethodName(name)) {
    return {
      ok: false,
      error: { code: 'UNKNOWN_METHOD', message: `Unknown method: ${name}`, details: { method: name } },
    };
  }
  const entry = contract[name];
  // R-OP-1: refused before anything else (the input of a forbidden call is not even read)
  if (!allowed(entry.access, ctx.session.actor))
    return { ok: false, error: forbidden(name, ctx.session.actor).toJSON() };
  const parsed = (entry.input as z.ZodType).safeParse(rawInput ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: `输入无效（${name}） / Invalid input for ${name}`,
        details: {
          method: name,
          issues: parsed.error.issues.map((i) => ({
            path: i.path.map(String),
            message: i.message,
            code: i.code,
          })),
        },
      },
    };
  }
  try {
    const value = await (handlers[name] as (c: ApiContext, i: unknown) => Promise<unknown>)(ctx, parsed.data);
    return { ok: true, value };
  } catch (e) {
    if (e instanceof ApiError) return { ok: false, error: e.toJSON() };
    // SQLite's own errors (busy, read-only, damaged …): in both languages, naming the store
    const store = storeErrorOf(e, ctx.store.where);
    if (store)
      return { ok: false, error: { code: store.code, message: store.message, details: store.details } };
    // a team database's: a privilege the desk's role lacks, the connection lost (team-db-errors.ts)
    const team = ctx.store.dialect === 'postgres' ? teamDbFailure(e, ctx.store.where) : null;
    if (team) return { ok: false, error: { code: team.kind, message: team.message } };
    const err = e as { code?: unknown; message?: unknown; details?: unknown };
    return {
      ok: false,
      error: {
        code: typeof err.code === 'string' ? err.code : 'INTERNAL',
        message: typeof err.message === 'string' ? err.message : String(e),
        ...(err.details !== undefined ? { details: err.details } : {}),
      },
    };
  }
}
