/**
 * 操作员: the people who operate the desk (R-OP-1), each with one role and an optional PIN.
 * Portable Kysely; every change is audited in its own transaction (R-OP-2).
 */
import { sql, type Kysely } from 'kysely';
import { appendAudit } from '../audit/append';
import type { Actor } from '../audit/chain';
import type { Role } from '../store/admin.table';
import type { Database } from '../store/database';
import { hashPin, pinMatches } from './pin';

export class OperatorError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface OperatorView {
  operatorId: string;
  name: string;
  role: Role;
  hasPin: boolean;
  createdAt: number;
  createdBy: string | null;
}

export async function listOperators(db: Kysely<Database>): Promise<OperatorView[]> {
  const rows = await db
    .selectFrom('operators')
    .selectAll()
    .orderBy('created_at')
    .orderBy('operator_id')
    .execute();
  return rows.map((r) => ({
    operatorId: r.operator_id,
    name: r.name,
    role: r.role,
    hasPin: r.pin_hash !== null,
    createdAt: r.created_at,
    createdBy: r.created_by,
  }));
}

export async function operatorCount(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('operators')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface NewOperator {
  operatorId: string;
  name: string;
  role: Role;
  pin?: string | null;
}

/**
 * Adds an operator. The first operator of a store is an admin and needs no one to add it
 * (`by` null); every later one is added by an admin (the contract and the CLI check the role).
 */
export async function addOperator(
  db: Kysely<Database>,
  input: NewOperator,
  by: Actor | null,
  now = Date.now(),
): Promise<OperatorView> {
  return db.transaction().execute(async (trx) => {
    const count = Number(
      (
        await trx
          .selectFrom('operators')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    if (by === null && count > 0)
      throw new OperatorError(
        'OPERATOR_FIRST_EXISTS',
        '本数据库已有操作员，新操作员须由管理员添加 / this store has operators already: an admin adds new ones',
      );
    if (by === null && input.role !== 'admin')
      throw new OperatorError(
        'OPERATOR_FIRST_ADMIN',
        '第一位操作员必须是管理员 / the first operator of a store must be an admin',
      );
    const taken = await trx
      .selectFrom('operators')
      .select('operator_id')
      .where('operator_id', '=', input.operatorId)
      .executeTakeFirst();
    if (taken)
      throw new OperatorError(
        'OPERATOR_EXISTS',
        `操作员 ${input.operatorId} 已存在 / operator ${input.operatorId} exists already`,
        { operatorId: input.operatorId },
      );
    const row = {
      operator_id: input.operatorId,
      name: input.name,
      role: input.role,
      pin_hash: input.pin ? hashPin(input.pin) : null,
      created_at: now,
      created_by: by?.operatorId ?? null,
    };
    await trx.insertInto('operators').values(row).execute();
    const actor: Actor = by ?? { operatorId: input.operatorId, role: input.role, name: input.name };
    await appendAudit(
      trx,
      {
        actor,
        action: by === null ? 'operator.bootstrap' : 'operator.add',
        entity: 'operator',
        entityId: input.operatorId,
        after: {
          operatorId: input.operatorId,
          name: input.name,
          role: input.role,
          hasPin: row.pin_hash !== null,
        },
      },
      now,
    );
    return {
      operatorId: row.operator_id,
      name: row.name,
      role: row.role,
      hasPin: row.pin_hash !== null,
      createdAt: now,
      createdBy: row.created_by,
    };
  });
}

/** Wrong PINs in a row after which an operator's PIN is not checked for a while. */
export const PIN_TRIES = 5;
/** The first pause; each pause after it is twice the last, up to PIN_MAX_PAUSE_MS. */
export const PIN_FIRST_PAUSE_MS = 30_000;
export const PIN_MAX_PAUSE_MS = 15 * 60_000;

interface PinTries {
  /** wrong PINs in a row since the last pause (or right PIN) */
  wrong: number;
  /** no PIN of this operator is checked before this instant */
  pausedUntil: number;
  /** pauses so far: the next one is PIN_FIRST_PAUSE_MS × 2^pauses */
  pauses: number;
}
/**
 * Wrong PINs are counted in the store (pin_attempts, R-OP-1, R-OP-4): a pause holds for every
 * process that opens it — the app after a restart, each command line run, every desk of a team
 * database — so a 4-digit PIN is not guessed by starting again. A store this process may not write
 * (opened read-only, a team database's role that may only read) counts them here instead, per store
 * (its Kysely) and operator, as before.
 */
const unwritten = new WeakMap<object, Map<string, PinTries>>();

async function triesOf(db: Kysely<Database>, operatorId: string): Promise<PinTries | null> {
  // (a team database's role granted the tables before this one existed may not read it: then only
  // this process's count applies)
  const row = await db
    .selectFrom('pin_attempts')
    .select(['wrong', 'paused_until', 'pauses'])
    .where('operator_id', '=', operatorId)
    .executeTakeFirst()
    .catch(() => undefined);
  const stored = row ? triesOfRow(row) : null;
  const kept = unwritten.get(db)?.get(operatorId) ?? null;
  if (!stored || !kept) return stored ?? kept;
  // both (the store could not be written for a while): the stricter of the two
  return {
    wrong: Math.max(stored.wrong, kept.wrong),
    pausedUntil: Math.max(stored.pausedUntil, kept.pausedUntil),
    pauses: Math.max(stored.pauses, kept.pauses),
  };
}

const triesOfRow = (r: { wrong: number; paused_until: number; pauses: number }): PinTries => ({
  wrong: r.wrong,
  pausedUntil: r.paused_until,
  pauses: r.pauses,
});

const pauseAfter = (pauses: number): number => Math.min(PIN_FIRST_PAUSE_MS * 2 ** pauses, PIN_MAX_PAUSE_MS);

/** The pause after `pauses` earlier ones, as SQL of the stored count (`pin_attempts.pauses`): a
 * CASE of our own constants, the same on SQLite and PostgreSQL. */
function pauseAfterSql(): string {
  const arms: string[] = [];
  for (let p = 0; pauseAfter(p) < PIN_MAX_PAUSE_MS; p++) arms.push(`WHEN ${p} THEN ${pauseAfter(p)}`);
  return `CASE pin_attempts.pauses ${arms.join(' ')} ELSE ${PIN_MAX_PAUSE_MS} END`;
}

/**
 * Counts a wrong PIN, and starts a pause at the PIN_TRIES-th in a row; the count after it. In the
 * store both are one statement: attempts at once (other processes, other desks) each count, none
 * undoes a pause another started, and no failure or crash leaves a count that reached PIN_TRIES
 * without its pause. Where the store cannot be written, in this process.
 */
async function countWrong(db: Kysely<Database>, operatorId: string, now: number): Promise<PinTries> {
  try {
    const reached = sql`pin_attempts.wrong + 1 >= ${sql.lit(PIN_TRIES)}`;
    const counted = await db
      .insertInto('pin_attempts')
      .values({ operator_id: operatorId, wrong: 1, paused_until: 0, pauses: 0 })
      .onConflict((oc) =>
        // (every expression reads the row as it was before this statement)
        oc.column('operator_id').doUpdateSet({
          wrong: sql<number>`CASE WHEN ${reached} THEN 0 ELSE pin_attempts.wrong + 1 END`,
          paused_until: sql<number>`CASE WHEN ${reached} THEN CAST(${sql.lit(now)} AS bigint) + ${sql.raw(pauseAfterSql())} ELSE pin_attempts.paused_until END`,
          pauses: sql<number>`CASE WHEN ${reached} THEN pin_attempts.pauses + 1 ELSE pin_attempts.pauses END`,
        }),
      )
      .returning(['wrong', 'paused_until', 'pauses'])
      .executeTakeFirstOrThrow();
    const tries = triesOfRow(counted);
    unwritten.get(db)?.delete(operatorId);
    return tries;
  } catch {
    // not written (see above): counted in this process
    let m = unwritten.get(db);
    if (!m) unwritten.set(db, (m = new Map()));
    const t = m.get(operatorId) ?? { wrong: 0, pausedUntil: 0, pauses: 0 };
    t.wrong++;
    if (t.wrong >= PIN_TRIES) {
      t.pausedUntil = now + pauseAfter(t.pauses);
      t.pauses++;
      t.wrong = 0;
    }
    m.set(operatorId, t);
    return t;
  }
}

/**
 * A right PIN: the count starts again — unless a pause began since it was read (a fifth wrong PIN
 * at the same moment on another desk or run): that pause holds.
 */
async function clearTries(db: Kysely<Database>, operatorId: string, now: number): Promise<void> {
  unwritten.get(db)?.delete(operatorId);
  await db
    .deleteFrom('pin_attempts')
    .where('operator_id', '=', operatorId)
    .where('paused_until', '<=', now)
    .execute()
    .catch(() => undefined); // (a store that cannot be written kept nothing)
}

/** Refused while the operator's PIN checks are paused (too many wrong PINs in a row). */
function pinPaused(operatorId: string, tries: PinTries, now: number): OperatorError {
  const seconds = Math.ceil((tries.pausedUntil - now) / 1000);
  const minutes = Math.ceil(seconds / 60);
  return new OperatorError(
    'PIN_LOCKED',
    `操作员 ${operatorId} 的 PIN 连续输错次数过多，请 ${minutes} 分钟后再试 / too many wrong PINs for operator ${operatorId}: try again in ${minutes} min`,
    { operatorId, retryAfterSeconds: seconds, minutes },
  );
}

/**
 * The actor an operator id names, after its PIN where one is set (signing in, switching operator,
 * --as with YUNKE_PIN, and R-OP-4's approvals). Refusals name the operator, never the PIN. After
 * PIN_TRIES wrong PINs in a row, the operator's PIN is not checked at all for a pause (30 s, then
 * twice as long each time, up to 15 min): the right PIN is refused too until it ends.
 */
export async function authenticate(
  db: Kysely<Database>,
  operatorId: string,
  pin: string | null | undefined,
): Promise<Actor> {
  const op = await db
    .selectFrom('operators')
    .selectAll()
    .where('operator_id', '=', operatorId)
    .executeTakeFirst();
  if (!op)
    throw new OperatorError('OPERATOR_UNKNOWN', `没有操作员 ${operatorId} / no operator ${operatorId}`, {
      operatorId,
    });
  if (op.pin_hash !== null) {
    if (!pin)
      throw new OperatorError(
        'PIN_REQUIRED',
        `操作员 ${operatorId} 设有 PIN，请输入 / operator ${operatorId} has a PIN: enter it`,
        { operatorId },
      );
    const known = await triesOf(db, operatorId);
    const now = Date.now();
    if (known && known.pausedUntil > now) throw pinPaused(operatorId, known, now);
    if (!pinMatches(pin, op.pin_hash)) {
      const tries = await countWrong(db, operatorId, now);
      if (tries.pausedUntil > now) throw pinPaused(operatorId, tries, now);
      throw new OperatorError('PIN_WRONG', `PIN 不正确 / wrong PIN for ${operatorId}`, {
        operatorId,
        triesLeft: PIN_TRIES - tries.wrong,
      });
    }
    // a right PIN starts the count again (a write only where one was kept)
    if (known) await clearTries(db, operatorId, now);
  }
  return { operatorId: op.operator_id, role: op.role, name: op.name };
}

/** R-OP-4: a decision that needs the PIN asks for it again, even of the signed-in operator. */
export async function confirmPin(
  db: Kysely<Database>,
  actor: Actor,
  pin: string | null | undefined,
): Promise<void> {
  await authenticate(db, actor.operatorId, pin);
}
