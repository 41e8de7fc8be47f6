/**
 * Small worlds for engine tests: a store in a temp folder and direct inserts (no importer).
 * Times are `YYYY-MM-DD HH:mm:ss` in Asia/Shanghai or ISO with offset; money is yuan.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../store/open-store';
import { parseInstant } from '../rules/time';
import { ROW_HASH } from '../store/schema/row-hash.sql';

/** Every result table, row by row in a fixed order (incremental and full compare byte for byte, R-RECALC-1). */
export const RESULT_QUERIES = [
  'SELECT * FROM result_orders ORDER BY order_id',
  'SELECT * FROM result_partners ORDER BY partner_id',
  'SELECT * FROM result_payouts ORDER BY partner_id, cycle_key',
  'SELECT * FROM result_levels ORDER BY partner_id, at',
  'SELECT * FROM result_experience ORDER BY group_id, partner_id, order_id, at, source_id, delta',
  'SELECT * FROM result_attributions ORDER BY event_id',
  'SELECT * FROM result_same_person ORDER BY member_kind, member_id',
  'SELECT * FROM result_same_person_edges ORDER BY group_id, a_kind, a_id, b_kind, b_id, evidence, value',
  'SELECT * FROM result_investigation ORDER BY group_id',
  'SELECT * FROM result_investigation_partners ORDER BY group_id, partner_id',
];

/**
 * The stored results of `store` as text: RESULT_QUERIES, then `extra` queries. A team database's
 * row digests (store/schema/row-hash.sql.ts) are left out: they say how a row was written (a full
 * run's carry one, an incremental run's none), not what it holds.
 */
export function resultSnapshot(store: Store, extra: string[] = []): string {
  const results = (q: string) =>
    (store.sqlite.prepare(q).all() as Record<string, unknown>[]).map(
      ({ [ROW_HASH]: _digest, ...row }) => row,
    );
  return [...RESULT_QUERIES, ...extra].map((q) => JSON.stringify(results(q))).join('\n');
}

export function t(text: string): number {
  const v = parseInstant(text);
  if (v === null) throw new Error(`bad time in test: ${text}`);
  return v;
}

const yuanToFen = (y: number | string) => Math.round(Number(String(y).replace(/[¥,\s]/g, '')) * 100);

export interface World {
  store: Store;
  file: string;
  productLine(id: string, eligible: boolean): World;
  salesSubject(id: string): World;
  partner(
    id: string,
    p?: Partial<{
      account: string | null;
      name: string | null;
      phone: string | null;
      idNumber: string | null;
      status: string;
      verifiedAt: string | null;
      /** 收款账号 / 收款户名 / 开户行; default: an account of the partner's own, null: none given */
      payee: { account: string | null; name: string | null; bank: string | null } | null;
    }>,
  ): World;
  customer(
    id: string,
    c?: Partial<{
      name: string | null;
      phone: string | null;
      idNumber: string | null;
      registeredAt: string;
      ip: string | null;
      subject: string | null;
      channel: string | null;
      type: string;
    }>,
  ): World;
  event(
    id: string,
    partner: string,
    customer: string,
    kind: 'register' | 'login' | 'visit',
    at: string,
    ip?: string | null,
  ): World;
  order(
    id: string,
    customer: string,
    at: string,
    paidYuan: number,
    o?: Partial<{ line: string; billing: string; subscription: boolean }>,
  ): World;
  refund(id: string, order: string, at: string, amountYuan: number, kind?: 'refund' | 'downgrade'): World;
  loginIp(account: string, ip: string, at?: string): World;
  /** R-SAME-4: marked shared from `markedAt` (default: always) until `unmarkedAt` */
  sharedIp(ip: string, reason?: string, o?: { markedAt?: string; unmarkedAt?: string }): World;
  blacklist(partner: string, addedAt: string, o?: { liftedAt?: string; restrictPromotion?: boolean }): World;
  override(partner: string, level: string, startsAt: string, endsAt?: string | null): World;
  /** an upheld dispute: `partner` holds `customer` by a manual attribution from `from` (R-DISP-2) */
  manual(
    disputeId: number,
    partner: string,
    customer: string,
    from: string,
    o?: { status?: 'upheld' | 'revoked' | 'open' | 'rejected'; claimedAt?: string },
  ): World;
  close(): Promise<void>;
}

