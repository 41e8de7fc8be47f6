/**
 * 操作员: the people who operate the desk (R-OP-1), each with one role and an optional PIN.
 * Portable Kysely; every change is audited in its own transaction (R-OP-2).
 */
import type { Kysely } from 'kysely';
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

/**
 * The actor an operator id names, after its PIN where one is set (signing in, switching operator,
 * --as with YUNKE_PIN, and R-OP-4's approvals). Refusals name the operator, never the PIN.
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
    if (!pinMatches(pin, op.pin_hash))
      throw new OperatorError('PIN_WRONG', `PIN 不正确 / wrong PIN for ${operatorId}`, { operatorId });
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
