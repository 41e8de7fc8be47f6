import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exportRows } from '../export/results';
import { recomputeFull } from '../engine/recompute';
import { t, world, type World } from '../test-support/world';
import { actor } from '../test-support/actors';
import { bundleWorker } from '../test-support/bundle-worker';
import type { RaceJob, RaceOutcome } from '../test-support/payout-race-worker';
import { decide, markPaid, prepareBatch, PayoutError, type Decision } from './batches';
import { partnerStatement } from './statement';

let w: World;
afterEach(async () => w?.close());

const asOf = t('2026-05-02 00:00:00');
const maker = actor('maker', 'finance');
const checker = actor('checker', 'finance');
const other = actor('other', 'finance');

/** Two partners with one confirmed rebate each in the 2026-04 cycle (orders of March, R-REB-3). */
function twoPartners(p2: Parameters<World['partner']>[1] = { name: '李四' }) {
  w = world()
    .partner('P1', { name: '张三', phone: '13800000001' })
    .partner('P2', p2)
    .customer('C1')
    .customer('C2')
    .event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00')
    .event('E2', 'P2', 'C2', 'register', '2026-03-01 10:00:00')
    .order('O1', 'C1', '2026-03-02 10:00:00', 1000)
    .order('O2', 'C2', '2026-03-03 10:00:00', 500.05);
  recomputeFull(w.store, { asOf });
  return w;
}

/** twoPartners, April's batch approved and paid, and P1's O3 of April (600 yuan, confirmed in May). */
async function aprilPaidThenO3(): Promise<void> {
  twoPartners().customer('C3').event('E3', 'P1', 'C3', 'login', '2026-03-20 10:00:00');
  w.order('O3', 'C3', '2026-04-02 10:00:00', 3000);
  recomputeFull(w.store, { asOf });
  const april = await prepare();
  await approve(april.batchId);
  await markPaid(w.store.db, { batchId: april.batchId, actor: checker });
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PayoutError) return e.code;
    throw e;
  }
  return 'no error';
}

async function refusal(p: Promise<unknown>): Promise<PayoutError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PayoutError) return e;
    throw e;
  }
  throw new Error('not refused');
}

const lines = () =>
  w.store.db
    .selectFrom('payout_lines')
    .select(['batch_id', 'partner_id', 'amount_fen', 'status', 'hold_code'])
    .orderBy('batch_id')
    .orderBy('partner_id')
    .execute();

const batches = () =>
  w.store.db
    .selectFrom('payout_batches')
    .select(['batch_id', 'cycle_key', 'status', 'revision', 'decided_by'])
    .orderBy('batch_id')
    .execute();

const prepare = (cycleKey = '2026-04', who = maker) => prepareBatch(w.store.db, { cycleKey, actor: who });
const approve = (batchId: number, who = checker, partnerId?: string) =>
  decide(w.store.db, { batchId, decision: 'approve', reason: '核对无误', actor: who, partnerId });

