// Issue 13: the portable domain modules write a store the same way on SQLite and on PostgreSQL
// (`npm run test:pg`): the rows, the refusals and the audit entries (R-OP-2) of operators, payout
// batches (R-PAY-1..3, R-OP-4), level overrides, disputes, rule configs and API sources. The engine
// results they start from are computed on SQLite and copied (test-support/dialect.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../audit/append';
import { exportAudit } from '../audit/export';
import { listAudit } from '../audit/list';
import { insertConfigVersion, listConfigVersions } from '../config/rule-configs';
import { openDispute, rejectDispute } from '../disputes/disputes';
import { listBlacklist } from '../investigation/blacklist';
import { listMarks } from '../investigation/shared-ips';
import { revokeLevelOverride, writeLevelOverride } from '../levels/overrides';
import { addOperator, authenticate, listOperators } from '../operators/operators';
import { decide, markPaid, prepareBatch, PayoutError } from '../payouts/batches';
import { exportPayoutFile } from '../payouts/files';
import { batchDetail } from '../payouts/views';
import { defaultRuleConfig } from '../rules/config';
import { recomputeFull } from '../engine/recompute';
import { t, world, type World } from '../test-support/world';
import { listApiSources, saveApiSource } from '../sync/history';
import { actor } from '../test-support/actors';
import { onDialect, onPostgres, openTestDb, testDialect, type TestDb } from '../test-support/dialect';

const asOf = t('2026-06-01 00:00:00');
let w: World;
let d: TestDb;

beforeAll(async () => {
  // two partners with confirmed May rebates, one without payee details
  w = world()
    .partner('P1')
    .partner('P2')
    .partner('P3', { payee: null })
    .customer('K1')
    .customer('K2')
    .customer('K3');
  for (const [k, p] of [
    ['K1', 'P1'],
    ['K2', 'P2'],
    ['K3', 'P3'],
  ])
    w.event(`E${k}`, p, k, 'register', '2026-04-01 10:00:00');
  w.order('O1', 'K1', '2026-04-02 10:00:00', 1000)
    .order('O2', 'K2', '2026-04-02 11:00:00', 2500)
    .order('O3', 'K3', '2026-04-02 12:00:00', 800, { line: 'rds' });
  recomputeFull(w.store, { asOf });
  d = await onDialect(w.store);
}, 120_000);

afterAll(async () => {
  await d?.close();
  await w?.store.close();
});

const maker = actor('maker', 'finance');
const checker = actor('checker', 'finance');
const entries = async (action: string) =>
  (await listAudit(d.db, { limit: 100, offset: 0, action, order: 'asc' })).rows;

