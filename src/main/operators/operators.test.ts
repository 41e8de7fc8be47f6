import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dispatch } from '../api/dispatch';
import { verifyAudit } from '../audit/verify';
import { openStore, type Store } from '../store/open-store';
import { contextFor } from '../test-support/actors';
import { authenticate, confirmPin, PIN_FIRST_PAUSE_MS, PIN_TRIES } from './operators';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'yunke-op-'));
  store = openStore(join(dir, 'store.db'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** An admin without a PIN, signed in on the context returned, and finance operator FIN3 with PIN 4321. */
async function adminAndFinance3() {
  const ctx = contextFor(store, null);
  await dispatch(ctx, 'operators.bootstrap', { operatorId: 'ADM1', name: '周敏' });
  await dispatch(ctx, 'operators.add', { operatorId: 'FIN3', name: '财务丙', role: 'finance', pin: '4321' });
  return ctx;
}

/** A plugin that runs `then` once, right after the first statement of `kind` on the PIN counts
 * (and before the caller sees its result): another attempt landing between two steps of a check. */
function afterPinStatement(
  kind: 'SelectQueryNode' | 'InsertQueryNode',
  then: () => Promise<void>,
): KyselyPlugin {
  const seen = new Set<unknown>();
  let done = false;
  return {
    transformQuery(args: PluginTransformQueryArgs) {
      if (!done && args.node.kind === kind && JSON.stringify(args.node).includes('"pin_attempts"'))
        seen.add(args.queryId);
      return args.node;
    },
    async transformResult(args: PluginTransformResultArgs) {
      if (!done && seen.has(args.queryId)) {
        done = true;
        await then();
      }
      return args.result;
    },
  };
}

describe('operators and sessions (R-OP-1)', () => {
  it('R-OP-1: the first operator of an empty store is an admin; then only admins add operators; every addition audited', async () => {
    const ctx = contextFor(store, null);
    expect(await dispatch(ctx, 'session.status', {})).toMatchObject({
      ok: true,
      value: { needsFirstOperator: true, actor: null },
    });
    // nobody operates yet: everything but the public methods is refused
    expect(await dispatch(ctx, 'dashboard.summary', {})).toMatchObject({
      ok: false,
      error: { code: 'NOT_SIGNED_IN' },
    });
    const first = await dispatch(ctx, 'operators.bootstrap', {
      operatorId: 'ADM1',
      name: '周敏',
      pin: '2468',
    });
    expect(first).toMatchObject({ ok: true, value: { operatorId: 'ADM1', role: 'admin' } });
    expect(ctx.session.actor).toMatchObject({ operatorId: 'ADM1', role: 'admin' });
    expect(
      await dispatch(ctx, 'operators.bootstrap', { operatorId: 'X', name: 'x', pin: '1234' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'OPERATOR_FIRST_EXISTS' },
    });
    expect(
      await dispatch(ctx, 'operators.add', {
        operatorId: 'FIN1',
        name: '陈静',
        role: 'finance',
        pin: '1357',
      }),
    ).toMatchObject({
      ok: true,
    });
    expect(
      await dispatch(ctx, 'operators.add', { operatorId: 'SUP1', name: '刘洋', role: 'support' }),
    ).toMatchObject({ ok: true });
    expect(
      await dispatch(ctx, 'operators.add', { operatorId: 'SUP1', name: '刘洋', role: 'support' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'OPERATOR_EXISTS' },
    });
    // switching operator asks for that operator's PIN
    expect(await dispatch(ctx, 'session.signIn', { operatorId: 'FIN1' })).toMatchObject({
      ok: false,
      error: { code: 'PIN_REQUIRED' },
    });
    expect(await dispatch(ctx, 'session.signIn', { operatorId: 'FIN1', pin: '1111' })).toMatchObject({
      ok: false,
      error: { code: 'PIN_WRONG' },
    });
    expect(ctx.session.actor?.operatorId).toBe('ADM1');
    expect(await dispatch(ctx, 'session.signIn', { operatorId: 'FIN1', pin: '1357' })).toMatchObject({
      ok: true,
    });
    // finance may not add operators
    expect(
      await dispatch(ctx, 'operators.add', { operatorId: 'X2', name: 'x', role: 'admin' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await dispatch(ctx, 'session.signIn', { operatorId: 'SUP1' })).toMatchObject({ ok: true });
    const audit = store.sqlite
      .prepare('SELECT action, operator_id, entity_id FROM audit_log ORDER BY audit_id')
      .all();
    expect(audit).toEqual([
      { action: 'operator.bootstrap', operator_id: 'ADM1', entity_id: 'ADM1' },
      { action: 'operator.add', operator_id: 'ADM1', entity_id: 'FIN1' },
      { action: 'operator.add', operator_id: 'ADM1', entity_id: 'SUP1' },
    ]);
    expect(verifyAudit(store.sqlite).intact).toBe(true);
    // PINs rest only as salted hashes
    const stored = store.sqlite
      .prepare("SELECT pin_hash FROM operators WHERE operator_id = 'FIN1'")
      .pluck()
      .get() as string;
    expect(stored).toMatch(/^scrypt\$/);
    expect(stored).not.toContain('1357');
  });

  it('R-OP-4: an approval asks the approver for their PIN again, where one is set', async () => {
    const ctx = contextFor(store, null);
    await dispatch(ctx, 'operators.bootstrap', { operatorId: 'ADM1', name: '周敏' });
    await dispatch(ctx, 'operators.add', {
      operatorId: 'FIN2',
      name: '财务乙',
      role: 'finance',
      pin: '2222',
    });
    const fin2 = await authenticate(store.db, 'FIN2', '2222');
    await expect(confirmPin(store.db, fin2, undefined)).rejects.toMatchObject({ code: 'PIN_REQUIRED' });
    await expect(confirmPin(store.db, fin2, '2223')).rejects.toMatchObject({ code: 'PIN_WRONG' });
    await expect(confirmPin(store.db, fin2, '2222')).resolves.toBeUndefined();
    // an operator without a PIN is not asked
    const adm = await authenticate(store.db, 'ADM1', undefined);
    await expect(confirmPin(store.db, adm, undefined)).resolves.toBeUndefined();
  });

  it('R-OP-1, R-OP-4: after 5 wrong PINs in a row the operator’s PIN is not checked for a while, the right one neither; each pause is twice the last', async () => {
    const ctx = await adminAndFinance3();
    await dispatch(ctx, 'operators.add', {
      operatorId: 'FIN4',
      name: '财务丁',
      role: 'finance',
      pin: '9999',
    });
    vi.useFakeTimers({ now: Date.parse('2026-12-05T10:00:00Z'), toFake: ['Date'] });
    try {
      // a right PIN in between starts the count again
      for (let i = 0; i < PIN_TRIES - 1; i++)
        await expect(authenticate(store.db, 'FIN3', '0000')).rejects.toMatchObject({
          code: 'PIN_WRONG',
          details: { triesLeft: PIN_TRIES - 1 - i },
        });
      await expect(authenticate(store.db, 'FIN3', '4321')).resolves.toMatchObject({ operatorId: 'FIN3' });
      for (let i = 0; i < PIN_TRIES - 1; i++)
        await expect(authenticate(store.db, 'FIN3', '0000')).rejects.toMatchObject({ code: 'PIN_WRONG' });
      // the fifth wrong one in a row pauses its checks: 30 s
      const paused = await authenticate(store.db, 'FIN3', '0000').catch((e: unknown) => e);
      expect(paused).toMatchObject({
        code: 'PIN_LOCKED',
        details: { operatorId: 'FIN3', retryAfterSeconds: 30, minutes: 1 },
      });
      expect((paused as Error).message).toMatch(/连续输错次数过多.*\/ too many wrong PINs for operator FIN3/);
      expect((paused as Error).message).not.toContain('4321');
      // meanwhile even the right PIN is refused, by the sign-in and by an approval alike
      await expect(authenticate(store.db, 'FIN3', '4321')).rejects.toMatchObject({ code: 'PIN_LOCKED' });
      const signIn = await dispatch(contextFor(store, null), 'session.signIn', {
        operatorId: 'FIN3',
        pin: '4321',
      });
      expect(signIn).toMatchObject({ ok: false, error: { code: 'PIN_LOCKED' } });
      // another operator is not held back
      await expect(authenticate(store.db, 'FIN4', '9999')).resolves.toMatchObject({ operatorId: 'FIN4' });
      vi.setSystemTime(Date.now() + PIN_FIRST_PAUSE_MS);
      // once it is over: five more wrong ones pause it twice as long
      for (let i = 0; i < PIN_TRIES - 1; i++)
        await expect(authenticate(store.db, 'FIN3', '1111')).rejects.toMatchObject({ code: 'PIN_WRONG' });
      await expect(authenticate(store.db, 'FIN3', '1111')).rejects.toMatchObject({
        code: 'PIN_LOCKED',
        details: { retryAfterSeconds: 60 },
      });
      vi.setSystemTime(Date.now() + 2 * PIN_FIRST_PAUSE_MS - 1000);
      await expect(authenticate(store.db, 'FIN3', '4321')).rejects.toMatchObject({
        code: 'PIN_LOCKED',
        details: { retryAfterSeconds: 1 },
      });
      vi.setSystemTime(Date.now() + 1000);
      await expect(
        confirmPin(store.db, { operatorId: 'FIN3', role: 'finance', name: '财务丙' }, '4321'),
      ).resolves.toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('R-OP-1, R-OP-4: the count and the pause are kept in the store: they hold after the app restarts, and where the store cannot be written they are counted in memory', async () => {
    await adminAndFinance3();
    vi.useFakeTimers({ now: Date.parse('2026-12-05T10:00:00Z'), toFake: ['Date'] });
    try {
      for (let i = 0; i < PIN_TRIES - 2; i++)
        await expect(authenticate(store.db, 'FIN3', '0000')).rejects.toMatchObject({ code: 'PIN_WRONG' });
      // the app restarts: the count goes on where it was
      await store.close();
      store = openStore(join(dir, 'store.db'));
      await expect(authenticate(store.db, 'FIN3', '0000')).rejects.toMatchObject({
        code: 'PIN_WRONG',
        details: { triesLeft: 1 },
      });
      await expect(authenticate(store.db, 'FIN3', '0000')).rejects.toMatchObject({ code: 'PIN_LOCKED' });
      await store.close();
      store = openStore(join(dir, 'store.db'));
      await expect(authenticate(store.db, 'FIN3', '4321')).rejects.toMatchObject({
        code: 'PIN_LOCKED',
        details: { retryAfterSeconds: 30 },
      });
      // once over, the right PIN clears what was kept
      vi.setSystemTime(Date.now() + PIN_FIRST_PAUSE_MS);
      await expect(authenticate(store.db, 'FIN3', '4321')).resolves.toMatchObject({ operatorId: 'FIN3' });
      expect(await store.db.selectFrom('pin_attempts').selectAll().execute()).toEqual([]);
      // five wrong PINs at once (desks, command line runs): each counts, and the pause holds
      vi.setSystemTime(Date.now() + 60 * 60_000);
      const atOnce = await Promise.allSettled(
        Array.from({ length: PIN_TRIES }, () => authenticate(store.db, 'FIN3', '0000')),
      );
      expect(atOnce.map((r) => r.status)).toEqual(Array(PIN_TRIES).fill('rejected'));
      await expect(authenticate(store.db, 'FIN3', '4321')).rejects.toMatchObject({ code: 'PIN_LOCKED' });
      vi.setSystemTime(Date.now() + 2 * PIN_FIRST_PAUSE_MS);
      await expect(authenticate(store.db, 'FIN3', '4321')).resolves.toMatchObject({ operatorId: 'FIN3' });
      // the right PIN at the moment of a fifth wrong one elsewhere: read before that pause began, it
      // passes, and the pause holds (the right PIN does not clear it)
      for (let i = 0; i < PIN_TRIES - 1; i++)
        await expect(authenticate(store.db, 'FIN3', '0000')).rejects.toMatchObject({ code: 'PIN_WRONG' });
      let elsewhere: unknown = null;
      const desk2 = openStore(join(dir, 'store.db'));
      try {
        const between = store.db.withPlugin(
          afterPinStatement('SelectQueryNode', async () => {
            elsewhere = await authenticate(desk2.db, 'FIN3', '0000').catch((e: unknown) => e);
          }),
        );
        await expect(authenticate(between, 'FIN3', '4321')).resolves.toMatchObject({ operatorId: 'FIN3' });
      } finally {
        await desk2.close();
      }
      expect(elsewhere).toMatchObject({ code: 'PIN_LOCKED' });
      await expect(authenticate(store.db, 'FIN3', '4321')).rejects.toMatchObject({ code: 'PIN_LOCKED' });
      vi.setSystemTime(Date.now() + 4 * PIN_FIRST_PAUSE_MS);
      await expect(authenticate(store.db, 'FIN3', '4321')).resolves.toMatchObject({ operatorId: 'FIN3' });
      // and the right PIN elsewhere right after a fifth wrong one is counted: its pause began with the
      // count (one statement), and holds
      for (let i = 0; i < PIN_TRIES - 1; i++)
        await expect(authenticate(store.db, 'FIN3', '0000')).rejects.toMatchObject({ code: 'PIN_WRONG' });
      let right: unknown = null;
      const desk3 = openStore(join(dir, 'store.db'));
      try {
        const counting = store.db.withPlugin(
          afterPinStatement('InsertQueryNode', async () => {
            right = await authenticate(desk3.db, 'FIN3', '4321').catch((e: unknown) => e);
          }),
        );
        await expect(authenticate(counting, 'FIN3', '0000')).rejects.toMatchObject({ code: 'PIN_LOCKED' });
      } finally {
        await desk3.close();
      }
      expect(right).toMatchObject({ code: 'PIN_LOCKED' });
      await expect(authenticate(store.db, 'FIN3', '4321')).rejects.toMatchObject({ code: 'PIN_LOCKED' });
      vi.setSystemTime(Date.now() + 8 * PIN_FIRST_PAUSE_MS + 1000);
      await expect(authenticate(store.db, 'FIN3', '4321')).resolves.toMatchObject({ operatorId: 'FIN3' });
      // a store file opened read-only keeps nothing, and still pauses after 5 wrong PINs in a row (a
      // team database opened so only skips migrating: its desks write)
      if (store.dialect !== 'sqlite') return;
      await store.close();
      store = openStore(join(dir, 'store.db'), { readonly: true });
      for (let i = 0; i < PIN_TRIES - 1; i++)
        await expect(authenticate(store.db, 'FIN3', '0000')).rejects.toMatchObject({ code: 'PIN_WRONG' });
      await expect(authenticate(store.db, 'FIN3', '0000')).rejects.toMatchObject({ code: 'PIN_LOCKED' });
      await expect(authenticate(store.db, 'FIN3', '4321')).rejects.toMatchObject({ code: 'PIN_LOCKED' });
      expect(await store.db.selectFrom('pin_attempts').selectAll().execute()).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});
