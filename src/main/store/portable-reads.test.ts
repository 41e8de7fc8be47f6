// Issue 13: the portable domain modules read a store the same on SQLite and on PostgreSQL. A demo
// store is built and computed on SQLite (the importer and the engine are SQLite-only until the
// storage interface exists), with a payout batch prepared, approved and paid; on PostgreSQL
// (`npm run test:pg`) it is copied into a team database and every read below must give exactly what
// it gives on SQLite. On SQLite (the default run) the same reads run against the store itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAudit } from '../audit/export';
import { auditFacets, listAudit } from '../audit/list';
import { configInEffect, listConfigVersions } from '../config/rule-configs';
import { dashboardSummary, storeIsEmpty } from '../dashboard/summary';
import { dashboardTrends } from '../dashboard/trends';
import { generateDemo } from '../demo/generate';
import { disputeDetail, listDisputes } from '../disputes/disputes';
import { blacklistHistory, listBlacklist, listRisk, riskDetail } from '../investigation/blacklist';
import { groupView, samePersonPath } from '../investigation/group';
import { queuePage } from '../investigation/queue';
import { ipAccounts, listMarks } from '../investigation/shared-ips';
import { levelTable, listOverrides, partnerLevels } from '../levels/ledger';
import { searchOrders, searchPartners } from '../lookup/search';
import { listOperators, operatorCount } from '../operators/operators';
import { decide, markPaid, prepareBatch } from '../payouts/batches';
import { cycleDue } from '../payouts/due';
import { payoutFile } from '../payouts/files';
import { partnerStatement } from '../payouts/statement';
import { batchDetail, dueView, listBatches, listCycles } from '../payouts/views';
import { recomputeFull } from '../engine/recompute';
import { t } from '../test-support/world';
import { listApiSources, listImports, listRejections } from '../sync/history';
import { actor } from '../test-support/actors';
import { onDialect, testDialect, type TestDb } from '../test-support/dialect';
import type { Database } from './database';
import { openStore, type Store } from './open-store';

const asOf = t('2026-11-25 00:00:00');
const now = t('2026-11-26 09:00:00');
let dir: string;
let store: Store;
let d: TestDb;
/** ids picked from the SQLite store: the busiest partner, a paid cycle, a big group … */
const pick = {} as {
  partner: string;
  cycle: string;
  batch: number;
  openCycle: string;
  group: string;
  members: [string, string];
  ip: string;
  phone: string;
  name: string;
  dispute: number;
  importId: number;
  flagged: string;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'yunke-portable-'));
  store = openStore(join(dir, 'store.db'));
  await generateDemo(store, { scale: 0.2, seed: 11, actor: actor('tester') });
  recomputeFull(store, { asOf });
  const one = <T>(q: string) => store.sqlite.prepare(q).pluck().get() as T;
  pick.cycle = one<string>(
    `SELECT cycle_key FROM result_payouts WHERE status = 'due' GROUP BY cycle_key ORDER BY count(*) DESC, cycle_key LIMIT 1`,
  );
  const b = await prepareBatch(store.db, {
    cycleKey: pick.cycle,
    actor: actor('maker', 'finance'),
    now: now - 3,
  });
  await decide(store.db, {
    batchId: b.batchId,
    decision: 'approve',
    reason: '核对无误',
    actor: actor('checker', 'finance'),
    now: now - 2,
  });
  pick.batch = b.batchId;
  pick.partner = one<string>(
    `SELECT partner_id FROM payout_lines WHERE batch_id = ${b.batchId} AND status = 'approved' ORDER BY amount_fen DESC, partner_id LIMIT 1`,
  );
  await markPaid(store.db, {
    batchId: b.batchId,
    partnerIds: [pick.partner],
    actor: actor('checker', 'finance'),
    now: now - 1,
  });
  pick.openCycle = one<string>(
    `SELECT cycle_key FROM result_payouts WHERE cycle_key <> '${pick.cycle}' GROUP BY cycle_key ORDER BY count(*) DESC, cycle_key LIMIT 1`,
  );
  pick.group = one<string>('SELECT group_id FROM result_investigation ORDER BY size DESC, group_id LIMIT 1');
  const members = store.sqlite
    .prepare(`SELECT member_kind || ':' || member_id FROM result_same_person WHERE group_id = ? ORDER BY 1`)
    .pluck()
    .all(pick.group) as string[];
  pick.members = [members[0], members[members.length - 1]];
  pick.ip = one<string>('SELECT ip FROM shared_ips ORDER BY mark_id LIMIT 1');
  pick.phone = one<string>(
    'SELECT phone FROM customers WHERE phone IS NOT NULL ORDER BY customer_id LIMIT 1',
  );
  pick.name = one<string>('SELECT name FROM partners WHERE name IS NOT NULL ORDER BY partner_id LIMIT 1');
  pick.dispute = one<number>('SELECT dispute_id FROM disputes ORDER BY dispute_id LIMIT 1');
  pick.importId = one<number>('SELECT import_id FROM imports ORDER BY import_id DESC LIMIT 1');
  pick.flagged =
    one<string>('SELECT partner_id FROM result_partners WHERE risk_flag = 1 ORDER BY partner_id LIMIT 1') ??
    pick.partner;
  d = await onDialect(store);
}, 300_000);