describe('preparing a payout batch', () => {
  it('R-PAY-1: a batch covers one cycle, a line per partner with the amount the engine computed', async () => {
    twoPartners();
    const b = await prepare();
    expect(b).toMatchObject({ cycleKey: '2026-04', lines: 2, totalFen: 20000 + 10001 });
    expect(await lines()).toEqual([
      { batch_id: b.batchId, partner_id: 'P1', amount_fen: 20000, status: 'pending', hold_code: null },
      { batch_id: b.batchId, partner_id: 'P2', amount_fen: 10001, status: 'pending', hold_code: null },
    ]);
    // the engine's own amounts due (export --what payouts-due) are the lines
    const due = exportRows(w.store.sqlite, 'payouts-due').rows.filter(
      (r) => r.status === 'due' && (r.amount_fen as number) > 0,
    );
    expect(due.map((r) => [r.partner_id, r.cycle_key, r.amount_fen])).toEqual([
      ['P1', '2026-04', 20000],
      ['P2', '2026-04', 10001],
    ]);
    // export --what payouts: the prepared lines in DATA.md's shape
    expect(exportRows(w.store.sqlite, 'payouts').rows).toEqual([
      {
        batch_id: b.batchId,
        cycle: '2026-04',
        partner_id: 'P1',
        confirmed_fen: 20000,
        carried_negative_fen: 0,
        amount_fen: 20000,
        status: 'pending',
      },
      {
        batch_id: b.batchId,
        cycle: '2026-04',
        partner_id: 'P2',
        confirmed_fen: 10001,
        carried_negative_fen: 0,
        amount_fen: 10001,
        status: 'pending',
      },
    ]);
    expect(await code(prepare('2026-06'))).toBe('PAYOUT_NOTHING_DUE');
    expect(await code(prepare('2026-04-H1'))).toBe('PAYOUT_BAD_CYCLE');
  });

  it('R-OP-4: the same cycle prepared twice gives one open batch', async () => {
    twoPartners();
    const first = await prepare();
    const again = await refusal(prepare('2026-04', actor('someone', 'admin')));
    expect(again.code).toBe('PAYOUT_CYCLE_HAS_OPEN_BATCH');
    expect(again.details).toMatchObject({ batchId: first.batchId, status: 'draft' });
    // a held batch is still open
    await decide(w.store.db, {
      batchId: first.batchId,
      decision: 'hold',
      reason: '等待复核',
      actor: checker,
    });
    expect(await code(prepare())).toBe('PAYOUT_CYCLE_HAS_OPEN_BATCH');
    // the store itself refuses a second open batch, whatever the path
    expect(() =>
      w.store.sqlite
        .prepare(
          `INSERT INTO payout_batches (cycle_key, cycle_start, cycle_end, status, config_version, as_of, run_id, prepared_by, prepared_at)
           VALUES ('2026-04', 0, 0, 'draft', 1, 0, 1, 'x', 0)`,
        )
        .run(),
    ).toThrow(/UNIQUE|duplicate key/); // SQLite | PostgreSQL
    expect((await batches()).length).toBe(1);
    // rejected: the cycle may be prepared again
    await decide(w.store.db, {
      batchId: first.batchId,
      decision: 'reject',
      reason: '金额需重算',
      actor: checker,
    });
    expect((await prepare()).lines).toBe(2);
  });

  it('R-PAY-1: lines of partners without payee details are held with MISSING_PAYEE, cannot be approved, and come back in a later batch of the cycle once given', async () => {
    twoPartners({ name: '李四', payee: null });
    const b = await prepare();
    expect(b.missingPayee).toEqual({ lines: 1, fen: 10001 });
    expect((await lines()).map((l) => [l.partner_id, l.status, l.hold_code])).toEqual([
      ['P1', 'pending', null],
      ['P2', 'held', 'MISSING_PAYEE'],
    ]);
    expect(await code(approve(b.batchId, checker, 'P2'))).toBe('PAYOUT_MISSING_PAYEE');
    const approved = await approve(b.batchId);
    expect(approved).toMatchObject({ batchStatus: 'approved', approvedLines: 1, approvedFen: 20000 });
    // the held line was never paid: with the payee details imported, the cycle gets a later batch
    // for what is still due — P2 alone, P1 was paid
    w.partner('P2', {
      name: '李四',
      payee: { account: '6217000010002345678', name: '李四', bank: '建设银行' },
    });
    const later = await prepare();
    expect(later).toMatchObject({ lines: 1, totalFen: 10001, missingPayee: { lines: 0, fen: 0 } });
    expect((await lines()).filter((l) => l.batch_id === later.batchId).map((l) => l.partner_id)).toEqual([
      'P2',
    ]);
  });

  it('R-BL-1: a blacklisted partner is left out of the batch: frozen, never paid', async () => {
    twoPartners().blacklist('P2', '2026-04-20 00:00:00');
    recomputeFull(w.store, { asOf });
    const b = await prepare();
    expect(b).toMatchObject({ lines: 1, totalFen: 20000, frozen: { partners: 1, fen: 10001 } });
  });

  it('R-BL-3: after a blacklist is lifted, the released rebates of a cycle paid out without the partner go into the next payout', async () => {
    twoPartners().blacklist('P2', '2026-04-20 00:00:00');
    recomputeFull(w.store, { asOf });
    const first = await prepare();
    expect(first).toMatchObject({ lines: 1, frozen: { partners: 1, fen: 10001 } });
    await approve(first.batchId);
    w.store.sqlite
      .prepare(`UPDATE blacklist_entries SET lifted_at = ? WHERE partner_id = 'P2'`)
      .run(t('2026-05-01 00:00:00'));
    // April's batch is final: April stays paid out as it was, nothing more is due in it
    recomputeFull(w.store, { asOf });
    expect(await code(prepare())).toBe('PAYOUT_NOTHING_DUE');
    // the released 100.01 yuan is carried into May, the next payout, due once May has ended
    recomputeFull(w.store, { asOf: t('2026-06-02 00:00:00') });
    const may = await prepare('2026-05');
    expect(may).toMatchObject({ lines: 1, totalFen: 10001, frozen: { partners: 0, fen: 0 } });
    expect((await lines()).find((l) => l.batch_id === may.batchId)).toMatchObject({
      partner_id: 'P2',
      amount_fen: 10001,
    });
  });

  it('R-BL-1: a partner blacklisted since the last recompute is left out of the batch all the same, and a blacklist not yet in force leaves them in', async () => {
    // no recompute after either entry: the engine's rows still say both partners are due
    twoPartners().blacklist('P2', '2026-04-20 00:00:00').blacklist('P1', '2099-01-01 00:00:00');
    const b = await prepare();
    expect(b).toMatchObject({ lines: 1, totalFen: 20000, frozen: { partners: 1, fen: 10001 } });
    expect((await lines()).map((l) => l.partner_id)).toEqual(['P1']);
  });

  it('R-BL-1: a line of a partner blacklisted after the batch was prepared is never approved: the approval is refused naming them until the line is held or rejected', async () => {
    twoPartners();
    const b = await prepare();
    expect(b).toMatchObject({ lines: 2, totalFen: 30001 });
    w.blacklist('P2', '2026-04-20 00:00:00');
    const batchRefused = await refusal(approve(b.batchId));
    expect(batchRefused.code).toBe('PAYOUT_PARTNER_BLACKLISTED');
    expect(batchRefused.details).toMatchObject({ batchId: b.batchId, partnerIds: ['P2'] });
    expect(batchRefused.message).toContain('P2');
    expect(await code(approve(b.batchId, checker, 'P2'))).toBe('PAYOUT_PARTNER_BLACKLISTED');
    // nothing changed: the batch is still open, its lines pending, no revision spent
    expect((await batches())[0]).toMatchObject({ status: 'draft', revision: 0 });
    expect((await lines()).map((l) => l.status)).toEqual(['pending', 'pending']);
    // the other partner's line may be approved on its own
    expect(await code(approve(b.batchId, checker, 'P1'))).toBe('no error');
    // a line approved on its own before its partner was blacklisted: the batch is not approved
    // with it in (P1 blacklisted now, with P2 still pending)
    w.blacklist('P1', '2026-04-21 00:00:00', { liftedAt: '2026-04-22 00:00:00' });
    w.blacklist('P1', '2026-04-25 00:00:00');
    expect((await refusal(approve(b.batchId))).details).toMatchObject({ partnerIds: ['P1', 'P2'] });
    w.store.sqlite.prepare("DELETE FROM blacklist_entries WHERE partner_id = 'P1'").run();
    await decide(w.store.db, {
      batchId: b.batchId,
      partnerId: 'P2',
      decision: 'hold',
      reason: '已列入黑名单',
      actor: checker,
    });
    const approved = await approve(b.batchId);
    expect(approved).toMatchObject({ batchStatus: 'approved', approvedLines: 1, approvedFen: 20000 });
    expect((await lines()).map((l) => [l.partner_id, l.status])).toEqual([
      ['P1', 'approved'],
      ['P2', 'held'],
    ]);
  });

  it('R-PAY-1: a batch approved after the last recompute already counts: nobody is paid twice for a cycle', async () => {
    twoPartners();
    const b = await prepare();
    await decide(w.store.db, {
      batchId: b.batchId,
      partnerId: 'P2',
      decision: 'reject',
      reason: '待核实身份',
      actor: checker,
    });
    await approve(b.batchId);
    // no recompute since: the engine's rows still say P1 is due, the batch knows better
    const later = await prepare();
    expect(later).toMatchObject({ lines: 1, totalFen: 10001 });
    expect((await lines()).filter((l) => l.batch_id === later.batchId).map((l) => l.partner_id)).toEqual([
      'P2',
    ]);
  });

  it('R-CLAW-3: a clawback after payment becomes a negative balance carried into the next batch', async () => {
    await aprilPaidThenO3();
    // a refund inside the window of O1, known only after April was paid
    w.refund('R1', 'O1', '2026-03-20 10:00:00', 1000);
    recomputeFull(w.store, { asOf: t('2026-06-02 00:00:00') });
    const may = await prepare('2026-05');
    const line = (await lines()).find((l) => l.batch_id === may.batchId && l.partner_id === 'P1');
    // May: O3's 600 yuan minus the 200 yuan paid in April for O1
    expect(line).toMatchObject({ amount_fen: 40000, status: 'pending' });
    expect(
      exportRows(w.store.sqlite, 'payouts').rows.find(
        (r) => r.batch_id === may.batchId && r.partner_id === 'P1',
      ),
    ).toMatchObject({ confirmed_fen: 60000, carried_negative_fen: -20000, amount_fen: 40000 });
  });
});

