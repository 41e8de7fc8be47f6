/**
 * Throwaway stores for the e2e specs: a fresh SQLite file in a temp folder, created through the
 * app's own openStore (so migrations are the real ones), seeded with known rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/main/store/open-store';

export interface TempStore {
  dir: string;
  file: string;
  remove(): void;
}

export type Seed = (store: Store) => void;

/** The operator the specs act as unless they say otherwise (an admin without a PIN). */
export const E2E_ADMIN = { id: 'e2e-admin', name: '测试管理员' } as const;

/**
 * A throwaway store, seeded; with the e2e admin as its operator unless `operator: false` (an empty
 * store, as on first start, where the app asks for the first operator).
 */
export async function createTempStore(seed?: Seed, options: { operator?: boolean } = {}): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), 'yunke-e2e-'));
  const file = join(dir, 'store.db');
  const store = openStore(file);
  try {
    if (options.operator !== false)
      store.sqlite
        .prepare("INSERT INTO operators (operator_id, name, role, created_at) VALUES (?, ?, 'admin', 0)")
        .run(E2E_ADMIN.id, E2E_ADMIN.name);
    if (seed) store.sqlite.transaction(() => seed(store))();
  } finally {
    await store.close();
  }
  return { dir, file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** 2026-11-20 10:30 in Asia/Shanghai. */
export const SMALL_IMPORT_AT = Date.UTC(2026, 10, 20, 2, 30);

/** What seedSmall writes, as the dashboard should show it. */
export const SMALL = {
  partners: 3,
  customers: 5,
  referralEvents: 4,
  orders: 6,
  refunds: 1,
  validOrders: 3,
  rebateFen: 174_332, // ¥1,743.32
  pendingFen: 123_456, // ¥1,234.56
  confirmedFen: 1_000_000, // ¥10,000.00
  frozenFen: 50_000, // ¥500.00
  blacklistedPartners: 1,
  samePersonGroups: 1,
  importAt: SMALL_IMPORT_AT,
} as const;

type Row = Record<string, string | number | null>;

/**
 * Inserts rows naming only the columns the test cares about; any other NOT NULL column without a
 * default gets a neutral value (0 or ''), so the seed survives schema additions by other domains.
 */
function insert(sqlite: Store['sqlite'], table: string, rows: Row[]): void {
  const columns = sqlite.prepare(`PRAGMA table_info(${table})`).all() as {
    name: string;
    type: string;
    notnull: number;
    dflt_value: unknown;
    pk: number;
  }[];
  for (const row of rows) {
    const full: Row = { ...row };
    for (const c of columns) {
      if (c.name in full || !c.notnull || c.dflt_value !== null || c.pk) continue;
      full[c.name] = c.type.toUpperCase() === 'TEXT' ? '' : 0;
    }
    const names = Object.keys(full);
    sqlite
      .prepare(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`)
      .run(...names.map((n) => full[n]));
  }
}

/** A handful of rows with known counts and engine results (see SMALL). */
export const seedSmall: Seed = ({ sqlite }) => {
  const t0 = Date.UTC(2026, 9, 1);
  const partner = (partner_id: string, name: string): Row => ({
    partner_id,
    account_id: 'A' + partner_id,
    name,
    status: 'active',
    verified_at: t0,
    joined_at: t0,
  });
  insert(sqlite, 'product_lines', [
    { product_line: 'ecs', name: '云服务器', rebate_eligible: 1 },
    { product_line: 'sms', name: '短信', rebate_eligible: 0 },
  ]);
  insert(sqlite, 'partners', [partner('P001', '王芳'), partner('P002', '李强'), partner('P003', '张伟')]);
  insert(
    sqlite,
    'customers',
    ['陈静', '刘洋', '杨磊', '赵敏', '黄涛'].map((name, i) => ({
      customer_id: `C00${i + 1}`,
      name,
      registered_at: t0,
    })),
  );
  insert(sqlite, 'referral_events', [
    { event_id: 'E1', partner_id: 'P001', customer_id: 'C001', kind: 'register', occurred_at: t0 },
    { event_id: 'E2', partner_id: 'P001', customer_id: 'C002', kind: 'register', occurred_at: t0 },
    { event_id: 'E3', partner_id: 'P002', customer_id: 'C003', kind: 'login', occurred_at: t0 },
    { event_id: 'E4', partner_id: 'P003', customer_id: 'C004', kind: 'register', occurred_at: t0 },
  ]);
  const order = (order_id: string, customer_id: string, product_line: string, paid_fen: number): Row => ({
    order_id,
    customer_id,
    product_line,
    billing: 'prepaid',
    subscription: 0,
    paid_fen,
    ordered_at: t0,
  });
  insert(sqlite, 'orders', [
    order('O1', 'C001', 'ecs', 617_280),
    order('O2', 'C002', 'ecs', 250_000),
    order('O3', 'C003', 'ecs', 4_380),
    order('O4', 'C004', 'sms', 10_000),
    order('O5', 'C005', 'ecs', 20_000),
    order('O6', 'C004', 'ecs', 30_000),
  ]);
  insert(sqlite, 'refunds', [
    { refund_id: 'R1', order_id: 'O2', kind: 'partial', amount_fen: 50_000, refunded_at: t0 },
  ]);
  insert(sqlite, 'engine_runs', [
    {
      config_version: 3,
      as_of: SMALL_IMPORT_AT,
      mode: 'full',
      started_at: SMALL_IMPORT_AT + 60_000,
      duration_ms: 1_200,
    },
  ]);
  const result = (
    order_id: string,
    customer_id: string,
    partner_id: string | null,
    status: string,
    rebate_fen: number,
  ): Row => ({
    order_id,
    customer_id,
    partner_id,
    status,
    rebate_fen,
  });
  insert(sqlite, 'result_orders', [
    result('O1', 'C001', 'P001', 'valid', 123_456),
    result('O2', 'C002', 'P001', 'valid', 50_000),
    result('O3', 'C003', 'P002', 'valid', 876),
    result('O4', 'C004', 'P003', 'ineligible', 0),
    result('O5', 'C005', null, 'not_attributed', 0),
    result('O6', 'C004', 'P003', 'excluded', 0),
  ]);
  insert(sqlite, 'result_partners', [
    {
      partner_id: 'P001',
      experience: 12,
      level: 'L2',
      blacklisted: 0,
      pending_fen: 123_456,
      confirmed_fen: 1_000_000,
      frozen_fen: 0,
    },
    {
      partner_id: 'P002',
      experience: 1,
      level: 'L1',
      blacklisted: 0,
      pending_fen: 0,
      confirmed_fen: 0,
      frozen_fen: 0,
    },
    {
      partner_id: 'P003',
      experience: 3,
      level: 'L1',
      blacklisted: 1,
      pending_fen: 0,
      confirmed_fen: 0,
      frozen_fen: 50_000,
    },
  ]);
  insert(sqlite, 'result_same_person', [
    { member_kind: 'partner', member_id: 'P003', group_id: 'G1' },
    { member_kind: 'customer', member_id: 'C004', group_id: 'G1' },
  ]);
  insert(sqlite, 'imports', [
    {
      source: 'orders',
      origin: 'file',
      file_name: 'orders-2026-11-20.csv',
      operator_id: 'e2e',
      started_at: SMALL_IMPORT_AT,
      status: 'committed',
    },
  ]);
};