afterAll(async () => {
  await d?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

type Db = Kysely<Database>;
const page = { limit: 50, offset: 0 };
const text = async (db: Db, format: 'csv' | 'jsonl') => {
  let out = '';
  await exportAudit(db, format, (c) => {
    out += c;
  });
  return out;
};

/** name → a read of the store; each must find something, and give the same on both dialects. */
const reads: [string, (db: Db) => Promise<unknown>][] = [
  ['audit: list, newest first', (db) => listAudit(db, { ...page })],
  [
    'audit: list of one action prefix, oldest first',
    (db) => listAudit(db, { ...page, action: 'payout.', order: 'asc' }),
  ],
  ['audit: facets', (db) => auditFacets(db)],
  ['audit: CSV export', (db) => text(db, 'csv')],
  ['audit: JSONL export', (db) => text(db, 'jsonl')],
  ['operators: list and count', async (db) => [await listOperators(db), await operatorCount(db)]],
  [
    'config: versions and the one in effect',
    async (db) => [await listConfigVersions(db), await configInEffect(db, now)],
  ],
  ['dashboard: summary', async (db) => [await storeIsEmpty(db), await dashboardSummary(db, 'store.db')]],
  ['dashboard: weekly trends', (db) => dashboardTrends(db, { now })],
  ['lookup: orders by partner', (db) => searchOrders(db, { partnerId: pick.partner, ...page }, true)],
  ['lookup: orders by phone', (db) => searchOrders(db, { query: pick.phone, ...page }, false)],
  ['lookup: valid orders, unmasked', (db) => searchOrders(db, { status: 'valid', ...page }, false)],
  [
    'lookup: partners by id prefix and by name',
    async (db) => [
      await searchPartners(db, pick.partner.slice(0, -1), true),
      await searchPartners(db, pick.name, false),
    ],
  ],
  ['payouts: cycles', (db) => listCycles(db)],
  [
    'payouts: what is due in an open cycle',
    async (db) => [
      await cycleDue(db, pick.openCycle),
      await dueView(db, { cycleKey: pick.openCycle, ...page }),
    ],
  ],
  [
    'payouts: batches and a batch',
    async (db) => [
      await listBatches(db, {}),
      await batchDetail(db, { batchId: pick.batch, ...page }),
      await batchDetail(db, { batchId: pick.batch, status: 'paid', ...page }),
    ],
  ],
  [
    'payouts: a partner statement',
    (db) => partnerStatement(db, { partnerId: pick.partner, cycleKey: pick.cycle }),
  ],
  [
    'payouts: the bank file of the approved batch',
    async (db) => {
      const f = await payoutFile(db, pick.batch, 'csv', 'bank');
      return { ...f, bytes: f.bytes.toString('base64') };
    },
  ],
  [
    'investigation: the queue by stake and by size',
    async (db) => [
      await queuePage(db, { sort: 'stake', dir: 'desc', ...page }),
      await queuePage(db, { sort: 'size', dir: 'asc', minSize: 3, ...page }),
      await queuePage(db, { sort: 'group', dir: 'asc', evidence: 'phone', ...page }),
    ],
  ],
  [
    'investigation: a group and a same-person path',
    async (db) => [
      await groupView(db, { groupId: pick.group, hubMin: 5, lang: 'zh-CN' }, false),
      await samePersonPath(db, pick.members[0] as never, pick.members[1] as never, true, 'en'),
    ],
  ],
  [
    'investigation: blacklist, its history',
    async (db) => [
      await listBlacklist(db, { status: 'all', sort: 'since', dir: 'desc', ...page }, now),
      await listBlacklist(db, { status: 'active', sort: 'frozen', dir: 'desc', ...page }, now),
      await blacklistHistory(db, pick.partner, now),
    ],
  ],
  [
    'investigation: risk flags',
    async (db) => [
      await listRisk(db, { status: 'all', sort: 'partner', dir: 'asc', ...page }),
      await riskDetail(db, pick.flagged),
    ],
  ],
  [
    'investigation: shared IPs',
    async (db) => [
      await listMarks(db, { status: 'all', ...page }, now),
      await listMarks(db, { status: 'active', query: pick.ip.slice(0, 4), ...page }, now),
      await ipAccounts(db, pick.ip, now, false),
    ],
  ],
  [
    'levels: table, a partner, overrides',
    async (db) => [await levelTable(db), await partnerLevels(db, pick.partner), await listOverrides(db, {})],
  ],
  [
    'disputes: the queue and a case',
    async (db) => [
      await listDisputes(db, {}, 50, 0, now),
      await listDisputes(db, { status: 'open' }, 10, 0, now),
      await disputeDetail(db, pick.dispute, now),
    ],
  ],
  [
    'sync: imports, rejections, API sources',
    async (db) => [
      await listImports(db, page),
      await listRejections(db, { importId: pick.importId, ...page }),
      await listApiSources(db),
    ],
  ],
];

describe(`the portable reads on ${testDialect} give what they give on SQLite`, () => {
  for (const [name, read] of reads)
    it(name, async () => {
      const here = await read(d.db);
      expect(JSON.stringify(here).length).toBeGreaterThan(20); // found something
      if (d.dialect !== 'sqlite') expect(here).toEqual(await read(store.db));
    });
});