describe('a dispute upheld after the payout (R-DISP-2, R-CLAW-3)', () => {
  it('the order moves to the claimant, and the partner paid for it carries the rebate as a negative balance, which the statement says why', async () => {
    twoPartners();
    const april = await prepare();
    await approve(april.batchId);
    await markPaid(w.store.db, { batchId: april.batchId, actor: checker });
    // P1 proves C2 came through its link first: a manual attribution from before E2, which then fails
    w.manual(1, 'P1', 'C2', '2026-02-28 10:00:00');
    recomputeFull(w.store, { asOf: t('2026-06-02 00:00:00') });
    const due = exportRows(w.store.sqlite, 'payouts-due').rows.map((r) => [
      r.partner_id,
      r.cycle_key,
      r.confirmed_fen,
      r.paid_fen,
      r.carried_fen,
      r.amount_fen,
      r.status,
    ]);
    expect(due).toEqual([
      // P1 now earns O2's rebate too; April was paid and closed: it goes into May's payout
      ['P1', '2026-04', 30001, 20000, 0, 0, 'closed'],
      ['P1', '2026-05', 0, 0, 10001, 10001, 'due'],
      // P2 was paid for O2 in April and earns nothing now: it owes the 100.01 yuan
      ['P2', '2026-04', 0, 10001, 0, 0, 'closed'],
    ]);
    const o2 = exportRows(w.store.sqlite, 'orders').rows.find((r) => r.order_id === 'O2');
    expect(o2).toMatchObject({ partner_id: 'P1', status: 'valid', rebate_fen: 10001 });
    // P2's statement of May: nothing to pay, the balance still owed and April paid beyond its rebates
    const st = await partnerStatement(w.store.db, { partnerId: 'P2', cycleKey: '2026-05' });
    expect(st.payout).toBeNull();
    expect(st.negativeBalanceFen).toBe(10001);
    expect(st.earlier).toEqual([
      {
        cycleKey: '2026-04',
        confirmedFen: 0,
        paidFen: 10001,
        carriedFen: 0,
        amountFen: 0,
        status: 'closed',
      },
    ]);
    // the balance is taken from P2's next rebate: a new customer's order confirmed in June
    w.customer('C9').event('E9', 'P2', 'C9', 'register', '2026-05-01 10:00:00');
    w.order('O9', 'C9', '2026-05-02 10:00:00', 2000);
    recomputeFull(w.store, { asOf: t('2026-07-02 00:00:00') });
    const june = exportRows(w.store.sqlite, 'payouts-due').rows.find(
      (r) => r.partner_id === 'P2' && r.cycle_key === '2026-06',
    );
    expect(june).toMatchObject({ confirmed_fen: 40000, carried_fen: -10001, amount_fen: 29999 });
  });
});