let seq = 0;

/** A fresh store with the three product lines of the scenarios (ecs, rds eligible; cdn not). */
export function world(options: { productLines?: boolean } = {}): World {
  const dir = mkdtempSync(join(tmpdir(), 'yunke-'));
  const file = join(dir, 'store.db');
  const store = openStore(file);
  const db = store.sqlite;
  const w: World = {
    store,
    file,
    productLine(id, eligible) {
      db.prepare(
        'INSERT OR REPLACE INTO product_lines (product_line, name, rebate_eligible) VALUES (?, ?, ?)',
      ).run(id, id, eligible ? 1 : 0);
      return w;
    },
    salesSubject(id) {
      db.prepare('INSERT OR REPLACE INTO sales_subjects (subject_id, owner) VALUES (?, ?)').run(id, 'sales');
      return w;
    },
    partner(id, p = {}) {
      db.prepare(
        'INSERT OR REPLACE INTO partners (partner_id, account_id, name, phone, id_number, status, verified_at, joined_at, payee_account, payee_name, payee_bank) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(
        id,
        p.account === undefined ? `A-${id}` : p.account,
        p.name === undefined ? `partner ${id}` : p.name,
        p.phone === undefined ? `138${String(++seq).padStart(8, '0')}` : p.phone,
        p.idNumber === undefined ? `1101011990${String(++seq).padStart(8, '0')}` : p.idNumber,
        p.status ?? 'active',
        p.verifiedAt === undefined
          ? t('2026-01-01 10:00:00')
          : p.verifiedAt === null
            ? null
            : t(p.verifiedAt),
        t('2026-01-01 10:00:00'),
        p.payee === undefined ? `62220202${String(++seq).padStart(11, '0')}` : (p.payee?.account ?? null),
        p.payee === undefined ? (p.name ?? `partner ${id}`) : (p.payee?.name ?? null),
        p.payee === undefined ? '中国工商银行测试支行' : (p.payee?.bank ?? null),
      );
      return w;
    },
    customer(id, c = {}) {
      db.prepare(
        `INSERT OR REPLACE INTO customers (customer_id, customer_type, name, phone, id_number, registered_at, registration_ip, subject_id, channel)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        id,
        c.type ?? 'individual',
        c.name === undefined ? `customer ${id}` : c.name,
        c.phone === undefined ? `139${String(++seq).padStart(8, '0')}` : c.phone,
        c.idNumber ?? null,
        t(c.registeredAt ?? '2026-01-01 10:00:00'),
        c.ip ?? null,
        c.subject ?? null,
        c.channel ?? 'none',
      );
      return w;
    },
    event(id, partner, customer, kind, at, ip = null) {
      db.prepare(
        'INSERT OR REPLACE INTO referral_events (event_id, partner_id, customer_id, kind, occurred_at, ip) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(id, partner, customer, kind, t(at), ip);
      return w;
    },
    order(id, customer, at, paidYuan, o = {}) {
      db.prepare(
        'INSERT OR REPLACE INTO orders (order_id, customer_id, product_line, billing, subscription, paid_fen, ordered_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(
        id,
        customer,
        o.line ?? 'ecs',
        o.billing ?? 'prepaid',
        o.subscription ? 1 : 0,
        yuanToFen(paidYuan),
        t(at),
      );
      return w;
    },
    refund(id, order, at, amountYuan, kind = 'refund') {
      db.prepare(
        'INSERT OR REPLACE INTO refunds (refund_id, order_id, kind, amount_fen, refunded_at) VALUES (?, ?, ?, ?, ?)',
      ).run(id, order, kind, yuanToFen(amountYuan), t(at));
      return w;
    },
    loginIp(account, ip, at = '2026-01-01 10:00:00') {
      db.prepare('INSERT OR REPLACE INTO login_ips (account_id, ip, seen_at) VALUES (?, ?, ?)').run(
        account,
        ip,
        t(at),
      );
      return w;
    },
    sharedIp(ip, reason = 'campus NAT', o = {}) {
      db.prepare(
        'INSERT INTO shared_ips (ip, reason, marked_by, marked_at, recorded_at, unmarked_by, unmarked_at, unmark_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(
        ip,
        reason,
        'admin',
        o.markedAt ? t(o.markedAt) : 0,
        0,
        o.unmarkedAt ? 'admin' : null,
        o.unmarkedAt ? t(o.unmarkedAt) : null,
        o.unmarkedAt ? 'no longer shared' : null,
      );
      return w;
    },
    blacklist(partner, addedAt, o = {}) {
      db.prepare(
        'INSERT INTO blacklist_entries (partner_id, restrict_promotion, reason, added_by, added_at, recorded_at, lifted_by, lifted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(
        partner,
        o.restrictPromotion === false ? 0 : 1,
        'refund abuse',
        'admin',
        t(addedAt),
        t(addedAt),
        o.liftedAt ? 'admin' : null,
        o.liftedAt ? t(o.liftedAt) : null,
      );
      return w;
    },
    override(partner, level, startsAt, endsAt = null) {
      db.prepare(
        'INSERT INTO level_overrides (partner_id, level, reason, starts_at, ends_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(partner, level, 'campaign', t(startsAt), endsAt ? t(endsAt) : null, 'admin', 0);
      return w;
    },
    manual(disputeId, partner, customer, from, o = {}) {
      const status = o.status ?? 'upheld';
      const granted = status === 'upheld' || status === 'revoked';
      db.prepare(
        `INSERT OR REPLACE INTO disputes (dispute_id, partner_id, customer_id, claim, claimed_at, opened_by, opened_at, status,
           decided_by, decided_at, decision_reason, manual_from, revoked_by, revoked_at, revoke_reason)
         VALUES (?, ?, ?, 'my link', ?, 'support', 0, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        disputeId,
        partner,
        customer,
        t(o.claimedAt ?? from),
        status,
        status === 'open' ? null : 'admin',
        status === 'open' ? null : 1,
        status === 'open' ? null : 'checked',
        granted ? t(from) : null,
        status === 'revoked' ? 'admin' : null,
        status === 'revoked' ? 2 : null,
        status === 'revoked' ? 'mistake' : null,
      );
      return w;
    },
    close: () => store.close(),
  };
  if (options.productLines !== false)
    w.productLine('ecs', true).productLine('rds', true).productLine('cdn', false);
  return w;
}

/** Minimal CSV reader for scenario files (quotes supported, no multi-line fields). */
/** Two partners, three customers each linked by one event, one order each (O1 ¥1,000, O2 ¥500, O3 ¥2,000). */
export function smallWorld(): World {
  const w = world().partner('P1').partner('P2').customer('C1').customer('C2').customer('C3');
  w.event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00')
    .event('E2', 'P2', 'C2', 'login', '2026-03-02 10:00:00')
    .event('E3', 'P1', 'C3', 'register', '2026-05-01 10:00:00')
    .order('O1', 'C1', '2026-03-05 12:00:00', 1000)
    .order('O2', 'C2', '2026-03-06 12:00:00', 500)
    .order('O3', 'C3', '2026-05-02 12:00:00', 2000);
  return w;
}

export function readCsv(text: string): Record<string, string>[] {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const split = (line: string) => {
    const out: string[] = [];
    let cur = '';
    let q = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (q) {
        if (ch === '"' && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (ch === '"') q = false;
        else cur += ch;
      } else if (ch === '"') q = true;
      else if (ch === ',') {
        out.push(cur);
        cur = '';
      } else cur += ch;
    }
    out.push(cur);
    return out.map((s) => s.trim());
  };
  const header = split(lines[0]);
  return lines.slice(1).map((l) => {
    const cells = split(l);
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
}

const bool = (s: string) => ['true', '1', 'yes', '是'].includes(s.trim().toLowerCase());
const time = (s: string) => (s.trim() === '' ? null : t(s));
const nul = (s: string | undefined) => (s === undefined || s.trim() === '' ? null : s.trim());

/** Loads a scenario folder (src/main/rules/scenarios/*) into a store without the importer. */
export function loadScenario(store: Store, dir: string): void {
  const db = store.sqlite;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort();
  const of = (source: string) =>
    files
      .filter((f) => f === `${source}.csv` || f.startsWith(`${source}-`))
      .flatMap((f) => readCsv(readFileSync(join(dir, f), 'utf8')));
  for (const r of of('product_lines'))
    db.prepare(
      'INSERT OR REPLACE INTO product_lines (product_line, name, rebate_eligible) VALUES (?, ?, ?)',
    ).run(r.product_line, r.name, bool(r.rebate_eligible) ? 1 : 0);
  for (const r of of('sales_subjects'))
    db.prepare('INSERT OR REPLACE INTO sales_subjects (subject_id, owner) VALUES (?, ?)').run(
      r.subject_id,
      nul(r.owner),
    );
  for (const r of of('partners'))
    db.prepare(
      'INSERT OR REPLACE INTO partners (partner_id, account_id, name, phone, id_number, status, verified_at, joined_at, payee_account, payee_name, payee_bank) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      r.partner_id,
      nul(r.account_id),
      nul(r.name),
      nul(r.phone),
      nul(r.id_number),
      r.status,
      time(r.verified_at ?? ''),
      time(r.joined_at ?? ''),
      nul(r.payee_account),
      nul(r.payee_name),
      nul(r.payee_bank),
    );
  for (const r of of('customers'))
    db.prepare(
      `INSERT OR REPLACE INTO customers (customer_id, customer_type, name, phone, id_number, registered_at, registration_ip, subject_id, channel)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      r.customer_id,
      nul(r.customer_type),
      nul(r.name),
      nul(r.phone),
      nul(r.id_number),
      t(r.registered_at),
      nul(r.registration_ip),
      nul(r.subject_id),
      nul(r.channel),
    );
  for (const r of of('login_ips'))
    db.prepare('INSERT OR REPLACE INTO login_ips (account_id, ip, seen_at) VALUES (?, ?, ?)').run(
      r.account_id,
      r.ip,
      t(r.seen_at),
    );
  for (const r of of('referral_events'))
    db.prepare(
      'INSERT OR REPLACE INTO referral_events (event_id, partner_id, customer_id, kind, occurred_at, ip) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(r.event_id, r.partner_id, r.customer_id, r.kind, t(r.occurred_at), nul(r.ip));
  for (const r of of('orders'))
    db.prepare(
      'INSERT OR REPLACE INTO orders (order_id, customer_id, product_line, billing, subscription, paid_fen, ordered_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(
      r.order_id,
      r.customer_id,
      r.product_line,
      r.billing,
      bool(r.subscription ?? '') ? 1 : 0,
      yuanToFen(r.paid_amount),
      t(r.ordered_at),
    );
  for (const r of of('refunds'))
    db.prepare(
      'INSERT OR REPLACE INTO refunds (refund_id, order_id, kind, amount_fen, refunded_at) VALUES (?, ?, ?, ?, ?)',
    ).run(r.refund_id, r.order_id, r.kind, yuanToFen(r.amount), t(r.refunded_at));
}

export interface Computed {
  orders: Record<
    string,
    {
      partner_id: string | null;
      status: string;
      reasons: string[];
      rebate_fen: number;
      rebate_status: string | null;
      experience: number;
    }
  >;
  partners: Record<
    string,
    {
      experience: number;
      level: string;
      blacklisted: boolean;
      pending_fen: number;
      confirmed_fen: number;
      frozen_fen: number;
    }
  >;
  attributions: {
    partner_id: string;
    customer_id: string;
    kind: string;
    status: string;
    reasons: string[];
    locked: boolean;
  }[];
}

/** Full recompute at as-of, then the exports of DATA.md keyed by id. */
export async function compute(w: World, asOf = '2026-11-01T00:00:00+08:00'): Promise<Computed> {
  const { recomputeFull } = await import('../engine/recompute');
  const { exportRows } = await import('../export/results');
  recomputeFull(w.store, { asOf: t(asOf) });
  const db = w.store.sqlite;
  return {
    orders: Object.fromEntries(
      exportRows(db, 'orders').rows.map((r) => [r.order_id, r]),
    ) as unknown as Computed['orders'],
    partners: Object.fromEntries(
      exportRows(db, 'partners').rows.map((r) => [r.partner_id, r]),
    ) as unknown as Computed['partners'],
    attributions: exportRows(db, 'attributions').rows as unknown as Computed['attributions'],
  };
}
