/**
 * Who a command acts as (DATA.md): `--as OPERATOR_ID`, with that operator's PIN from the
 * environment variable YUNKE_PIN (never on the command line); without --as, the data commands
 * act as the operating-system user (`system:NAME`). Every command is refused for a role the
 * contract does not allow (R-OP-1), with the same check the app and the bridge use.
 */
import { userInfo } from 'node:os';
import type { Actor } from '../main/audit/chain';
import { contract, type MethodName } from '../main/api/contract';
import type { ApiContext } from '../main/api/context';
import { allowed, dispatch, forbidden } from '../main/api/dispatch';
import { authenticate, OperatorError } from '../main/operators/operators';
import { openStore, type Store } from '../main/store/open-store';
import { appVersion } from '../main/version';
import { optionalFlag, type ParsedArgs } from './args';

export class CliRefusal extends Error {
  readonly exitCode = 1;
}

export function systemActor(): Actor {
  let name = 'unknown';
  try {
    name = userInfo().username || name;
  } catch {
    // no user database entry (containers): keep 'unknown'
  }
  return { operatorId: `system:${name}`, role: 'system', name };
}

/** The actor of a command: --as (with YUNKE_PIN) or, where `system` may act, the OS user. */
export async function actorFor(store: Store, args: ParsedArgs, env = process.env): Promise<Actor> {
  const as = optionalFlag(args, 'as');
  if (as === undefined) return systemActor();
  const checkOn = pinCheckStore(store);
  try {
    return await authenticate(checkOn.db, as, env.YUNKE_PIN);
  } catch (e) {
    if (e instanceof OperatorError) throw new CliRefusal(e.message);
    throw e;
  } finally {
    if (checkOn !== store) await checkOn.close();
  }
}

/**
 * Where an --as PIN is checked. A store file a command opened read-only (audit) could not keep a
 * wrong PIN's count, and each run is a process of its own: the PIN is checked on a writable
 * connection of the same file (R-OP-1, R-OP-4), but only where that opens it as it is — a file
 * that already has the count's table (opening an older one writable would migrate it: a backup
 * being verified is not changed) and may be written. Otherwise the count is this run's, as before.
 */
function pinCheckStore(store: Store): Store {
  if (store.dialect !== 'sqlite' || (store.sqlite as { readonly?: boolean }).readonly !== true) return store;
  const hasCount = store.sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'pin_attempts'")
    .get();
  if (!hasCount) return store;
  try {
    return openStore(store.file);
  } catch {
    return store; // (a file on a read-only medium)
  }
}

/** Refuses (exit 1, zh/en) an actor the contract does not allow to call `method`. */
export function requireAllowed(method: MethodName, actor: Actor): void {
  if (!allowed(contract[method].access, actor)) {
    const refusal = forbidden(method, actor);
    throw new CliRefusal(withoutAs(actor, refusal.details) ?? refusal.message);
  }
}

/**
 * A refusal of a command given without --as (the OS user's `system` role): which operator it needs
 * and how to name one; undefined for any other actor.
 */
function withoutAs(actor: Actor | null, details: unknown): string | undefined {
  if (actor?.role !== 'system') return undefined;
  const { method, allowed: roles = [] } = (details ?? {}) as { method?: string; allowed?: string[] };
  const needs = roles.join(' / ') || '—';
  return (
    `未指定 --as：${method} 需要 ${needs} 角色的操作员（R-OP-1），请用 --as 操作员编号 指定 / ` +
    `no --as given: ${method} needs an operator of role ${needs} (R-OP-1); name one with --as OPERATOR_ID`
  );
}

export function cliContext(store: Store, actor: Actor | null): ApiContext {
  return { store, session: { actor }, transport: 'cli', version: appVersion };
}

/** Calls a contract method as the app would; a refusal or error becomes exit 1 with its message. */
export async function call<K extends MethodName>(
  ctx: ApiContext,
  method: K,
  input: unknown,
): Promise<unknown> {
  const r = await dispatch(ctx, method, input);
  if (r.ok) return r.value;
  // each wrong field with what it must be (the contract's words: "a reason of at least 4 characters")
  const issues =
    r.error.code === 'INVALID_INPUT'
      ? ((r.error.details as { issues?: { path: string[]; message: string }[] })?.issues ?? [])
      : [];
  const details = issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
  // the code stays with the refusal: a team database's connection lost in a method is told as such (main.ts)
  const message =
    (r.error.code === 'FORBIDDEN' ? withoutAs(ctx.session.actor, r.error.details) : undefined) ??
    (details ? `${r.error.message}: ${details}` : r.error.message);
  throw Object.assign(new CliRefusal(message), {
    code: r.error.code,
  });
}