describe('a partner blacklisted after the payout (R-BL-1, R-BL-3)', () => {
  it('its paid rebates are frozen too: a negative balance, which its statement says the lift offsets', async () => {
    twoPartners();
    const april = await prepare();
    await approve(april.batchId);
    await markPaid(w.store.db, { batchId: april.batchId, actor: checker });
    w.blacklist('P2', '2026-05-10 00:00:00');
    const asOfJune = t('2026-06-02 00:00:00');
    recomputeFull(w.store, { asOf: asOfJune });
    const frozen = await partnerStatement(w.store.db, { partnerId: 'P2', cycleKey: '2026-05' });
    expect(frozen).toMatchObject({ blacklisted: true, negativeBalanceFen: 10001, liftOffsetsFen: 10001 });
    expect(frozen.earlier).toMatchObject([{ cycleKey: '2026-04', confirmedFen: 0, paidFen: 10001 }]);
    // P1, never blacklisted, has nothing frozen
    const p1 = await partnerStatement(w.store.db, { partnerId: 'P1', cycleKey: '2026-05' });
    expect(p1).toMatchObject({ blacklisted: false, negativeBalanceFen: 0, liftOffsetsFen: 0 });
    // lifted: confirmed again, nothing owed
    w.store.sqlite
      .prepare(`UPDATE blacklist_entries SET lifted_at = ? WHERE partner_id = 'P2'`)
      .run(t('2026-05-20 00:00:00'));
    recomputeFull(w.store, { asOf: asOfJune });
    const lifted = await partnerStatement(w.store.db, { partnerId: 'P2', cycleKey: '2026-05' });
    expect(lifted).toMatchObject({ blacklisted: false, negativeBalanceFen: 0, liftOffsetsFen: 0 });
    expect(lifted.earlier).toMatchObject([{ cycleKey: '2026-04', confirmedFen: 10001, paidFen: 10001 }]);
  });

  it('a clawed-back payout and a later rebate frozen, never paid: the lift would offset the balance by that rebate, as a later rebate does (R-CLAW-3)', async () => {
    await aprilPaidThenO3();
    // O1 refunded inside its window after April was paid (200 yuan owed), and P1 blacklisted before
    // O3's 600 yuan is confirmed in May
    w.refund('R1', 'O1', '2026-03-20 10:00:00', 1000);
    w.blacklist('P1', '2026-04-20 00:00:00');
    recomputeFull(w.store, { asOf: t('2026-06-02 00:00:00') });
    const st = await partnerStatement(w.store.db, { partnerId: 'P1', cycleKey: '2026-05' });
    expect(st).toMatchObject({ blacklisted: true, negativeBalanceFen: 20000, liftOffsetsFen: 20000 });
    expect(st.earlier).toMatchObject([{ cycleKey: '2026-04', confirmedFen: 0, paidFen: 20000 }]);
  });
});