describe(`portable writes on ${testDialect}`, () => {
  it('R-PAY-1, R-PAY-2, R-OP-4: prepare, two approvals at once (one passes), mark paid, export', async () => {
    const cycleKey = (await d.db.selectFrom('result_payouts').select('cycle_key').executeTakeFirstOrThrow())
      .cycle_key;
    const b = await prepareBatch(d.db, { cycleKey, actor: maker, now: t('2026-06-02 09:00:00') });
    expect(b).toMatchObject({ lines: 3, missingPayee: { lines: 1 } });
    expect(b.totalFen).toBeGreaterThan(0);
    await expect(prepareBatch(d.db, { cycleKey, actor: maker })).rejects.toMatchObject({
      code: 'PAYOUT_CYCLE_HAS_OPEN_BATCH',
    });
    // maker-checker: the preparer cannot approve
    await expect(
      decide(d.db, { batchId: b.batchId, decision: 'approve', reason: '核对无误', actor: maker }),
    ).rejects.toBeInstanceOf(PayoutError);
    // two decisions at once on the revision both saw: exactly one passes (real parallel connections on PostgreSQL)
    const seen = (await batchDetail(d.db, { batchId: b.batchId, offset: 0, limit: 10 })).batch.revision;
    const both = await Promise.allSettled([
      decide(d.db, {
        batchId: b.batchId,
        decision: 'approve',
        reason: '核对无误',
        actor: checker,
        expectedRevision: seen,
      }),
      decide(d.db, {
        batchId: b.batchId,
        decision: 'reject',
        reason: '金额不对',
        actor: actor('c2', 'finance'),
        expectedRevision: seen,
      }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const passed = both.findIndex((r) => r.status === 'fulfilled');
    const detail = await batchDetail(d.db, { batchId: b.batchId, offset: 0, limit: 10 });
    expect(detail.batch.status).toBe(passed === 0 ? 'approved' : 'rejected');
    expect(await entries('payout.')).toHaveLength(2); // prepared, and the one decision that passed
    if (detail.batch.status === 'approved') {
      const paid = await markPaid(d.db, {
        batchId: b.batchId,
        partnerIds: ['P1'],
        actor: checker,
        now: t('2026-06-03 09:00:00'),
      });
      expect(paid.paid).toBe(1);
      const file = await exportPayoutFile(d.db, {
        batchId: b.batchId,
        format: 'csv',
        layout: 'bank',
        actor: checker,
        now: t('2026-06-03 10:00:00'),
      });
      expect(file.rows).toBe(2);
      const exports = await d.db.selectFrom('payout_exports').selectAll().execute();
      expect(exports).toMatchObject([
        { batch_id: b.batchId, sha256: file.sha256, rows: 2, total_fen: file.totalFen },
      ]);
    }
  });

  it('R-LVL-2: a level override is written and revoked once (the decision run audits it)', async () => {
    const w1 = await writeLevelOverride(d.db, {
      partnerId: 'P2',
      level: 'L3',
      startsAt: t('2026-05-01 00:00:00'),
      endsAt: null,
      reason: '大客户',
      createdBy: 'adm',
      createdAt: t('2026-05-01 00:00:00'),
    });
    expect(w1.after).toMatchObject({ level: 'L3', endsAt: null });
    expect(typeof w1.after.overrideId).toBe('number');
    const r = await revokeLevelOverride(d.db, {
      overrideId: w1.after.overrideId,
      at: t('2026-05-02 00:00:00'),
      reason: '撤销',
      revokedBy: 'adm',
    });
    expect(r.partnerId).toBe('P2');
    await expect(
      revokeLevelOverride(d.db, {
        overrideId: w1.after.overrideId,
        at: t('2026-05-03 00:00:00'),
        reason: '再撤销',
        revokedBy: 'adm',
      }),
    ).rejects.toThrow();
  });

  it('R-DISP-1: a dispute is opened and rejected; the queue numbers it', async () => {
    const v = await openDispute(
      d.db,
      { partnerId: 'P1', customerId: 'K2', claim: '客户是我介绍的', claimedAt: t('2026-03-30 10:00:00') },
      actor('sup', 'support'),
      t('2026-06-02 10:00:00'),
    );
    expect(v).toMatchObject({ partnerId: 'P1', customerId: 'K2', status: 'open' });
    expect(typeof v.disputeId).toBe('number');
    const r = await rejectDispute(d.db, v.disputeId, '证据不足', actor('adm'), t('2026-06-02 11:00:00'));
    expect(r.status).toBe('rejected');
    expect((await entries('dispute.')).map((e) => e.entity_id)).toEqual([
      String(v.disputeId),
      String(v.disputeId),
    ]);
  });

  it('R-OP-3: a new rule config version; API sources upsert', async () => {
    const before = (await listConfigVersions(d.db)).length;
    const v = await insertConfigVersion(d.db, {
      config: defaultRuleConfig,
      note: '同样的规则',
      createdBy: 'adm',
      createdAt: 5,
      effectiveFrom: t('2026-07-01 00:00:00'),
    });
    expect(v.version).toBe(before + 1);
    await saveApiSource(
      d.db,
      { source: 'orders', baseUrl: 'https://a.example/api', tokenRef: null },
      actor('adm'),
    );
    await saveApiSource(
      d.db,
      { source: 'orders', baseUrl: 'https://b.example/api', tokenRef: 'env:X' },
      actor('adm'),
    );
    expect(await listApiSources(d.db)).toMatchObject([
      { source: 'orders', base_url: 'https://b.example/api', token_ref: 'env:X' },
    ]);
  });

  it('R-BL-1: the blacklist sorted by frozen money puts an entry without results first (asc) or last (desc), as SQLite does', async () => {
    const entry = (partner_id: string, added_at: number) => ({
      partner_id,
      reason: '刷单',
      added_by: 'adm',
      added_at,
      recorded_at: added_at,
    });
    // P1 has results; PX (not imported yet) has none: its frozen money is unknown (NULL)
    await d.db
      .insertInto('blacklist_entries')
      .values([entry('P1', 1), entry('PX', 2)])
      .execute();
    const order = async (dir: 'asc' | 'desc') =>
      (await listBlacklist(d.db, { status: 'all', sort: 'frozen', dir, limit: 10, offset: 0 }, 3)).rows.map(
        (r) => r.partnerId,
      );
    expect(await order('asc')).toEqual(['PX', 'P1']);
    expect(await order('desc')).toEqual(['P1', 'PX']);
  });

  it('R-SAME-4: shared IPs are found by a prefix of any letter case; % and _ are letters, not wildcards', async () => {
    const mark = (ip: string, marked_at: number) => ({
      ip,
      reason: '公司出口',
      marked_by: 'adm',
      marked_at,
      recorded_at: marked_at,
    });
    await d.db
      .insertInto('shared_ips')
      .values([mark('fe80::1a2b', 1), mark('10.0.0.1', 2), mark('10.0.0_9', 3), mark('100.0.0.1', 4)])
      .execute();
    const found = async (query: string) =>
      (await listMarks(d.db, { status: 'all', query, limit: 10, offset: 0 }, 5)).rows.map((r) => r.ip);
    expect(await found('FE80::1A')).toEqual(['fe80::1a2b']);
    expect(await found('10.0.0')).toEqual(['10.0.0_9', '10.0.0.1']);
    expect(await found('10.0.0_')).toEqual(['10.0.0_9']);
    expect(await found('10%')).toEqual([]);
  });

  it('R-OP-2: after all of it the chain is whole: each entry names the hash of the one before', async () => {
    const rows = (await listAudit(d.db, { limit: 1000, offset: 0, order: 'asc' })).rows;
    expect(rows.length).toBeGreaterThan(5);
    rows.forEach((r, i) => {
      expect(r.audit_id).toBe(i + 1);
      if (i > 0) expect(r.prev_hash).toBe(rows[i - 1].hash);
    });
    let csv = '';
    await exportAudit(d.db, 'csv', (c) => {
      csv += c;
    });
    expect(csv.trim().split('\n')).toHaveLength(rows.length + 1);
  });
});

describe(`operators on ${testDialect}`, () => {
  let e: TestDb;
  beforeAll(async () => {
    e = await openTestDb();
  });
  afterAll(async () => {
    await e?.close();
  });

  it('R-OP-1: the first operator is an admin; a PIN is checked; every addition is audited', async () => {
    await addOperator(e.db, { operatorId: 'ADM1', name: '管理员', role: 'admin', pin: '2468' }, null, 1);
    await addOperator(e.db, { operatorId: 'FIN1', name: '财务', role: 'finance' }, actor('ADM1'), 2);
    expect((await listOperators(e.db)).map((o) => [o.operatorId, o.role, o.hasPin, o.createdAt])).toEqual([
      ['ADM1', 'admin', true, 1],
      ['FIN1', 'finance', false, 2],
    ]);
    await expect(authenticate(e.db, 'ADM1', '0000')).rejects.toMatchObject({ code: 'PIN_WRONG' });
    expect(await authenticate(e.db, 'ADM1', '2468')).toEqual({
      operatorId: 'ADM1',
      role: 'admin',
      name: '管理员',
    });
    const audit = (await listAudit(e.db, { limit: 10, offset: 0, order: 'asc' })).rows;
    expect(audit.map((a) => [a.action, a.entity_id])).toEqual([
      ['operator.bootstrap', 'ADM1'],
      ['operator.add', 'FIN1'],
    ]);
  });

  it.runIf(onPostgres)(
    'R-OP-2: two desks appending audit entries at once both land, one after the other',
    async () => {
      const before = (await listAudit(e.db, { limit: 1, offset: 0 })).total;
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) =>
          e.db
            .transaction()
            .execute((trx) =>
              appendAudit(trx, { actor: actor(`OP${i}`), action: 'test.race', entity: 'x' }, 100 + i),
            ),
        ),
      );
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      const rows = (await listAudit(e.db, { limit: 100, offset: 0, order: 'asc' })).rows;
      expect(rows).toHaveLength(before + 6);
      rows.forEach((r, i) => i > 0 && expect(r.prev_hash).toBe(rows[i - 1].hash));
    },
  );
});
