import { afterEach, describe, expect, it } from 'vitest';
import { recomputeFull } from '../rules/recompute';
import { t, world, type World } from '../rules/test-fixtures';
import { decideBatch, decideLine, exportBatch, markPaid, prepareBatch, PayoutError } from './batches';
import { actor } from '../test-support/actors';

let w: World;
afterEach(async () => w?.close());

const asOf = t('2026-05-02 00:00:00');

/** Two partners with one confirmed rebate each in the 2026-04 cycle (orders of March, R-REB-3). */
function twoPartners() {
  w = world()
    .partner('P1', { name: '张三', phone: '13800000001' })
    .partner('P2', { name: '李四' })
    .customer('C1')
    .customer('C2')
    .event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00')
    .event('E2', 'P2', 'C2', 'register', '2026-03-01 10:00:00')
    .order('O1', 'C1', '2026-03-02 10:00:00', 1000)
    .order('O2', 'C2', '2026-03-03 10:00:00', 500.05);
  recomputeFull(w.store, { asOf });
  return w;
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

describe('payout batches', () => {
  it('R-PAY-1: a batch covers one cycle, a line per partner with the amount the engine computed', async () => {
    twoPartners();
    const b = await prepareBatch(w.store.db, { cycleKey: '2026-04', actor: actor('maker', 'finance') });
    expect(b).toMatchObject({ lines: 2, totalFen: 20000 + 10001 });
    const lines = await w.store.db
      .selectFrom('payout_lines')
      .select(['partner_id', 'amount_fen', 'status'])
      .orderBy('partner_id')
      .execute();
    expect(lines).toEqual([
      { partner_id: 'P1', amount_fen: 20000, status: 'pending' },
      { partner_id: 'P2', amount_fen: 10001, status: 'pending' },
    ]);
    expect(
      await code(prepareBatch(w.store.db, { cycleKey: '2026-04', actor: actor('maker', 'finance') })),
    ).toBe('PAYOUT_CYCLE_HAS_BATCH');
    expect(
      await code(prepareBatch(w.store.db, { cycleKey: '2026-06', actor: actor('maker', 'finance') })),
    ).toBe('PAYOUT_NOTHING_DUE');
  });

  it('R-BL-1: a blacklisted partner is left out of the batch: frozen, never paid', async () => {
    twoPartners().blacklist('P2', '2026-04-20 00:00:00');
    recomputeFull(w.store, { asOf });
    const b = await prepareBatch(w.store.db, { cycleKey: '2026-04', actor: actor('maker', 'finance') });
    expect(b).toMatchObject({ lines: 1, totalFen: 20000 });
  });

  it('R-PAY-2: the person who prepared a batch cannot approve it, nor decide its lines (maker–checker)', async () => {
    twoPartners();
    const { batchId } = await prepareBatch(w.store.db, {
      cycleKey: '2026-04',
      actor: actor('maker', 'finance'),
    });
    expect(
      await code(
        decideBatch(w.store.db, { batchId, decision: 'approved', actor: actor('maker', 'finance') }),
      ),
    ).toBe('PAYOUT_MAKER_CHECKER');
    const [line] = await w.store.db.selectFrom('payout_lines').select('line_id').orderBy('line_id').execute();
    expect(
      await code(
        decideLine(w.store.db, {
          lineId: line.line_id,
          decision: 'approved',
          actor: actor('maker', 'finance'),
        }),
      ),
    ).toBe('PAYOUT_MAKER_CHECKER');
    const batch = await w.store.db.selectFrom('payout_batches').selectAll().executeTakeFirstOrThrow();
    expect(batch.status).toBe('draft');
  });

  it('R-PAY-2: hold and reject need a reason, and record who, when and why (audit log too)', async () => {
    twoPartners();
    const { batchId } = await prepareBatch(w.store.db, {
      cycleKey: '2026-04',
      actor: actor('maker', 'finance'),
    });
    const lines = await w.store.db.selectFrom('payout_lines').select('line_id').orderBy('line_id').execute();
    expect(
      await code(
        decideLine(w.store.db, {
          lineId: lines[1].line_id,
          decision: 'held',
          actor: actor('checker', 'finance'),
        }),
      ),
    ).toBe('PAYOUT_REASON_REQUIRED');
    await decideLine(w.store.db, {
      lineId: lines[1].line_id,
      decision: 'held',
      actor: actor('checker', 'finance'),
      reason: '银行卡信息待核实',
      now: 1_000,
    });
    const held = await w.store.db
      .selectFrom('payout_lines')
      .select(['status', 'decided_by', 'decided_at', 'decision_reason'])
      .where('line_id', '=', lines[1].line_id)
      .executeTakeFirstOrThrow();
    expect(held).toEqual({
      status: 'held',
      decided_by: 'checker',
      decided_at: 1_000,
      decision_reason: '银行卡信息待核实',
    });
    const log = await w.store.db
      .selectFrom('audit_log')
      .select(['action', 'operator_id', 'reason'])
      .where('entity', '=', 'payout_batch')
      .orderBy('audit_id')
      .execute();
    expect(log.map((l) => l.action)).toEqual(['payout.prepare', 'payout.line.held']);
    expect(log[1]).toMatchObject({ operator_id: 'checker', reason: '银行卡信息待核实' });
    expect(
      await code(
        decideBatch(w.store.db, { batchId, decision: 'rejected', actor: actor('checker', 'finance') }),
      ),
    ).toBe('PAYOUT_REASON_REQUIRED');
  });

  it('R-PAY-3: an approved batch is immutable; its bank export carries a checksum; paid lines are recorded', async () => {
    twoPartners();
    const { batchId } = await prepareBatch(w.store.db, {
      cycleKey: '2026-04',
      actor: actor('maker', 'finance'),
    });
    const lines = await w.store.db.selectFrom('payout_lines').select('line_id').orderBy('line_id').execute();
    await decideLine(w.store.db, {
      lineId: lines[1].line_id,
      decision: 'held',
      actor: actor('checker', 'finance'),
      reason: '待核实',
    });
    expect(await code(exportBatch(w.store.db, batchId))).toBe('PAYOUT_NOT_APPROVED');
    const approved = await decideBatch(w.store.db, {
      batchId,
      decision: 'approved',
      actor: actor('checker', 'finance'),
    });
    expect(approved.checksum).toMatch(/^[0-9a-f]{64}$/);

    // the held line stays out of the bank file; the pending one was approved with the batch
    const { csv, checksum } = await exportBatch(w.store.db, batchId);
    expect(checksum).toBe(approved.checksum);
    expect(csv).toBe(
      `batch_id,line_id,partner_id,name,phone,amount_yuan\r\n${batchId},${lines[0].line_id},P1,张三,13800000001,200.00\r\n`,
    );

    // nothing about an approved batch can change any more, whatever the path
    expect(
      await code(
        decideBatch(w.store.db, {
          batchId,
          decision: 'rejected',
          actor: actor('other', 'finance'),
          reason: 'x',
        }),
      ),
    ).toBe('PAYOUT_BATCH_CLOSED');
    expect(
      await code(
        decideLine(w.store.db, {
          lineId: lines[1].line_id,
          decision: 'approved',
          actor: actor('other', 'finance'),
        }),
      ),
    ).toBe('PAYOUT_BATCH_CLOSED');
    expect(() => w.store.sqlite.prepare('UPDATE payout_lines SET amount_fen = 1').run()).toThrow(
      /immutable \(R-PAY-3\)/,
    );
    expect(() => w.store.sqlite.prepare('DELETE FROM payout_lines').run()).toThrow(/immutable \(R-PAY-3\)/);
    expect(() => w.store.sqlite.prepare("UPDATE payout_batches SET cycle_key = '2026-05'").run()).toThrow(
      /immutable \(R-PAY-3\)/,
    );

    const paid = await markPaid(w.store.db, { batchId, actor: actor('finance-2', 'finance'), now: 5_000 });
    expect(paid).toBe(1);
    const line = await w.store.db
      .selectFrom('payout_lines')
      .select(['status', 'paid_by', 'paid_at'])
      .where('line_id', '=', lines[0].line_id)
      .executeTakeFirstOrThrow();
    expect(line).toEqual({ status: 'paid', paid_by: 'finance-2', paid_at: 5_000 });
    // the checksum still holds after marking paid
    expect((await exportBatch(w.store.db, batchId)).checksum).toBe(approved.checksum);
  });

  it('R-PAY-1 / R-CLAW-3: once paid, the next recompute closes the cycle and carries clawbacks forward', async () => {
    twoPartners();
    const { batchId } = await prepareBatch(w.store.db, {
      cycleKey: '2026-04',
      actor: actor('maker', 'finance'),
    });
    await decideBatch(w.store.db, { batchId, decision: 'approved', actor: actor('checker', 'finance') });
    recomputeFull(w.store, { asOf });
    const row = await w.store.db
      .selectFrom('result_payouts')
      .select(['status', 'paid_fen', 'amount_fen'])
      .where('partner_id', '=', 'P1')
      .where('cycle_key', '=', '2026-04')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'closed', paid_fen: 20000, amount_fen: 0 });
    expect(
      await code(prepareBatch(w.store.db, { cycleKey: '2026-04', actor: actor('maker', 'finance') })),
    ).toBe('PAYOUT_CYCLE_HAS_BATCH');
  });
});