describe('deciding a payout batch', () => {
  it('R-PAY-2: the person who prepared a batch cannot approve it, nor decide its lines (maker–checker), nor can the store be made to', async () => {
    twoPartners();
    const { batchId } = await prepare();
    expect(await code(approve(batchId, maker))).toBe('PAYOUT_MAKER_CHECKER');
    expect(await code(approve(batchId, maker, 'P1'))).toBe('PAYOUT_MAKER_CHECKER');
    for (const d of ['reject', 'hold'] as Decision[])
      expect(
        await code(decide(w.store.db, { batchId, decision: d, reason: '自己的批次', actor: maker })),
      ).toBe('PAYOUT_MAKER_CHECKER');
    expect((await batches())[0]).toMatchObject({ status: 'draft', revision: 0 });
    // behind the app's back, the store refuses it too
    expect(() =>
      w.store.sqlite.prepare(`UPDATE payout_batches SET status = 'approved', decided_by = 'maker'`).run(),
    ).toThrow(/CHECK constraint|violates check constraint/); // SQLite | PostgreSQL
    expect(() =>
      w.store.sqlite
        .prepare(`UPDATE payout_lines SET status = 'approved', decided_by = 'maker' WHERE partner_id = 'P1'`)
        .run(),
    ).toThrow(/maker-checker, R-PAY-2/);
  });

  it('R-PAY-2 / R-OP-2: approve, reject and hold per line and per batch each need a reason and record who, when and why, in the audit log too', async () => {
    twoPartners();
    const { batchId } = await prepare();
    expect(
      await code(decide(w.store.db, { batchId, decision: 'approve', reason: 'ok', actor: checker })),
    ).toBe('PAYOUT_REASON_REQUIRED');
    expect(
      await code(
        decide(w.store.db, { batchId, partnerId: 'P2', decision: 'hold', reason: '  ', actor: checker }),
      ),
    ).toBe('PAYOUT_REASON_REQUIRED');
    await decide(w.store.db, {
      batchId,
      partnerId: 'P2',
      decision: 'hold',
      reason: '银行卡信息待核实',
      actor: checker,
      now: 1_000,
    });
    const held = await w.store.db
      .selectFrom('payout_lines')
      .select(['status', 'decided_by', 'decided_at', 'decision_reason'])
      .where('partner_id', '=', 'P2')
      .executeTakeFirstOrThrow();
    expect(held).toEqual({
      status: 'held',
      decided_by: 'checker',
      decided_at: 1_000,
      decision_reason: '银行卡信息待核实',
    });
    await decide(w.store.db, { batchId, decision: 'hold', reason: '月底统一审批', actor: other, now: 2_000 });
    await decide(w.store.db, {
      batchId,
      decision: 'approve',
      reason: '核对无误',
      actor: checker,
      now: 3_000,
    });
    const log = await w.store.db
      .selectFrom('audit_log')
      .select(['action', 'operator_id', 'reason', 'entity_id'])
      .where('entity', '=', 'payout_batch')
      .orderBy('audit_id')
      .execute();
    expect(log.map((l) => [l.action, l.operator_id, l.reason])).toEqual([
      ['payout.prepare', 'maker', null],
      ['payout.line.hold', 'checker', '银行卡信息待核实'],
      ['payout.batch.hold', 'other', '月底统一审批'],
      ['payout.batch.approve', 'checker', '核对无误'],
    ]);
    expect(log.every((l) => l.entity_id === String(batchId))).toBe(true);
    // the held line stayed out of the approval
    expect((await lines()).map((l) => [l.partner_id, l.status])).toEqual([
      ['P1', 'approved'],
      ['P2', 'held'],
    ]);
  });

  it('R-PAY-3: an approved batch is immutable: every decision is refused with the state found, and the store refuses edits (only approved → paid or failed)', async () => {
    twoPartners();
    const { batchId } = await prepare();
    await decide(w.store.db, {
      batchId,
      partnerId: 'P2',
      decision: 'hold',
      reason: '银行卡待核实',
      actor: checker,
    });
    const approved = await approve(batchId);
    expect(approved.checksum).toMatch(/^[0-9a-f]{64}$/);
    const refused = await refusal(
      decide(w.store.db, { batchId, decision: 'reject', reason: '改主意了', actor: other }),
    );
    expect(refused.code).toBe('PAYOUT_BATCH_CLOSED');
    expect(refused.details).toMatchObject({ found: { status: 'approved', decidedBy: 'checker' } });
    expect(await code(approve(batchId, other, 'P2'))).toBe('PAYOUT_BATCH_CLOSED');
    const sql = (s: string) => () => w.store.sqlite.prepare(s).run();
    expect(sql('UPDATE payout_lines SET amount_fen = 1')).toThrow(/immutable \(R-PAY-3\)/);
    expect(sql(`UPDATE payout_lines SET status = 'rejected' WHERE partner_id = 'P1'`)).toThrow(
      /immutable \(R-PAY-3\)/,
    );
    expect(sql(`UPDATE payout_lines SET status = 'approved' WHERE partner_id = 'P2'`)).toThrow(
      /immutable \(R-PAY-3\)/,
    );
    expect(sql(`UPDATE payout_lines SET payee_account = '1' WHERE partner_id = 'P1'`)).toThrow(
      /immutable \(R-PAY-3\)/,
    );
    expect(sql('DELETE FROM payout_lines')).toThrow(/immutable \(R-PAY-3\)/);
    expect(
      sql(
        `INSERT INTO payout_lines (batch_id, partner_id, confirmed_fen, amount_fen, status) VALUES (${batchId}, 'P9', 1, 1, 'approved')`,
      ),
    ).toThrow(/immutable \(R-PAY-3\)/);
    expect(sql("UPDATE payout_batches SET cycle_key = '2026-05'")).toThrow(/immutable \(R-PAY-3\)/);
    expect(sql("UPDATE payout_batches SET status = 'draft'")).toThrow(/immutable \(R-PAY-3\)/);
    // what may still happen: approved → paid, recorded with who and when
    const paid = await markPaid(w.store.db, { batchId, actor: actor('finance-2', 'finance'), now: 5_000 });
    expect(paid).toEqual({ paid: 1, paidFen: 20000 });
    expect(
      await w.store.db
        .selectFrom('payout_lines')
        .select(['status', 'paid_by', 'paid_at'])
        .where('partner_id', '=', 'P1')
        .executeTakeFirstOrThrow(),
    ).toEqual({ status: 'paid', paid_by: 'finance-2', paid_at: 5_000 });
    expect(sql(`UPDATE payout_lines SET status = 'approved' WHERE partner_id = 'P1'`)).toThrow(
      /immutable \(R-PAY-3\)/,
    );
    expect(await code(markPaid(w.store.db, { batchId, actor: checker }))).toBe('PAYOUT_NOTHING_TO_MARK');
    expect(await code(markPaid(w.store.db, { batchId, partnerIds: ['P2'], actor: checker }))).toBe(
      'PAYOUT_NOT_PAYABLE',
    );
  });

  it('R-OP-4: a decision on a batch that changed since the decider looked is refused with the state found', async () => {
    twoPartners();
    const { batchId } = await prepare();
    const seen = (await batches())[0].revision;
    await decide(w.store.db, {
      batchId,
      partnerId: 'P1',
      decision: 'hold',
      reason: '先暂缓一下',
      actor: other,
    });
    const r = await refusal(
      decide(w.store.db, {
        batchId,
        decision: 'approve',
        reason: '核对无误',
        actor: checker,
        expectedRevision: seen,
      }),
    );
    expect(r.code).toBe('PAYOUT_CHANGED');
    expect(r.details).toMatchObject({ found: { status: 'draft', revision: seen + 1 }, seenRevision: seen });
    expect(r.message).toMatch(/[\u4e00-\u9fff]/);
    // looking again, the approval goes through (and leaves the held line out)
    const ok = await decide(w.store.db, {
      batchId,
      decision: 'approve',
      reason: '核对无误',
      actor: checker,
      expectedRevision: seen + 1,
    });
    expect(ok).toMatchObject({ batchStatus: 'approved', approvedLines: 1, approvedFen: 10001 });
  });
});

