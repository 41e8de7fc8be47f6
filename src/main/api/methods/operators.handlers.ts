import {
  addOperator,
  authenticate,
  listOperators,
  operatorCount,
  OperatorError,
} from '../../operators/operators';
import { actorOf, nowOf } from '../context';
import { ApiError } from '../errors';
import type { HandlersOf } from '../handler-types';
import type { operatorsContract } from './operators.contract';

/** Operator errors as the contract's structured errors. */
async function checked<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof OperatorError) throw new ApiError(e.code, e.message, e.details);
    throw e;
  }
}

export const operatorsHandlers: HandlersOf<typeof operatorsContract> = {
  'session.status': async (ctx) => {
    const operators = await listOperators(ctx.store.db);
    return { actor: ctx.session.actor, needsFirstOperator: operators.length === 0, operators };
  },
  'session.signIn': async (ctx, input) =>
    checked(async () => {
      const actor = await authenticate(ctx.store.db, input.operatorId, input.pin);
      ctx.session.actor = actor;
      return actor;
    }),
  'session.signOut': async (ctx) => {
    const had = ctx.session.actor !== null;
    ctx.session.actor = null;
    return { signedOut: had };
  },
  'operators.bootstrap': async (ctx, input) =>
    checked(async () => {
      if ((await operatorCount(ctx.store.db)) > 0)
        throw new OperatorError(
          'OPERATOR_FIRST_EXISTS',
          '本数据库已有操作员，请登录 / this store has operators already: sign in',
        );
      const op = await addOperator(
        ctx.store.db,
        { operatorId: input.operatorId, name: input.name, role: 'admin', pin: input.pin },
        null,
        nowOf(ctx),
      );
      ctx.session.actor = { operatorId: op.operatorId, name: op.name, role: op.role };
      return ctx.session.actor;
    }),
  'operators.list': async (ctx) => listOperators(ctx.store.db),
  'operators.add': async (ctx, input) =>
    checked(() => addOperator(ctx.store.db, input, actorOf(ctx), nowOf(ctx))),
};
