import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/open-store';
import { DEMO_FROM, DEMO_UNTIL } from './calendar';
import { generateDemo, type DemoCounts } from './generate';
import { idCheckDigit } from './identity';
import { actor } from '../test-support/actors';
import { cliProcess } from '../test-support/cli-process';
import Database from 'better-sqlite3';

const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'yunke-'));
let n = 0;
const newStore = () => openStore(join(dir, `demo-${++n}.db`));

/** Every table the demo writes, in a stable order, minus the wall-clock columns of the import history. */
const DUMPS = [
  'SELECT * FROM product_lines ORDER BY product_line',
  'SELECT * FROM sales_subjects ORDER BY subject_id',
  'SELECT * FROM partners ORDER BY partner_id',
  'SELECT * FROM customers ORDER BY customer_id',
  'SELECT * FROM login_ips ORDER BY account_id, ip, seen_at',
  'SELECT * FROM referral_events ORDER BY event_id',
  'SELECT * FROM orders ORDER BY order_id',
  'SELECT * FROM refunds ORDER BY refund_id',
  'SELECT * FROM operators ORDER BY operator_id',
  // (recorded_at columns: when the load recorded the decisions, the wall clock)
  'SELECT entry_id, partner_id, restrict_promotion, reason, added_by, added_at, lifted_by, lifted_at, lift_reason FROM blacklist_entries ORDER BY entry_id',
  'SELECT * FROM level_overrides ORDER BY override_id',
  'SELECT mark_id, ip, reason, marked_by, marked_at, unmarked_by, unmarked_at, unmark_reason FROM shared_ips ORDER BY mark_id',
  // when the load was recorded (and so the hashes) is the wall clock; what it records is not
  "SELECT audit_id, effective_at, operator_id, role, action, entity, entity_id, reason, before_json, after_json FROM audit_log WHERE action <> 'demo.load' ORDER BY audit_id",
  'SELECT import_id, source, origin, file_name, rows_added, operator_id, status FROM imports ORDER BY import_id',
];
function dump(store: Store): string {
  return DUMPS.map((q) => JSON.stringify(store.sqlite.prepare(q).raw().all())).join('\n');
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('demo generator at scale 0.2', () => {
  let store: Store;
  let counts: DemoCounts;
  const progress: string[] = [];
  const all = <T>(sql: string, ...params: unknown[]) => store.sqlite.prepare(sql).all(...params) as T[];
  const one = (sql: string, ...params: unknown[]) =>
    store.sqlite
      .prepare(sql)
      .pluck()
      .get(...params) as number;

  beforeAll(async () => {
    store = newStore();
    counts = await generateDemo(store, {
      scale: 0.2,
      seed: 42,
      actor: actor('tester'),
      onProgress: (p) => progress.push(p.table),
    });
  });
  afterAll(() => store.close());

  it('writes about scale × the nominal counts', () => {
    expect(counts.partners).toBe(200);
    expect(counts.customers).toBe(5_000);
    expect(counts.referralEvents).toBeGreaterThan(20_000 * 0.95);
    expect(counts.referralEvents).toBeLessThan(20_000 * 1.05);
    expect(counts.orders).toBeGreaterThan(10_000 * 0.95);
    expect(counts.orders).toBeLessThan(10_000 * 1.05);
    expect(counts.refunds).toBeGreaterThan(500 * 0.9);
    expect(counts.refunds).toBeLessThan(500 * 1.1);
    expect(one('SELECT COUNT(*) FROM orders')).toBe(counts.orders);
    expect(one('SELECT COUNT(*) FROM referral_events')).toBe(counts.referralEvents);
    expect(counts.loginIps).toBeGreaterThan(counts.customers);
    expect(counts.salesSubjects).toBeGreaterThan(0);
    expect(progress).toContain('customers');
  });

  it('records one committed demo import per source, by the operator who loaded it', () => {
    const rows = all<{
      source: string;
      origin: string;
      status: string;
      rows_added: number;
      operator_id: string;
    }>('SELECT source, origin, status, rows_added, operator_id FROM imports ORDER BY source');
    expect(rows.map((r) => r.source)).toEqual([
      'customers',
      'login_ips',
      'orders',
      'partners',
      'product_lines',
      'referral_events',
      'refunds',
      'sales_subjects',
    ]);
    expect(
      rows.every((r) => r.origin === 'demo' && r.status === 'committed' && r.operator_id === 'tester'),
    ).toBe(true);
    expect(rows.find((r) => r.source === 'orders')?.rows_added).toBe(counts.orders);
    expect(one('SELECT COUNT(*) FROM orders WHERE import_id IS NULL')).toBe(0);
  });

  it('keeps every instant inside 2026-01-01 … 2026-11-20 (Shanghai), in whole seconds', () => {
    const columns = [
      ['partners', 'joined_at'],
      ['partners', 'verified_at'],
      ['customers', 'registered_at'],
      ['referral_events', 'occurred_at'],
      ['orders', 'ordered_at'],
      ['refunds', 'refunded_at'],
      ['login_ips', 'seen_at'],
    ];
    for (const [table, column] of columns) {
      const r = store.sqlite
        .prepare(
          `SELECT MIN(${column}) lo, MAX(${column}) hi, SUM(${column} % 1000 != 0) frac, SUM(typeof(${column}) NOT IN ('integer', 'null')) bad FROM ${table}`,
        )
        .get() as { lo: number; hi: number; frac: number; bad: number };
      expect(r.lo, `${table}.${column}`).toBeGreaterThanOrEqual(DEMO_FROM);
      expect(r.hi, `${table}.${column}`).toBeLessThan(DEMO_UNTIL);
      expect(r.frac + r.bad, `${table}.${column}`).toBe(0);
    }
    // activity follows the day: most events between 08:00 and 24:00 Shanghai time
    const night = one(
      `SELECT AVG(((occurred_at + 8 * 3600000) % ${DAY}) < 7 * 3600000) FROM referral_events`,
    );
    expect(night).toBeLessThan(0.12);
  });

  it('stores money as integer fen, never more than was paid', () => {
    expect(one(`SELECT COUNT(*) FROM orders WHERE typeof(paid_fen) != 'integer' OR paid_fen < 0`)).toBe(0);
    expect(one(`SELECT COUNT(*) FROM refunds WHERE typeof(amount_fen) != 'integer' OR amount_fen <= 0`)).toBe(
      0,
    );
    expect(
      one(`SELECT COUNT(*) FROM (SELECT r.order_id FROM refunds r JOIN orders o USING (order_id)
           GROUP BY r.order_id HAVING SUM(r.amount_fen) > MAX(o.paid_fen))`),
    ).toBe(0);
    expect(
      one(
        `SELECT COUNT(*) FROM refunds r JOIN orders o USING (order_id) WHERE r.refunded_at <= o.ordered_at`,
      ),
    ).toBe(0);
    // 包年包月 at the catalogue prices
    const subs = all<{ paid_fen: number }>(
      `SELECT DISTINCT paid_fen FROM orders WHERE subscription = 1 AND billing = 'prepaid'`,
    ).map((r) => r.paid_fen);
    expect(subs).toEqual(expect.arrayContaining([9_900, 60_000, 120_000, 360_000]));
  });

  it('has every kind of order the rules distinguish (R-ORDER, R-EXCL-2)', () => {
    const kinds = all<{ billing: string; eligible: number; zero: number; sub: number; n: number }>(
      `SELECT billing, p.rebate_eligible eligible, paid_fen = 0 zero, subscription sub, COUNT(*) n
       FROM orders o JOIN product_lines p USING (product_line) GROUP BY 1, 2, 3, 4`,
    );
    const count = (f: (k: (typeof kinds)[number]) => boolean) => kinds.filter(f).reduce((s, k) => s + k.n, 0);
    expect(count((k) => k.billing === 'prepaid' && k.eligible === 1 && !k.zero)).toBeGreaterThan(
      counts.orders * 0.3,
    );
    expect(count((k) => k.billing === 'postpaid')).toBeGreaterThan(counts.orders * 0.15);
    expect(count((k) => k.eligible === 0)).toBeGreaterThan(counts.orders * 0.1);
    expect(count((k) => k.zero === 1)).toBeGreaterThan(0);
    expect(count((k) => k.sub === 1)).toBeGreaterThan(counts.orders * 0.1);
    // both sides of the product catalogue
    expect(
      all(`SELECT product_line FROM product_lines WHERE rebate_eligible = 1`).length,
    ).toBeGreaterThanOrEqual(4);
    expect(
      all(`SELECT product_line FROM product_lines WHERE rebate_eligible = 0`).length,
    ).toBeGreaterThanOrEqual(3);
    // repeat buyers, and customers who bought before any partner touched them (R-EXCL-1)
    expect(
      one(`SELECT COUNT(*) FROM (SELECT customer_id FROM orders GROUP BY 1 HAVING COUNT(*) > 1)`),
    ).toBeGreaterThan(500);
    expect(
      one(`SELECT COUNT(*) FROM orders o JOIN product_lines p USING (product_line)
           WHERE p.rebate_eligible = 1 AND o.paid_fen > 0
             AND o.ordered_at < (SELECT MIN(occurred_at) FROM referral_events e WHERE e.customer_id = o.customer_id)`),
    ).toBeGreaterThan(50);
  });

  it('has full and partial refunds, inside and outside the 30-day window (R-CLAW-1/2)', () => {
    const rows = all<{ kind: string; inside: number; n: number }>(
      `SELECT r.kind, (r.refunded_at - o.ordered_at) < 30 * ${DAY} inside, COUNT(*) n
       FROM refunds r JOIN orders o USING (order_id) GROUP BY 1, 2`,
    );
    for (const kind of ['refund', 'downgrade'])
      for (const inside of [0, 1])
        expect(rows.find((r) => r.kind === kind && r.inside === inside)?.n ?? 0).toBeGreaterThan(5);
    expect(
      one(
        `SELECT COUNT(*) FROM refunds r JOIN orders o USING (order_id) WHERE r.refunded_at - o.ordered_at = 30 * ${DAY}`,
      ),
    ).toBeGreaterThan(0);
    expect(
      one(
        `SELECT COUNT(*) FROM refunds r JOIN orders o USING (order_id) WHERE r.kind = 'downgrade' AND r.amount_fen >= o.paid_fen`,
      ),
    ).toBe(0);
  });

  it('has the attribution situations of R-ATTR: locked attempts, last touch, expiry, inactive partners', () => {
    // another partner's login less than 30 days after a registration (LOCKED_BY_OTHER_PARTNER)
    const locked = one(`SELECT COUNT(*) FROM referral_events l JOIN referral_events r
        ON r.customer_id = l.customer_id AND r.kind = 'register' AND l.kind = 'login' AND l.partner_id != r.partner_id
       AND l.occurred_at > r.occurred_at AND l.occurred_at < r.occurred_at + 30 * ${DAY}`);
    // … and after the lock expired
    const afterLock = one(`SELECT COUNT(*) FROM referral_events l JOIN referral_events r
        ON r.customer_id = l.customer_id AND r.kind = 'register' AND l.kind = 'login' AND l.partner_id != r.partner_id
       AND l.occurred_at >= r.occurred_at + 30 * ${DAY}`);
    // two partners' logins within 30 days of each other on an account nobody registered (last touch)
    const lastTouch = one(`SELECT COUNT(*) FROM referral_events a JOIN referral_events b
        ON a.customer_id = b.customer_id AND a.kind = 'login' AND b.kind = 'login' AND a.partner_id != b.partner_id
       AND b.occurred_at > a.occurred_at AND b.occurred_at < a.occurred_at + 30 * ${DAY}
       WHERE NOT EXISTS (SELECT 1 FROM referral_events r WHERE r.customer_id = a.customer_id AND r.kind = 'register')`);
    expect(locked).toBeGreaterThan(50);
    expect(afterLock).toBeGreaterThan(50);
    expect(lastTouch).toBeGreaterThan(50);
    expect(all(`SELECT DISTINCT kind FROM referral_events ORDER BY 1`)).toEqual([
      { kind: 'login' },
      { kind: 'register' },
      { kind: 'visit' },
    ]);
    // R-JOIN-1: some events name applied or suspended partners
    expect(
      one(
        `SELECT COUNT(*) FROM referral_events e JOIN partners p USING (partner_id) WHERE p.status != 'active'`,
      ),
    ).toBeGreaterThan(0);
    // R-BL-2: a restricted partner keeps promoting after being blacklisted
    expect(
      one(`SELECT COUNT(*) FROM referral_events e JOIN blacklist_entries b USING (partner_id)
           WHERE b.restrict_promotion = 1 AND b.lifted_at IS NULL AND e.occurred_at > b.added_at`),
    ).toBeGreaterThan(0);
    // R-ATTR-4c / R-EXCL-4: sales-owned subjects and channel-served customers get link events
    expect(
      one(`SELECT COUNT(DISTINCT e.customer_id) FROM referral_events e JOIN customers c USING (customer_id)
           JOIN sales_subjects s ON s.subject_id = c.subject_id`),
    ).toBeGreaterThan(5);
    expect(
      all(`SELECT DISTINCT channel FROM customers ORDER BY 1`).map((r) => (r as { channel: string }).channel),
    ).toEqual(['agent', 'none', 'paid_channel', 'sales']);
  });

  it('overlaps identities on purpose (R-SAME-1): phone, ID + name, account, IP', () => {
    // a partner's own phone on a customer account (self-referral, 自己注册新账号推广自己)
    expect(
      one(`SELECT COUNT(*) FROM customers c JOIN partners p ON p.phone = c.phone
           JOIN referral_events e ON e.customer_id = c.customer_id AND e.partner_id = p.partner_id`),
    ).toBeGreaterThan(5);
    // the partner's own account logs in through their link
    expect(
      one(`SELECT COUNT(*) FROM customers c JOIN partners p ON p.account_id = c.customer_id`),
    ).toBeGreaterThan(0);
    // customers who are the same person as an older customer (R-SAME-3)
    expect(
      one(`SELECT COUNT(*) FROM (SELECT id_number, name FROM customers WHERE id_number IS NOT NULL AND customer_type = 'individual'
           GROUP BY 1, 2 HAVING COUNT(*) > 1)`),
    ).toBeGreaterThan(20);
    expect(
      one(
        `SELECT COUNT(*) FROM (SELECT phone FROM customers WHERE customer_type = 'individual' GROUP BY 1 HAVING COUNT(*) > 1)`,
      ),
    ).toBeGreaterThan(20);
    // a company's several accounts share its credit code and name
    expect(
      one(`SELECT COUNT(*) FROM (SELECT id_number, name FROM customers WHERE customer_type = 'enterprise'
           GROUP BY 1, 2 HAVING COUNT(*) > 1)`),
    ).toBeGreaterThan(10);
    // shared IPs: campus / carrier / office NAT with many accounts, and a partner's home IP on customers
    expect(
      one(
        `SELECT COUNT(*) FROM (SELECT ip FROM login_ips GROUP BY ip HAVING COUNT(DISTINCT account_id) >= 10)`,
      ),
    ).toBeGreaterThan(5);
    expect(
      one(`SELECT COUNT(*) FROM customers c JOIN partners p ON p.account_id != c.customer_id
        JOIN login_ips l ON l.account_id = p.account_id AND l.ip = c.registration_ip`),
    ).toBeGreaterThan(5);
    // R-SAME-4: some of those addresses are marked shared by an admin, some are not
    const sharedMarked = one(`SELECT COUNT(*) FROM shared_ips s WHERE s.marked_by = 'demo-admin'`);
    expect(sharedMarked).toBeGreaterThan(2);
    expect(
      one(`SELECT COUNT(*) FROM (SELECT ip FROM login_ips WHERE ip NOT IN (SELECT ip FROM shared_ips)
           GROUP BY ip HAVING COUNT(DISTINCT account_id) >= 5)`),
    ).toBeGreaterThan(0);
    // unrelated people never collide by accident: distinct fresh identities
    expect(one(`SELECT COUNT(*) FROM (SELECT phone FROM partners GROUP BY 1 HAVING COUNT(*) > 1)`)).toBe(0);
  });

  it('looks like real people: names, 11-digit phones, valid 身份证, IPv4', () => {
    const rows = all<{ name: string; phone: string; id_number: string | null; registration_ip: string }>(
      `SELECT name, phone, id_number, registration_ip FROM customers WHERE customer_type = 'individual' LIMIT 2000`,
    );
    const bad = rows.filter(
      (r) =>
        !/^[\u4e00-\u9fa5]{2,4}$/.test(r.name) ||
        !/^1[3589]\d{9}$/.test(r.phone) ||
        (r.id_number !== null && r.id_number[17] !== idCheckDigit(r.id_number.slice(0, 17))) ||
        !/^\d{1,3}(\.\d{1,3}){3}$/.test(r.registration_ip),
    );
    expect(bad).toEqual([]);
    expect(
      one(`SELECT COUNT(*) FROM customers WHERE customer_type = 'enterprise' AND name NOT LIKE '%公司'`),
    ).toBe(0);
    const statuses = all<{ status: string; n: number }>(`SELECT status, COUNT(*) n FROM partners GROUP BY 1`);
    expect(statuses.find((s) => s.status === 'active')!.n).toBeGreaterThan(counts.partners * 0.8);
    expect(statuses.map((s) => s.status).sort()).toEqual(['active', 'applied', 'suspended']);
    expect(one(`SELECT COUNT(*) FROM partners WHERE status = 'applied' AND verified_at IS NOT NULL`)).toBe(0);
  });

  it('R-PAY-1: most partners have given payee details (a bank card in their own name), some none (MISSING_PAYEE)', () => {
    const payees = all<{ partner_id: string; name: string; acc: string; pname: string; bank: string }>(
      `SELECT partner_id, name, payee_account acc, payee_name pname, payee_bank bank FROM partners
       WHERE payee_account IS NOT NULL`,
    );
    const active = one(`SELECT COUNT(*) FROM partners WHERE status = 'active'`);
    expect(payees.length).toBeGreaterThan(active * 0.85);
    expect(payees.length).toBeLessThan(counts.partners);
    const luhn = (s: string) =>
      [...s].reverse().reduce((sum, c, i) => {
        const d = +c * (i % 2 ? 2 : 1);
        return sum + (d > 9 ? d - 9 : d);
      }, 0) %
        10 ===
      0;
    const bad = payees.filter(
      (p) =>
        !/^62\d{14,17}$/.test(p.acc) || !luhn(p.acc) || p.pname !== p.name || !/银行.+支行$/.test(p.bank),
    );
    expect(bad).toEqual([]);
    expect(new Set(payees.map((p) => p.acc)).size).toBe(payees.length);
    // all three or none
    expect(
      one(
        `SELECT COUNT(*) FROM partners WHERE (payee_account IS NULL) <> (payee_name IS NULL) OR (payee_name IS NULL) <> (payee_bank IS NULL)`,
      ),
    ).toBe(0);
  });

  it('adds a few admin decisions by demo operators (R-BL, R-LVL-2, R-SAME-4), each in the audit log', () => {
    expect(one(`SELECT COUNT(*) FROM blacklist_entries`)).toBeGreaterThanOrEqual(2);
    expect(one(`SELECT COUNT(*) FROM blacklist_entries WHERE lifted_at IS NOT NULL`)).toBe(1);
    expect(one(`SELECT COUNT(*) FROM level_overrides`)).toBe(2);
    expect(
      one(
        `SELECT COUNT(*) FROM blacklist_entries b LEFT JOIN partners p USING (partner_id) WHERE p.partner_id IS NULL`,
      ),
    ).toBe(0);
    expect(all(`SELECT role FROM operators WHERE operator_id LIKE 'demo-%' ORDER BY role`)).toEqual([
      { role: 'admin' },
      { role: 'finance' },
      { role: 'support' },
    ]);
    expect(one(`SELECT COUNT(*) FROM audit_log`)).toBe(
      one(`SELECT COUNT(*) FROM blacklist_entries`) +
        one(`SELECT COUNT(*) FROM blacklist_entries WHERE lifted_at IS NOT NULL`) +
        one(`SELECT COUNT(*) FROM level_overrides`) +
        one(`SELECT COUNT(*) FROM shared_ips`) +
        one(`SELECT COUNT(*) FROM disputes`) + // opened
        one(`SELECT COUNT(*) FROM disputes WHERE decided_at IS NOT NULL`) +
        one(`SELECT COUNT(*) FROM disputes WHERE revoked_at IS NOT NULL`) +
        1, // the load itself (demo.load)
    );
    // R-OP-2: recorded by the load, in the order the decisions were taken; effective from each
    // decision's instant (an upheld dispute: from its manual attribution's start, R-DISP-2)
    const taken = all<{ taken: number }>(
      `SELECT CASE a.action WHEN 'dispute.open' THEN d.opened_at WHEN 'dispute.revoke' THEN d.revoked_at
         WHEN 'dispute.uphold' THEN d.decided_at WHEN 'dispute.reject' THEN d.decided_at ELSE a.effective_at END AS taken
       FROM audit_log a LEFT JOIN disputes d ON a.entity = 'dispute' AND d.dispute_id = CAST(a.entity_id AS INTEGER)
       WHERE a.action <> 'demo.load' ORDER BY a.audit_id`,
    ).map((r) => r.taken);
    expect(taken).toEqual([...taken].sort((x, y) => x - y));
    expect(
      one(
        `SELECT COUNT(*) FROM audit_log a JOIN disputes d ON d.dispute_id = CAST(a.entity_id AS INTEGER)
         WHERE a.action = 'dispute.uphold' AND a.effective_at <> d.manual_from`,
      ),
    ).toBe(0);
    expect(one(`SELECT COUNT(*) FROM audit_log WHERE action = 'demo.load' AND role = 'admin'`)).toBe(1);
  });

  it('has attribution disputes (R-DISP-1): about 40 per 25,000 customers, mostly open, some upheld, rejected or revoked', () => {
    const n = one(`SELECT COUNT(*) FROM disputes`);
    expect(n).toBe(counts.disputes);
    expect(n).toBeGreaterThan(40 * 0.2 * 0.6);
    expect(n).toBeLessThan(40 * 0.2 * 1.6);
    expect(one(`SELECT COUNT(*) FROM disputes WHERE status = 'open'`)).toBeGreaterThan(n / 2);
    expect(one(`SELECT COUNT(*) FROM disputes WHERE status IN ('upheld', 'revoked')`)).toBeGreaterThan(0);
    // every case names a real partner and customer, and an order of that customer when it names one
    expect(
      one(
        `SELECT COUNT(*) FROM disputes d LEFT JOIN partners p USING (partner_id) LEFT JOIN customers c USING (customer_id)
         LEFT JOIN orders o ON o.order_id = d.order_id
         WHERE p.partner_id IS NULL OR c.customer_id IS NULL OR (d.order_id IS NOT NULL AND o.customer_id IS NOT d.customer_id)`,
      ),
    ).toBe(0);
    // opened after the instant claimed, decided after opened, by the demo's support and admin
    expect(
      one(
        `SELECT COUNT(*) FROM disputes WHERE opened_at < claimed_at OR decided_at <= opened_at OR revoked_at <= decided_at
           OR opened_by NOT IN ('demo-support', 'demo-admin') OR (decided_by IS NOT NULL AND decided_by <> 'demo-admin')`,
      ),
    ).toBe(0);
  });
});

describe('demo generator determinism and safety', () => {
  it('gives byte-identical tables for the same seed, different ones for another seed', async () => {
    const a = newStore();
    const b = newStore();
    const c = newStore();
    try {
      await generateDemo(a, { scale: 0.05, seed: 7, actor: actor('x'), batchRows: 1_000 });
      await generateDemo(b, { scale: 0.05, seed: 7, actor: actor('x') });
      await generateDemo(c, { scale: 0.05, seed: 8, actor: actor('x') });
      const da = dump(a);
      expect(dump(b)).toBe(da);
      expect(dump(c)).not.toBe(da);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('scales the counts with the scale, fractional scales included', async () => {
    const s = newStore();
    try {
      const counts = await generateDemo(s, { scale: 0.05, seed: 1, actor: actor('x') });
      expect(counts.partners).toBe(50);
      expect(counts.customers).toBe(1_250);
      expect(counts.referralEvents / 5_000).toBeCloseTo(1, 1);
      expect(counts.orders / 2_500).toBeCloseTo(1, 1);
      expect(counts.refunds).toBeGreaterThan(100);
      expect(counts.refunds).toBeLessThan(150);
    } finally {
      await s.close();
    }
  });

  it('refuses a store that already holds partners or orders, unless told to write anyway', async () => {
    const s = newStore();
    try {
      s.sqlite
        .prepare(
          `INSERT INTO orders (order_id, customer_id, product_line, billing, subscription, paid_fen, ordered_at)
        VALUES ('O1', 'C1', 'ecs', 'prepaid', 0, 100, 0)`,
        )
        .run();
      await expect(generateDemo(s, { scale: 0.01, seed: 1, actor: actor('x') })).rejects.toMatchObject({
        code: 'DEMO_STORE_NOT_EMPTY',
      });
      expect(s.sqlite.prepare('SELECT COUNT(*) FROM imports').pluck().get()).toBe(0);
      const counts = await generateDemo(s, { scale: 0.01, seed: 1, actor: actor('x'), allowNonEmpty: true });
      expect(counts.partners).toBe(10);
      expect(s.sqlite.prepare(`SELECT COUNT(*) FROM orders WHERE order_id = 'O1'`).pluck().get()).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('a second load into a store while one is under way is refused, not written between its rows', async () => {
    const file = join(dir, `demo-${++n}.db`);
    const a = openStore(file);
    const b = openStore(file);
    try {
      let second: Promise<unknown> | null = null;
      const first = generateDemo(a, {
        scale: 0.05,
        seed: 1,
        actor: actor('x'),
        batchRows: 200,
        // once the first has written a batch, another desk starts one
        onProgress: () => {
          second ??= generateDemo(b, { scale: 0.05, seed: 2, actor: actor('y') }).then(
            () => 'written',
            (e: unknown) => e,
          );
        },
      });
      await first;
      expect(await second).toMatchObject({
        code: 'DEMO_LOAD_UNDER_WAY',
        message: expect.stringMatching(/demo \(seed 1, scale 0\.05\).*is writing into this store/),
      });
      // the store holds the first load, whole, and nothing of the second
      const only = newStore();
      await generateDemo(only, { scale: 0.05, seed: 1, actor: actor('x') });
      expect(dump(a)).toBe(dump(only));
      expect(
        a.sqlite.prepare("SELECT COUNT(*) FROM imports WHERE file_name LIKE '%seed 2%'").pluck().get(),
      ).toBe(0);
      await only.close();
      // once it has ended, a load is refused because the store holds data
      await expect(generateDemo(b, { scale: 0.05, seed: 2, actor: actor('y') })).rejects.toMatchObject({
        code: 'DEMO_STORE_NOT_EMPTY',
      });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('unended import rows of a load that stopped more than 10 minutes ago, on an empty store, do not hold loads back', async () => {
    const unended = (store: Store, minutesAgo: number) =>
      store.sqlite
        .prepare(
          `INSERT INTO imports (source, origin, file_name, operator_id, started_at, status) VALUES ('partners', 'demo', 'demo (seed 9, scale 1): partners', 'x', ?, 'failed')`,
        )
        .run(Date.now() - minutesAgo * 60_000);
    const s = newStore();
    const t = newStore();
    try {
      unended(s, 11);
      expect((await generateDemo(s, { scale: 0.01, seed: 1, actor: actor('x') })).partners).toBe(10);
      unended(t, 1);
      await expect(generateDemo(t, { scale: 0.01, seed: 1, actor: actor('x') })).rejects.toMatchObject({
        code: 'DEMO_LOAD_UNDER_WAY',
      });
    } finally {
      await s.close();
      await t.close();
    }
  });

  it('two demo commands on one store file at once: one writes, the other is refused, not written between its rows', async () => {
    const file = join(dir, `demo-${++n}.db`);
    await openStore(file).close();
    // this connection holds the file's write lock while both commands start: each finds it taken
    // at its first write and waits (the command line's busy timeout) until it is let go
    const holder = new Database(file);
    holder.exec('BEGIN IMMEDIATE');
    const loads = [1, 2].map((seed) =>
      cliProcess(['demo', '--db', file, '--scale', '0.02', '--seed', String(seed), '--no-recompute']),
    );
    // (time for both processes to start and reach their first write)
    await new Promise((r) => setTimeout(r, 6000));
    holder.exec('COMMIT');
    holder.close();
    const done = await Promise.all(loads);
    expect(done.map((r) => r.code).sort()).toEqual([0, 1]);
    const refused = done.find((r) => r.code === 1)!;
    // under way, or (when the first was done before the second had the lock) already written
    expect(refused.err).toMatch(
      /Another demo load \(demo \(seed \d, scale 0\.02\).* is writing into this store|already holds 20 partners/,
    );
    const written = done.findIndex((r) => r.code === 0) + 1;
    const s = openStore(file);
    try {
      expect(
        s.sqlite
          .prepare('SELECT DISTINCT status, file_name LIKE ? FROM imports')
          .raw()
          .all(`%seed ${written},%`),
      ).toEqual([['committed', 1]]);
      expect(s.sqlite.prepare('SELECT COUNT(*) FROM partners').pluck().get()).toBe(20);
    } finally {
      await s.close();
    }
  }, 120_000);

  it('rejects a scale outside (0, 100]', async () => {
    const s = newStore();
    try {
      await expect(generateDemo(s, { scale: 0, seed: 1, actor: actor('x') })).rejects.toMatchObject({
        code: 'DEMO_BAD_SCALE',
      });
    } finally {
      await s.close();
    }
  });
});