describe('R-OP-4: decisions at the same time, on two connections to the same store file', () => {
  let worker: { file: string; dispose(): void };
  beforeAll(async () => {
    worker = await bundleWorker(join(import.meta.dirname, '..', 'test-support', 'payout-race-worker.ts'));
  }, 60_000);
  afterAll(() => worker?.dispose());

  function race(file: string, jobs: RaceJob[]): Promise<RaceOutcome[]> {
    const barrier = new SharedArrayBuffer(4);
    return Promise.all(
      jobs.map(
        (job) =>
          new Promise<RaceOutcome>((resolve, reject) => {
            const wk = new Worker(worker.file, { workerData: { file, job, barrier, parties: jobs.length } });
            wk.once('message', resolve);
            wk.once('error', reject);
          }),
      ),
    );
  }

  it('R-OP-4: approve and reject (and hold and approve) at once: exactly one decision, the other refused with the state it found', async () => {
    const pairs: [Decision, Decision][] = [
      ['approve', 'reject'],
      ['reject', 'approve'],
      ['hold', 'approve'],
      ['approve', 'hold'],
    ];
    for (let round = 0; round < 8; round++) {
      twoPartners();
      const { batchId } = await prepare();
      const [a, b] = pairs[round % pairs.length];
      // both looked at the batch as it is now (revision 0), then act at the same moment
      const outcomes = await race(w.store.file, [
        { kind: 'decide', operatorId: 'fin-a', batchId, decision: a, expectedRevision: 0 },
        { kind: 'decide', operatorId: 'fin-b', batchId, decision: b, expectedRevision: 0 },
      ]);
      const won = outcomes.filter((o) => o.ok);
      const lost = outcomes.filter((o) => !o.ok) as Extract<RaceOutcome, { ok: false }>[];
      expect(won, `round ${round}: ${JSON.stringify(outcomes)}`).toHaveLength(1);
      expect(lost[0].code, JSON.stringify(lost[0])).toMatch(/^PAYOUT_(CHANGED|BATCH_CLOSED)$/);
      const after = (await batches())[0];
      expect((lost[0].details as { found: { status: string } }).found.status).toBe(after.status);
      const decisions = await w.store.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', 'like', 'payout.batch.%')
        .execute();
      expect(decisions).toHaveLength(1);
      expect(after.revision).toBe(1);
      await w.close();
    }
  }, 120_000);

  it('R-OP-4: a line decided while the batch is approved at the same moment: one of the two, never both', async () => {
    for (let round = 0; round < 4; round++) {
      twoPartners();
      const { batchId } = await prepare();
      const outcomes = await race(w.store.file, [
        { kind: 'decide', operatorId: 'fin-a', batchId, decision: 'approve', expectedRevision: 0 },
        {
          kind: 'decide',
          operatorId: 'fin-b',
          batchId,
          partnerId: 'P2',
          decision: 'reject',
          expectedRevision: 0,
        },
      ]);
      expect(
        outcomes.filter((o) => o.ok),
        JSON.stringify(outcomes),
      ).toHaveLength(1);
      const rows = await lines();
      const approvedBatch = (await batches())[0].status === 'approved';
      // either the batch was approved with both lines, or P2 was rejected in a batch still draft
      expect(rows.map((l) => l.status)).toEqual(
        approvedBatch ? ['approved', 'approved'] : ['pending', 'rejected'],
      );
      await w.close();
    }
  }, 120_000);

  it('R-OP-4: the same cycle prepared twice at once gives one open batch', async () => {
    twoPartners();
    const outcomes = await race(w.store.file, [
      { kind: 'prepare', operatorId: 'fin-a', cycleKey: '2026-04' },
      { kind: 'prepare', operatorId: 'fin-b', cycleKey: '2026-04' },
    ]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.find((o) => !o.ok)).toMatchObject({ code: 'PAYOUT_CYCLE_HAS_OPEN_BATCH' });
    expect(await batches()).toHaveLength(1);
    expect(await lines()).toHaveLength(2);
  }, 60_000);
});
