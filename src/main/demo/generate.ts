/**
 * The demo dataset generator (`yunke-desk demo`, `demo.load`): a realistic, deterministic world
 * of partners, customers, referral events, orders and refunds that exercises every rule of
 * RULES.md — locked registrations and last-touch logins, sales-owned subjects, blacklisted and
 * inactive partners, same-person overlaps, ineligible / postpaid / zero orders, subscriptions for
 * experience stacking, refunds inside and outside the clawback window.
 *
 * Streaming: partners are kept in memory (≈ 20k at scale 20); every customer is generated with
 * its whole story (events, orders, refunds) and written at once, so memory stays flat whatever
 * the scale. Only small ring buffers of recent customers and companies are kept for overlaps.
 */
import { appendAuditSync } from '../audit/append';
import type { Actor } from '../audit/chain';
import { formatInstant } from '../rules/time';
import { ApiError } from '../api/errors';
import type { Store } from '../store/open-store';
import { writeDemoAdminDecisions, type DemoAdminPlan, type DemoDispute } from './admin';
import { draftOrder, PRODUCT_LINES, type OrderDraft, type OrderKind } from './catalog';
import { clampSecond, DAY, DEMO_DAYS, DEMO_FROM, DEMO_UNTIL, HOUR, instantOnDay, shanghai } from './calendar';
import {
  CARRIER_GATEWAY_IPS,
  chineseName,
  companyName,
  COWORKING_IPS,
  payeeDetails,
  uniqueCreditCode,
  uniqueIdNumber,
  uniqueIp,
  uniquePhone,
  UNIVERSITY_IPS,
} from './identity';
import { Rng, Weighted } from './prng';
import { PgSyncPort } from '../store/pg-sync/pg-sync-port';
import { PgDemoWriter } from './pg-writer';
import { SOURCE_TABLES, SqliteDemoWriter, type SourceTable } from './sqlite-writer';

/** What the generator needs of a bulk writer (sqlite-writer.ts, pg-writer.ts). */
type DemoWriter = Pick<SqliteDemoWriter, 'insert' | 'full' | 'commit' | 'rollback' | 'counts'>;

export interface DemoOptions {
  /** 1 ≈ 1,000 partners, 25,000 customers, 100,000 events, 50,000 orders, 2,500 refunds. */
  scale: number;
  seed: number;
  /** who loads the demo: recorded in the import history and the audit log */
  actor: Actor;
  onProgress?: (p: { table: string; rows: number }) => void;
  /** Write even when the store already holds partners or orders (rows with the same ids are replaced). */
  allowNonEmpty?: boolean;
  /** Rows per transaction (default 50,000). */
  batchRows?: number;
}

export interface DemoCounts {
  partners: number;
  customers: number;
  referralEvents: number;
  orders: number;
  refunds: number;
  loginIps: number;
  productLines: number;
  salesSubjects: number;
  /** attribution disputes (R-DISP-1), and how many are still open */
  disputes: number;
  openDisputes: number;
}

export const DEMO_OPERATORS = {
  admin: 'demo-admin',
  finance: 'demo-finance',
  support: 'demo-support',
} as const;

/** Thrown when the store already holds data and the caller did not allow writing into it. */
export class DemoStoreNotEmptyError extends ApiError {
  constructor(details: { partners: number; orders: number }) {
    super(
      'DEMO_STORE_NOT_EMPTY',
      `数据库中已有 ${details.partners} 个云客和 ${details.orders} 个订单，演示数据只能写入空数据库，请选择新的数据库文件（或空的团队数据库）。 / ` +
        `The store already holds ${details.partners} partners and ${details.orders} orders; the demo is only written ` +
        `into an empty store. Choose a new store file (or an empty team database).`,
      details,
    );
  }
}

/**
 * A store file: how long a demo load's unended import rows say it is under way: its first rows are
 * committed within seconds, after which the store is no longer empty; older ones, on an empty store,
 * are of a load whose process stopped before it wrote anything (or before it could record its
 * failure). (The processes that share a store file share its machine's clock.)
 */
const DEMO_UNDER_WAY_MS = 10 * 60_000;

/**
 * A team database: the session advisory lock ('ykdm') a demo load holds on its connection from its
 * check of the store to its end. Another desk's load finds it taken and is refused, whatever the two
 * desks' clocks say and however long the first waits for the write lock between its batches; a load
 * whose desk stopped let go of it with its connection, so its unended import rows hold nothing back.
 * Two loads through one connection (one desk) are told apart by `pgLoadsUnderWay`.
 */
export const DEMO_LOAD_LOCK = 0x796b646d;
const pgLoadsUnderWay = new WeakSet<PgSyncPort>();

/** The newest demo load's import row that has not ended: its name and start, or undefined. */
function unendedLoad(db: Store['sqlite'], since: number): [string, number] | undefined {
  return db
    .prepare(
      "SELECT file_name, started_at FROM imports WHERE origin = 'demo' AND status = 'failed' AND duration_ms = 0 AND started_at >= ? ORDER BY started_at DESC LIMIT 1",
    )
    .raw()
    .get(since) as [string, number] | undefined;
}

/** Thrown when another demo load into the same store has begun and not ended (see above). */
export class DemoLoadUnderWayError extends ApiError {
  /** `holder`: a team database's desk holding the load's lock (`name · address · pid N`), or '' */
  constructor(load: [importName: string, startedAt: number] | undefined, teamDatabase: boolean, holder = '') {
    const zh = [
      ...(load ? [load[0], `始于 ${formatInstant(load[1])}`] : []),
      ...(holder ? [`由 ${holder}`] : []),
    ];
    const en = [
      ...(load ? [load[0], `begun ${formatInstant(load[1])}`] : []),
      ...(holder ? [`by ${holder}`] : []),
    ];
    const which = zh.length > 0 ? `（${zh.join('，')}）` : '';
    const whichEn = en.length > 0 ? ` (${en.join(', ')})` : '';
    super(
      'DEMO_LOAD_UNDER_WAY',
      `另一次演示数据载入${which}正在写入此数据库，完成后数据库将不再为空；请选择新的数据库文件（或空的团队数据库）。` +
        (teamDatabase ? '' : `若它在写入任何数据之前已停止，它在开始后 10 分钟内仍会阻止新的载入。`) +
        ` / Another demo load${whichEn} is writing into this store, which will then not be empty; ` +
        `choose a new store file (or an empty team database).` +
        (teamDatabase
          ? ''
          : ` A load stopped before it wrote anything holds others back for 10 minutes from its start.`),
      { ...(load ? { importName: load[0], startedAt: load[1] } : {}), ...(holder ? { holder } : {}) },
    );
  }
}

export async function generateDemo(store: Store, options: DemoOptions): Promise<DemoCounts> {
  const { scale, seed } = options;
  if (!Number.isFinite(scale) || scale <= 0 || scale > 100) {
    throw new ApiError(
      'DEMO_BAD_SCALE',
      `规模必须在 (0, 100] 之间，收到 ${scale} / scale must be in (0, 100], got ${scale}`,
    );
  }
  if (!Number.isInteger(seed))
    throw new ApiError('DEMO_BAD_SEED', `种子必须是整数 / seed must be an integer`);
  const sqlite = store.sqlite;
  // Import history: the real time of the load (not part of the generated world).
  const startedAt = Date.now();
  const label = `demo (seed ${seed}, scale ${scale})`;
  const importIds = {} as Record<SourceTable, number>;
  // the store is found empty and the load's import rows written in one write transaction: a second
  // load (another desk, another command) waits for it, then finds this one under way and is refused,
  // instead of writing its rows between this one's. Under way: on a team database, holding
  // DEMO_LOAD_LOCK; in a store file, its import rows not yet ended (a duration of at least 1 ms is
  // written when it ends, committed or failed) and begun within DEMO_UNDER_WAY_MS
  const team = sqlite instanceof PgSyncPort ? sqlite : null;
  let holdsLock = false;
  const letGo = () => {
    if (!holdsLock || !team) return;
    holdsLock = false;
    pgLoadsUnderWay.delete(team);
    try {
      team.query('SELECT pg_advisory_unlock($1)', [DEMO_LOAD_LOCK]);
    } catch {
      // a connection that is gone holds no lock
    }
  };
  try {
    sqlite
      .transaction(() => {
        if (!options.allowNonEmpty) {
          if (team) {
            const free =
              !pgLoadsUnderWay.has(team) &&
              team.query('SELECT pg_try_advisory_lock($1)', [DEMO_LOAD_LOCK]).rows[0][0] === 1;
            if (!free) {
              // the desk holding the lock when it can be seen (the newest unended load of the import
              // history may be one that crashed); else that load
              const holder = team.holderOf(DEMO_LOAD_LOCK);
              throw new DemoLoadUnderWayError(holder ? undefined : unendedLoad(sqlite, 0), true, holder);
            }
            holdsLock = true;
            pgLoadsUnderWay.add(team);
          } else {
            const underWay = unendedLoad(sqlite, startedAt - DEMO_UNDER_WAY_MS);
            if (underWay !== undefined) throw new DemoLoadUnderWayError(underWay, false);
          }
          const existing = sqlite
            .prepare(
              'SELECT (SELECT COUNT(*) FROM partners) AS partners, (SELECT COUNT(*) FROM orders) AS orders',
            )
            .get() as { partners: number; orders: number };
          if (existing.partners > 0 || existing.orders > 0) throw new DemoStoreNotEmptyError(existing);
        }
        const op = sqlite.prepare(
          'INSERT OR IGNORE INTO operators (operator_id, name, role, created_at) VALUES (?, ?, ?, ?)',
        );
        op.run(DEMO_OPERATORS.admin, '周敏（演示管理员）', 'admin', DEMO_FROM);
        op.run(DEMO_OPERATORS.finance, '陈静（演示财务）', 'finance', DEMO_FROM);
        op.run(DEMO_OPERATORS.support, '刘洋（演示客服）', 'support', DEMO_FROM);
        const imp = sqlite.prepare(
          `INSERT INTO imports (source, origin, file_name, operator_id, started_at, status) VALUES (?, 'demo', ?, ?, ?, 'failed')`,
        );
        for (const t of SOURCE_TABLES) {
          importIds[t] = Number(
            imp.run(t, `${label}: ${t}`, options.actor.operatorId, startedAt).lastInsertRowid,
          );
        }
      })
      .immediate();
    return await writeDemo(store, options, importIds, startedAt);
  } finally {
    letGo();
  }
}

/** The load itself, after its check (generateDemo): every source, the admin decisions, the record. */
async function writeDemo(
  store: Store,
  options: DemoOptions,
  importIds: Record<SourceTable, number>,
  startedAt: number,
): Promise<DemoCounts> {
  const { scale, seed } = options;
  const sqlite = store.sqlite;
  // a team database: COPY (pg-writer.ts); a store file: prepared statements
  const writer: DemoWriter =
    sqlite instanceof PgSyncPort
      ? new PgDemoWriter(sqlite, importIds, options.batchRows ?? 50_000)
      : new SqliteDemoWriter(sqlite, importIds, options.batchRows ?? 50_000);
  const world = new DemoWorld(seed, scale, writer);
  const report = (table: SourceTable) => options.onProgress?.({ table, rows: writer.counts[table] });
  const flush = async (table: SourceTable) => {
    writer.commit();
    report(table);
    await new Promise<void>((resolve) => setImmediate(resolve)); // keep the app's main process responsive
  };
  try {
    world.writeProductLines();
    for (let p = 0; p < world.partnerCount; p++) {
      world.writePartner(p);
      if (writer.full) await flush('partners');
    }
    await flush('partners');
    const plan = world.planAdminDecisions();
    for (let i = 0; i < world.customerCount; i++) {
      world.writeCustomer(i);
      if (writer.full) await flush('customers');
    }
    world.writeOrphanSalesSubjects();
    await flush('customers');
    plan.disputes = world.disputes;
    sqlite.transaction(() => writeDemoAdminDecisions(sqlite, plan))();
  } catch (e) {
    // the load's own error is the one to tell: a rollback or a record that fails after it (a
    // broken connection) is not; unrecorded, its import rows stop saying it is under way after
    // DEMO_UNDER_WAY_MS
    try {
      writer.rollback();
    } catch {
      // nothing more of the load is committed: the connection is gone
    }
    try {
      sqlite
        .prepare(
          `UPDATE imports SET duration_ms = ? WHERE import_id IN (${SOURCE_TABLES.map(() => '?').join(',')})`,
        )
        .run(Math.max(1, Date.now() - startedAt), ...SOURCE_TABLES.map((t) => importIds[t]));
    } catch {
      // see above
    }
    throw e;
  }
  const duration = Math.max(1, Date.now() - startedAt); // (0: under way, see above)
  const done = sqlite.prepare(
    `UPDATE imports SET rows_added = ?, duration_ms = ?, status = 'committed' WHERE import_id = ?`,
  );
  sqlite.transaction(() => {
    for (const t of SOURCE_TABLES) done.run(writer.counts[t], duration, importIds[t]);
    appendAuditSync(sqlite, {
      actor: options.actor,
      action: 'demo.load',
      entity: 'store',
      entityId: null,
      after: { seed, scale, rows: writer.counts, imports: SOURCE_TABLES.map((t) => importIds[t]) },
    });
  })();
  for (const t of SOURCE_TABLES) report(t);
  const c = writer.counts;
  return {
    partners: c.partners,
    customers: c.customers,
    referralEvents: c.referral_events,
    orders: c.orders,
    refunds: c.refunds,
    loginIps: c.login_ips,
    productLines: c.product_lines,
    salesSubjects: c.sales_subjects,
    disputes: world.disputes.length,
    openDisputes: world.disputes.filter((d) => !d.decision).length,
  };
}

// ---------------------------------------------------------------------------------------------

interface Partner {
  id: string;
  accountId: string;
  name: string;
  phone: string;
  idNumber: string;
  status: 'active' | 'applied' | 'suspended';
  verifiedAt: number | null;
  joinedAt: number;
  homeIp: string;
  /** Runs a same-IP ring of fake accounts (R-SAME-1 IP evidence, R-ATTR-4a). */
  ring: boolean;
  ownAccountUsed: boolean;
}

interface Company {
  name: string;
  creditCode: string;
  phone: string;
  officeIp: string;
  subjectId: string;
}

/** What a later account of the same person can copy (R-SAME-3). */
interface PastCustomer {
  name: string;
  phone: string;
  idNumber: string | null;
  subjectId: string | null;
  registeredAt: number;
}

interface Customer {
  id: string;
  type: 'individual' | 'enterprise';
  name: string;
  phone: string | null;
  idNumber: string | null;
  registeredAt: number;
  ip: string;
  subjectId: string | null;
  channel: 'none' | 'sales' | 'agent' | 'paid_channel';
  /** Event IPs: the registration IP, or now and then a phone's mobile address. */
  mobileIps: boolean;
}

interface Event {
  partner: number;
  kind: 'register' | 'login' | 'visit';
  at: number;
  ip: string;
  /** set when written */
  id?: string;
}

type Story = 'own-account' | 'self-new' | 'ring' | 'same-as-older' | 'enterprise' | 'individual';

const STORIES = new Weighted<Story>([
  ['own-account', 0.3],
  ['self-new', 0.5],
  ['ring', 0.6],
  ['same-as-older', 4],
  ['enterprise', 12],
  ['individual', 82.6],
]);

const ORDERS_PER_CUSTOMER = new Weighted<number>([
  [0, 28],
  [1, 26],
  [2, 16],
  [3, 10],
  [4, 6],
  [5, 4],
  [6, 3],
  [8, 3],
  [10, 2],
  [15, 1.5],
  [25, 0.5],
]);

const ORDER_KINDS = new Weighted<OrderKind>([
  ['prepaid-eligible', 44],
  ['postpaid', 36],
  ['prepaid-ineligible', 15],
  ['zero', 5],
]);
const FIRST_ORDER_KINDS = new Weighted<OrderKind>([
  ['prepaid-eligible', 72],
  ['postpaid', 12],
  ['prepaid-ineligible', 10],
  ['zero', 6],
]);

const SALES_TEAMS = [
  '华北大客户部',
  '华东大客户部',
  '华南大客户部',
  '西南区域销售',
  '政企事业部',
  '互联网行业部',
];

function fnvHex(text: string, salt: number): string {
  let a = 0x811c9dc5 ^ salt;
  let b = 0x01000193 ^ (salt >>> 3);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const pickOrUndefined = <T>(rng: Rng, list: T[]): T | undefined => (list.length ? rng.pick(list) : undefined);

class DemoWorld {
  readonly partnerCount: number;
  readonly customerCount: number;
  private readonly targetEvents: number;
  private readonly targetOrders: number;
  private readonly targetRefunds: number;

  private readonly rng: Rng;
  /** a stream of its own for disputes, so that they leave the rest of the world as it was */
  private readonly disputeRng: Rng;
  private readonly targetDisputes: number;
  readonly disputes: DemoDispute[] = [];
  private readonly salt: number;
  private personCounter = 0;
  private ipCounter = 0;
  private eventCounter = 0;
  private orderCounter = 0;
  private refundCounter = 0;
  private companyCounter = 0;

  private readonly partners: Partner[] = [];
  /** joinedAt made non-decreasing by index, for "partners whose link existed by t". */
  private readonly joinedMax: Float64Array;
  private readonly ringPartners: number[] = [];
  private readonly riskyPartners = new Set<number>();
  private readonly recentCustomers: PastCustomer[] = [];
  private readonly recentCompanies: Company[] = [];

  constructor(
    seed: number,
    private readonly scale: number,
    private readonly writer: DemoWriter,
  ) {
    this.rng = new Rng(seed);
    this.disputeRng = new Rng(seed ^ 0x44495350);
    // about 2 cases a day at scale 20: 40 a year per 25,000 customers
    this.targetDisputes = Math.round(40 * scale);
    this.salt = Math.floor(this.rng.next() * 0x7fffffff);
    this.partnerCount = Math.max(1, Math.round(1000 * scale));
    this.customerCount = Math.max(1, Math.round(25_000 * scale));
    this.targetEvents = Math.round(100_000 * scale);
    this.targetOrders = Math.round(50_000 * scale);
    this.targetRefunds = Math.round(2_500 * scale);
    this.joinedMax = new Float64Array(this.partnerCount);
  }

  writeProductLines(): void {
    for (const l of PRODUCT_LINES) this.writer.insert('product_lines', [l.id, l.name, l.eligible ? 1 : 0]);
  }

  private freshPerson(): { name: string; phone: string; idNumber: string } {
    const k = this.personCounter++;
    const { idNumber, male } = uniqueIdNumber(k, this.salt);
    return { name: chineseName(this.rng, male), phone: uniquePhone(k, this.salt), idNumber };
  }

  private freshIp(): string {
    return uniqueIp(this.ipCounter++, this.salt);
  }

  private subjectOf(idNumber: string, enterprise: boolean): string {
    return (enterprise ? 'EN' : 'RN') + fnvHex(idNumber, this.salt);
  }

  /** R-ATTR-4c: subjects already developed by the cloud's own sales. */
  private addSalesSubject(subjectId: string): void {
    this.writer.insert('sales_subjects', [
      subjectId,
      `${this.rng.pick(SALES_TEAMS)}·${chineseName(this.rng, this.rng.chance(0.6))}`,
    ]);
  }

  writePartner(p: number): void {
    const rng = this.rng;
    const x = (p + rng.next()) / this.partnerCount;
    // 15% joined in the launch week and a half, the rest over the year, fewer and fewer.
    const dayF = x < 0.15 ? (x / 0.15) * 10 : 10 + Math.pow((x - 0.15) / 0.85, 1.4) * (DEMO_DAYS - 14);
    const joinedAt = instantOnDay(rng, Math.min(DEMO_DAYS - 1, Math.floor(dayF)));
    this.joinedMax[p] = Math.max(joinedAt, p > 0 ? this.joinedMax[p - 1] : 0);
    const u = rng.next();
    let status: Partner['status'] = u < 0.07 ? 'applied' : u < 0.11 ? 'suspended' : 'active';
    let verifiedAt: number | null =
      status === 'applied' ? null : clampSecond(joinedAt + rng.int(600, 3 * 86_400) * 1000);
    if (verifiedAt === null) status = 'applied'; // joined on the last days: not verified yet
    if (status === 'applied') verifiedAt = null;
    const person = this.freshPerson();
    const partner: Partner = {
      id: `YK${100001 + p}`,
      accountId: String(1_100_000_000_000_000 + p * 1013 + (this.salt % 1000)),
      ...person,
      status,
      verifiedAt,
      joinedAt,
      homeIp: this.freshIp(),
      ring: status === 'active' && rng.chance(0.015),
      ownAccountUsed: false,
    };
    this.partners.push(partner);
    if (partner.ring) this.ringPartners.push(p);
    // payee details from a stream of their own (the rest of the demo does not move): most
    // verified partners have given them, a few have not yet (their payout lines are held,
    // MISSING_PAYEE), nor have most of those not yet verified
    const payRng = new Rng(this.salt ^ (p * 2_654_435_761));
    const hasPayee = payRng.chance(status === 'applied' ? 0.3 : 0.93);
    const payee = hasPayee ? payeeDetails(payRng, p, partner.name) : null;
    this.writer.insert('partners', [
      partner.id,
      partner.accountId,
      partner.name,
      partner.phone,
      partner.idNumber,
      partner.status,
      partner.verifiedAt,
      partner.joinedAt,
      payee?.account ?? null,
      payee?.name ?? null,
      payee?.bank ?? null,
    ]);
    // IP evidence of the partner's own account: home broadband, now and then a phone.
    this.writer.insert('login_ips', [partner.accountId, partner.homeIp, joinedAt]);
    for (let n = rng.int(1, 3); n > 0; n--) {
      const seen = clampSecond(this.daytime(joinedAt + rng.range(0, DEMO_UNTIL - joinedAt), joinedAt));
      if (seen !== null) this.writer.insert('login_ips', [partner.accountId, partner.homeIp, seen]);
    }
    if (rng.chance(0.3)) {
      const seen = clampSecond(this.daytime(joinedAt + rng.range(0, DEMO_UNTIL - joinedAt), joinedAt));
      if (seen !== null) this.writer.insert('login_ips', [partner.accountId, this.freshIp(), seen]);
    }
  }

  /**
   * Moves an instant to a time of day that follows the daily rhythm (same Shanghai day), so
   * offsets like "3 to 20 days later" do not put a third of the activity at night. Keeps t when
   * the new time would leave [lo, hi).
   */
  private daytime(t: number, lo: number, hi = DEMO_UNTIL): number {
    const day = Math.floor((t - DEMO_FROM) / DAY);
    if (day < 0 || day >= DEMO_DAYS) return t;
    const s = instantOnDay(this.rng, day);
    return s >= lo && s < hi ? s : t;
  }

  /** Number of partners whose link existed (joined 2 days or more) by t. */
  private partnersLiveBy(t: number): number {
    let lo = 0;
    let hi = this.partnerCount;
    const limit = t - 2 * DAY;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.joinedMax[mid] <= limit) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** A partner promoting at t: early joiners are the popular ones (a few reach L3/L4). */
  private pickPartner(t: number, not = -1): number {
    const live = this.partnersLiveBy(t);
    if (live === 0) return -1;
    for (let attempt = 0; attempt < 4; attempt++) {
      // three in four pick any live partner, one in four strongly favours the earliest ones
      const u = this.rng.next();
      const p = Math.floor(live * (this.rng.chance(0.75) ? u : u * u * u));
      if (p === not) continue;
      // inactive partners get some traffic (R-JOIN-1 failures), but less
      if (this.partners[p].status !== 'active' && attempt < 2 && this.rng.chance(0.7)) continue;
      return p;
    }
    return -1;
  }

  planAdminDecisions(): DemoAdminPlan {
    // the most popular active partners are the ones an admin would have looked at
    const active: number[] = [];
    for (let p = 0; p < this.partnerCount && active.length < 40; p++)
      if (this.partners[p].status === 'active') active.push(p);
    const at = (i: number) => (active.length ? active[i % active.length] : -1);
    const ring = this.ringPartners.find((p) => p < this.partnerCount / 2 && p !== at(2)) ?? at(7);
    const plan: DemoAdminPlan = {
      operators: DEMO_OPERATORS,
      blacklist: [],
      overrides: [],
      sharedIps: [],
    };
    const used = new Set<number>();
    const partnerId = (p: number) => this.partners[p].id;
    const add = (p: number, f: () => void) => {
      if (p >= 0 && !used.has(p)) {
        used.add(p);
        f();
      }
    };
    // R-CLAW-4 → R-BL: a refund abuser, reviewed and blacklisted (promotion restricted)
    add(at(2), () => {
      this.riskyPartners.add(at(2));
      plan.blacklist.push({
        partnerId: partnerId(at(2)),
        restrictPromotion: true,
        reason: '风险复核：近90天多名客户首单退款（R-CLAW-4），疑似返利套利，冻结返利并限制推广',
        addedAt: shanghai(8, 20, 15, 30),
      });
    });
    // a same-IP ring of self-registered accounts
    add(ring, () =>
      plan.blacklist.push({
        partnerId: partnerId(ring),
        restrictPromotion: true,
        reason: '同一IP批量注册新账号并自我推广（同人），违反推广规则',
        addedAt: shanghai(6, 10, 11, 0),
      }),
    );
    // blacklisted by mistake, lifted after an appeal (R-BL-3: frozen rewards are released)
    add(at(5), () =>
      plan.blacklist.push({
        partnerId: partnerId(at(5)),
        restrictPromotion: false,
        reason: '客户投诉：推广页面宣传与实际优惠不符',
        addedAt: shanghai(4, 1, 10, 0),
        lifted: { at: shanghai(5, 15, 16, 20), reason: '申诉材料核实无误，宣传页已整改，解除黑名单' },
      }),
    );
    // flagged by refunds but not (yet) blacklisted: the admin decides (R-CLAW-4)
    add(at(9), () => this.riskyPartners.add(at(9)));
    add(at(12), () =>
      plan.overrides.push({
        partnerId: partnerId(at(12)),
        level: 'L3',
        reason: '战略合作伙伴：技术社区头部作者，签约期内按金牌云客结算',
        startsAt: shanghai(3, 1),
        endsAt: null,
      }),
    );
    add(at(20), () =>
      plan.overrides.push({
        partnerId: partnerId(at(20)),
        level: 'L2',
        reason: '暑期校园推广活动扶持，活动期间按银牌云客结算',
        startsAt: shanghai(7, 1),
        endsAt: shanghai(10, 1),
      }),
    );
    // R-SAME-4: the admin marked most university and carrier exits; one campus exit and most
    // co-working addresses are still unmarked (what an investigation would find).
    UNIVERSITY_IPS.forEach((u, i) => {
      if (i !== 10)
        plan.sharedIps.push({
          ip: u.ip,
          reason: `高校出口NAT：${u.name}`,
          markedAt: shanghai(2, 20 + (i % 8), 10),
        });
    });
    CARRIER_GATEWAY_IPS.forEach((ip, i) =>
      plan.sharedIps.push({
        ip,
        reason: '中国移动 4G/5G 网关出口，大量用户共用',
        markedAt: shanghai(3, 3 + i, 14),
      }),
    );
    COWORKING_IPS.slice(0, 2).forEach((c, i) =>
      plan.sharedIps.push({
        ip: c.ip,
        reason: `共享办公空间出口：${c.name}`,
        markedAt: shanghai(5, 8 + i, 9, 45),
      }),
    );
    return plan;
  }

  private newCompany(): Company {
    const k = this.companyCounter++;
    const creditCode = uniqueCreditCode(k, this.salt);
    const company: Company = {
      name: companyName(this.rng),
      creditCode,
      phone: uniquePhone(this.personCounter++, this.salt),
      officeIp: this.freshIp(),
      subjectId: this.subjectOf(creditCode, true),
    };
    if (this.rng.chance(0.18)) this.addSalesSubject(company.subjectId);
    this.recentCompanies.push(company);
    if (this.recentCompanies.length > 256) this.recentCompanies.shift();
    return company;
  }

  private individualChannel(): Customer['channel'] {
    const u = this.rng.next();
    return u < 0.955 ? 'none' : u < 0.97 ? 'sales' : u < 0.99 ? 'agent' : 'paid_channel';
  }

  /** The address an ordinary individual registers from. */
  private individualIp(): { ip: string; mobileIps: boolean } {
    const rng = this.rng;
    const u = rng.next();
    if (u < 0.04) {
      // students: the unmarked exit (index 10) is a small campus
      const i = rng.chance(0.04) ? 10 : rng.int(0, UNIVERSITY_IPS.length - 2);
      return { ip: UNIVERSITY_IPS[i === 10 && rng.chance(0.5) ? 11 : i].ip, mobileIps: false };
    }
    if (u < 0.06) return { ip: rng.pick(CARRIER_GATEWAY_IPS), mobileIps: false };
    if (u < 0.075) return { ip: rng.pick(COWORKING_IPS).ip, mobileIps: false };
    if (u < 0.09 && this.recentCompanies.length)
      return { ip: rng.pick(this.recentCompanies).officeIp, mobileIps: true };
    return { ip: this.freshIp(), mobileIps: true };
  }

  writeCustomer(i: number): void {
    const rng = this.rng;
    const x = (i + rng.next()) / this.customerCount;
    // registrations grow through the year
    const day = Math.min(DEMO_DAYS - 1, Math.floor(DEMO_DAYS * Math.pow(x, 0.8)));
    const r = instantOnDay(rng, day);
    let story = STORIES.sample(rng);
    let forced = -1; // the partner of a self-referral / ring story
    let c: Customer | null = null;
    const customerId = String(1_200_000_000_000_000 + i * 1009 + (this.salt % 1000));

    if (story === 'own-account') {
      // R-SAME-1 account id: the partner's own (older) cloud account logs in through their link
      const from = this.partnersLiveBy(r + 3 * DAY);
      for (let attempt = 0; attempt < 3 && from < this.partnerCount; attempt++) {
        const p = rng.int(from, this.partnerCount - 1);
        const partner = this.partners[p];
        if (partner.ownAccountUsed || partner.status === 'applied') continue;
        partner.ownAccountUsed = true;
        forced = p;
        c = {
          id: partner.accountId,
          type: 'individual',
          name: partner.name,
          phone: partner.phone,
          idNumber: partner.idNumber,
          registeredAt: r,
          ip: partner.homeIp,
          subjectId: this.subjectOf(partner.idNumber, false),
          channel: 'none',
          mobileIps: false,
        };
        break;
      }
      if (!c) story = 'individual';
    } else if (story === 'self-new' || story === 'ring') {
      const p =
        story === 'self-new'
          ? this.pickPartner(r)
          : (pickOrUndefined(
              rng,
              this.ringPartners.filter((q) => this.joinedMax[q] < r - 2 * DAY),
            ) ?? -1);
      if (p < 0) story = 'individual';
      else {
        forced = p;
        const partner = this.partners[p];
        // self-new: 自己注册新账号推广自己 (same phone, same ID + name); ring: other people's
        // identities, but registered from the partner's own address
        const person =
          story === 'self-new'
            ? { name: partner.name, phone: partner.phone, idNumber: partner.idNumber }
            : this.freshPerson();
        c = {
          id: customerId,
          type: 'individual',
          ...person,
          idNumber: story === 'self-new' && rng.chance(0.3) ? null : person.idNumber,
          registeredAt: r,
          ip: story === 'ring' || rng.chance(0.6) ? partner.homeIp : this.freshIp(),
          subjectId: null,
          channel: 'none',
          mobileIps: false,
        };
        if (c.idNumber) c.subjectId = this.subjectOf(c.idNumber, false);
      }
    } else if (story === 'same-as-older') {
      // R-SAME-3: a new account of a person who already has one (same phone and/or ID + name)
      const older = this.recentCustomers.length ? rng.pick(this.recentCustomers) : null;
      if (!older || older.registeredAt >= r) story = 'individual';
      else {
        const u = rng.next();
        const samePhone = u < 0.35 || u >= 0.75 || !older.idNumber;
        const sameId = u >= 0.35 && older.idNumber !== null;
        const idNumber = sameId ? older.idNumber : null;
        const { ip, mobileIps } = this.individualIp();
        c = {
          id: customerId,
          type: 'individual',
          name: older.name,
          phone: samePhone ? older.phone : this.freshPerson().phone,
          idNumber,
          registeredAt: r,
          ip,
          subjectId: sameId ? older.subjectId : null,
          channel: this.individualChannel(),
          mobileIps,
        };
      }
    }
    if (story === 'enterprise') {
      const company =
        this.recentCompanies.length && rng.chance(0.35) ? rng.pick(this.recentCompanies) : this.newCompany();
      const u = rng.next();
      c = {
        id: customerId,
        type: 'enterprise',
        name: company.name,
        phone: company.phone,
        idNumber: company.creditCode,
        registeredAt: r,
        ip: rng.chance(0.85) ? company.officeIp : this.freshIp(),
        subjectId: company.subjectId,
        channel: u < 0.7 ? 'none' : u < 0.82 ? 'sales' : u < 0.95 ? 'agent' : 'paid_channel',
        mobileIps: false,
      };
    }
    if (!c) {
      const person = this.freshPerson();
      const verified = rng.chance(0.88); // the rest have not done 实名认证 yet
      const { ip, mobileIps } = this.individualIp();
      c = {
        id: customerId,
        type: 'individual',
        name: person.name,
        phone: person.phone,
        idNumber: verified ? person.idNumber : null,
        registeredAt: r,
        ip,
        subjectId: verified ? this.subjectOf(person.idNumber, false) : null,
        channel: this.individualChannel(),
        mobileIps,
      };
      if (c.subjectId && rng.chance(0.012)) {
        this.addSalesSubject(c.subjectId);
        if (rng.chance(0.5)) c.channel = 'sales';
      }
    }
    this.writer.insert('customers', [
      c.id,
      c.type,
      c.name,
      c.phone,
      c.idNumber,
      c.registeredAt,
      c.ip,
      c.subjectId,
      c.channel,
    ]);
    this.writer.insert('login_ips', [c.id, c.ip, c.registeredAt]);
    if (c.type === 'individual' && c.phone) {
      this.recentCustomers.push({
        name: c.name,
        phone: c.phone,
        idNumber: c.idNumber,
        subjectId: c.subjectId,
        registeredAt: r,
      });
      if (this.recentCustomers.length > 4096) this.recentCustomers.shift();
    }

    const events = this.story(i, c, story, forced);
    const orders = this.orders(i, c, story, events);
    this.refunds(i, orders, events, story);
    this.dispute(i, c, events, orders);
  }

  /**
   * Now and then a partner contests the attribution of a customer (R-DISP-1): one locked out by
   * another partner's registration says their link was used first; one whose customer another
   * partner's later login took over says the customer is theirs. Recent cases are still open
   * (the queue), older ones mostly decided: upheld from the claimed instant or one the admin
   * set (R-DISP-2), rejected, now and then upheld and later revoked.
   */
  private dispute(
    i: number,
    c: Customer,
    events: Event[],
    orders: (OrderDraft & { id: string; at: number })[],
  ): void {
    const rng = this.disputeRng;
    const links = events.filter((e) => e.kind !== 'visit');
    const pairs: [Event, Event][] = [];
    for (let a = 0; a < links.length; a++)
      for (let b = a + 1; b < links.length; b++)
        if (links[b].partner !== links[a].partner && links[b].at - links[a].at < 30 * DAY)
          pairs.push([links[a], links[b]]);
    if (pairs.length === 0) return;
    const deficit = Math.round((this.targetDisputes * (i + 1)) / this.customerCount) - this.disputes.length;
    if (!rng.chance(deficit > 2 ? 0.08 : deficit < -2 ? 0.002 : 0.02)) return;
    const [first, later] = rng.pick(pairs);
    // locked out by a registration: the later partner claims their link came first;
    // replaced by a later login: the earlier partner claims the customer stays theirs
    const lockedOut = first.kind === 'register';
    const claimant = lockedOut ? later.partner : first.partner;
    const claimedAt = clampSecond(lockedOut ? first.at - rng.range(HOUR, 2 * DAY) : first.at);
    if (claimedAt === null) return;
    const order = orders.find(
      (o) => o.at >= claimedAt && o.at < claimedAt + 30 * DAY && o.billing === 'prepaid' && o.paidFen > 0,
    );
    // office hours of the dispute's own stream (this.daytime would draw from the world's)
    const officeHours = (t: number, lo: number) => {
      const day = Math.floor((t - DEMO_FROM) / DAY);
      if (day < 0 || day >= DEMO_DAYS) return t;
      const x = DEMO_FROM + day * DAY + rng.int(1, 10) * HOUR + rng.int(0, 3599) * 1000; // 09:00–18:59
      return x >= lo ? x : t;
    };
    const openedAt = clampSecond(
      officeHours(Math.max(claimedAt, order?.at ?? 0) + rng.range(DAY, 25 * DAY), claimedAt),
    );
    if (openedAt === null) return;
    const partner = this.partners[claimant];
    const claim = lockedOut
      ? rng.pick([
          `客户 ${c.name} 先通过我的专属链接访问并注册，后台却显示被其他云客锁定，请核实注册来源`,
          '客户说是看了我的测评文章点链接注册的，截图里能看到我的推广参数，但关联到了别人名下',
          '我和客户有微信聊天记录，注册前一天发过链接，客户确认是用我的链接注册的',
        ])
      : rng.pick([
          '客户一直是我在跟进，别的云客最后一次登录链接把客户抢走了，订单应归我',
          `客户 ${c.name} 在我的推广活动中完成首购，归属却被他人的登录事件取代`,
          '我给客户做了完整的上云方案，下单前客户误点了别人的链接，申请人工判定归属',
        ]);
    const d: DemoDispute = {
      partnerId: partner.id,
      customerId: c.id,
      orderId: order && rng.chance(0.7) ? order.id : null,
      claim,
      claimedAt,
      openedBy: rng.chance(0.85) ? 'support' : 'admin',
      openedAt,
    };
    const age = DEMO_UNTIL - openedAt;
    const stillOpen = rng.chance(age < 60 * DAY ? 0.97 : age < 150 * DAY ? 0.7 : 0.35);
    const decidedAt = clampSecond(officeHours(openedAt + rng.range(HOUR, Math.min(age, 20 * DAY)), openedAt));
    if (!stillOpen && decidedAt !== null && decidedAt > openedAt) {
      const upheld = rng.chance(0.55);
      const manualFrom = upheld
        ? rng.chance(0.8)
          ? claimedAt
          : clampSecond(claimedAt + rng.range(HOUR, 3 * DAY))
        : null;
      d.decision = upheld
        ? {
            status: 'upheld',
            at: decidedAt,
            reason: rng.pick([
              '核实推广链接访问日志，注册来源确为申诉云客，支持申诉',
              '客户书面确认通过申诉云客的链接注册，支持申诉',
              '导出缺失该注册事件（数据同步故障），按日志补录归属',
            ]),
            manualFrom: manualFrom ?? claimedAt,
          }
        : {
            status: 'rejected',
            at: decidedAt,
            reason: rng.pick([
              '日志显示最近一次有效关联属于其他云客，符合最近一次关联规则，驳回',
              '申诉材料不足，无法证明客户通过申诉人链接注册，驳回',
              '客户注册时处于其他云客的保护期内，规则执行无误，驳回',
            ]),
            manualFrom: null,
          };
      if (upheld && rng.chance(0.08)) {
        const revokedAt = clampSecond(decidedAt + rng.range(DAY, 10 * DAY));
        if (revokedAt !== null)
          d.decision.revoked = { at: revokedAt, reason: '复查发现客户实为另一云客邀请，撤销此前的支持决定' };
      }
    }
    this.disputes.push(d);
  }

  /** Referral events of one customer (R-ATTR): registrations, last-touch logins, locked attempts. */
  private story(i: number, c: Customer, story: Story, forced: number): Event[] {
    const rng = this.rng;
    const r = c.registeredAt;
    const events: Event[] = [];
    const eventIp = () =>
      c.mobileIps && rng.chance(0.2)
        ? rng.chance(0.1)
          ? rng.pick(CARRIER_GATEWAY_IPS)
          : this.freshIp()
        : c.ip;
    const add = (partner: number, kind: Event['kind'], t: number, ip = eventIp(), exact = false) => {
      const at = clampSecond(exact ? t : this.daytime(t, r));
      if (partner < 0 || at === null || at < r) return;
      events.push({ partner, kind, at, ip });
    };
    const other = (t: number, not: number) => this.pickPartner(t, not);

    if (story === 'own-account') {
      const p = this.partners[forced];
      const from = Math.max(r, p.verifiedAt ?? p.joinedAt);
      add(forced, 'login', from + rng.range(HOUR, 20 * DAY), p.homeIp);
    } else if (story === 'self-new' || story === 'ring' || rng.chance(0.48)) {
      // R-ATTR-1: registered through a link — locked for 30 days
      const p1 = forced >= 0 ? forced : this.pickPartner(r);
      if (p1 >= 0) {
        add(p1, 'register', r, forced >= 0 ? c.ip : eventIp(), true);
        for (let n = rng.int(0, 2); n > 0; n--) add(p1, 'visit', r + rng.range(HOUR, 20 * DAY));
        if (rng.chance(0.28)) {
          // another partner tries during the lock → LOCKED_BY_OTHER_PARTNER
          const t = r + rng.range(HOUR, 29.5 * DAY);
          add(other(t, p1), 'login', t);
        }
        if (rng.chance(0.04)) {
          // right at the end of the lock: one second before (locked), exactly 30 days (free)
          const t = r + 30 * DAY - (rng.chance(0.5) ? 1000 : 0);
          add(other(t, p1), 'login', t, eventIp(), true);
        }
        if (rng.chance(0.22)) add(p1, 'login', r + rng.range(3 * DAY, 90 * DAY)); // R-ATTR-3
        if (rng.chance(0.25)) {
          // after the lock expired, a login of another partner takes over (R-ATTR-2)
          const t = r + rng.range(30 * DAY + HOUR, 150 * DAY);
          add(other(t, p1), 'login', t);
        }
      }
    } else if (rng.chance(0.84)) {
      // an existing account logs in through links: last touch wins (R-ATTR-2)
      const t1 = r + HOUR + rng.exp(35 * DAY);
      const p1 = this.pickPartner(t1);
      if (p1 >= 0) {
        for (let n = rng.int(0, 2); n > 0; n--) add(p1, 'visit', t1 - rng.range(60_000, 3 * DAY));
        add(p1, 'login', t1);
        if (rng.chance(0.35)) {
          const t = t1 + rng.range(HOUR, 29 * DAY);
          add(other(t, p1), 'login', t);
        }
        if (rng.chance(0.2)) add(p1, 'login', t1 + rng.range(2 * DAY, 29 * DAY));
        if (rng.chance(0.15)) add(p1, 'login', t1 + rng.range(31 * DAY, 120 * DAY));
        if (rng.chance(0.1)) {
          const t = t1 + rng.range(30 * DAY, 150 * DAY);
          add(other(t, p1), 'login', t);
        }
      }
    }
    // keep the total near its target with extra link visits (evidence only, never attribution)
    if (events.length) {
      const deficit =
        Math.round((this.targetEvents * (i + 1)) / this.customerCount) - this.writer.counts.referral_events;
      const wanted = Math.max(deficit - events.length, 0);
      const extra = Math.min(wanted, rng.int(0, 6) + (wanted > 40 ? 4 : 0));
      for (let n = 0; n < extra; n++) {
        const e = rng.pick(events);
        add(e.partner, 'visit', rng.range(e.at, Math.min(e.at + 20 * DAY, DEMO_UNTIL)));
      }
      if (deficit < -20) {
        for (let k = events.length - 1; k >= 0; k--) if (events[k].kind === 'visit') events.splice(k, 1);
      }
    }
    events.sort((a, b) => a.at - b.at);
    for (const e of events) {
      const id = `EV${pad(++this.eventCounter, 10)}`;
      e.id = id;
      this.writer.insert('referral_events', [id, this.partners[e.partner].id, c.id, e.kind, e.at, e.ip]);
      if (e.kind === 'login') this.writer.insert('login_ips', [c.id, e.ip, e.at]);
    }
    return events;
  }

  private orders(
    i: number,
    c: Customer,
    story: Story,
    events: Event[],
  ): (OrderDraft & { id: string; at: number })[] {
    const rng = this.rng;
    const r = c.registeredAt;
    const anchors = events.filter((e) => e.kind !== 'visit').map((e) => e.at);
    const enterprise = c.type === 'enterprise';
    let count = ORDERS_PER_CUSTOMER.sample(rng);
    if (enterprise && count > 0) count += rng.int(0, 2);
    if (story === 'ring' && count === 0) count = 1; // a ring account buys once, cheap, to earn the rebate
    const deficit =
      Math.round((this.targetOrders * (i + 1)) / this.customerCount) - this.writer.counts.orders;
    if (deficit > 5) count += 1;
    else if (deficit < -5 && count > 0) count -= 1;

    const drafts: (OrderDraft & { at: number })[] = [];
    const push = (d: OrderDraft, t: number) => {
      const at = clampSecond(t);
      if (at !== null && at >= r) drafts.push({ ...d, at });
    };
    let first = true;
    for (let n = 0; n < count; n++) {
      const u = rng.next();
      let t: number;
      let kind: OrderKind;
      if (anchors.length && (u < 0.62 || (first && story === 'ring'))) {
        // soon after a link event: inside the attribution window
        const anchor = rng.pick(anchors);
        t = anchor + 60_000 + Math.min(rng.exp(6 * DAY), 28 * DAY);
        if (t - anchor > DAY) t = this.daytime(t, anchor, anchor + 29 * DAY);
        kind = first ? FIRST_ORDER_KINDS.sample(rng) : ORDER_KINDS.sample(rng);
        first = false;
      } else if (anchors.length && u < 0.74 && anchors[0] - r > 2 * DAY) {
        // bought before any partner touched the account (R-EXCL-1 PRIOR_PROGRAM_ORDER)
        t = this.daytime(rng.range(r, anchors[0] - HOUR), r, anchors[0] - HOUR);
        kind = FIRST_ORDER_KINDS.sample(rng);
      } else {
        t = this.daytime(
          anchors.length || rng.chance(0.5) ? rng.range(r, DEMO_UNTIL) : r + rng.exp(25 * DAY),
          r,
        );
        kind = ORDER_KINDS.sample(rng);
      }
      const draft = draftOrder(rng, story === 'ring' && n === 0 ? 'prepaid-eligible' : kind, enterprise);
      push(draft, t);
      // R-EXP-1 stacking: a second 包年包月 order within the window (1200 / 3600 steps)
      if (draft.subscription && draft.billing === 'prepaid' && draft.paidFen > 0 && rng.chance(0.2)) {
        push(
          { ...draft, subscription: true, paidFen: rng.pick([1200, 1200, 3600, 600, 2400]) * 100 },
          this.daytime(t + rng.range(DAY, 20 * DAY), t + HOUR),
        );
        n++;
      }
    }
    drafts.sort((a, b) => a.at - b.at);
    return drafts.map((d) => {
      const id = `DD2026${pad(++this.orderCounter, 10)}`;
      this.writer.insert('orders', [
        id,
        c.id,
        d.productLine,
        d.billing,
        d.subscription ? 1 : 0,
        d.paidFen,
        d.at,
      ]);
      return { ...d, id };
    });
  }

  /** R-CLAW: full refunds and partial downgrades, inside and outside the 30-day window. */
  private refunds(
    i: number,
    orders: (OrderDraft & { id: string; at: number })[],
    events: Event[],
    story: Story,
  ): void {
    const rng = this.rng;
    if (!orders.length) return;
    const risky = events.some((e) => e.kind !== 'visit' && this.riskyPartners.has(e.partner));
    const deficit =
      Math.round((this.targetRefunds * (i + 1)) / this.customerCount) - this.writer.counts.refunds;
    const feedback = deficit > 3 ? 2 : deficit < -3 ? 0.25 : 1;
    let firstPrepaid = true;
    for (const o of orders) {
      if (o.billing !== 'prepaid' || o.paidFen <= 0) continue;
      const base = firstPrepaid && (risky || story === 'ring') ? 0.5 : 0.085;
      firstPrepaid = false;
      if (!rng.chance(base * feedback)) continue;
      const u = rng.next();
      let at: number | null;
      if (u < 0.68)
        at = clampSecond(this.daytime(o.at + rng.range(2 * HOUR, 29.9 * DAY), o.at + HOUR, o.at + 30 * DAY));
      else if (u < 0.72)
        at = clampSecond(o.at + 30 * DAY); // exactly 30 days: too late (R-CLAW-2)
      else
        at = clampSecond(this.daytime(o.at + rng.range(30 * DAY + HOUR, 150 * DAY), o.at + 30 * DAY + HOUR));
      if (at === null) at = clampSecond(o.at + rng.range(HOUR, Math.min(29 * DAY, DEMO_UNTIL - o.at)));
      if (at === null || at <= o.at) continue;
      const full = rng.chance(0.55) || o.paidFen < 200;
      let amount = o.paidFen;
      if (!full) {
        amount = Math.round(o.paidFen * rng.range(0.1, 0.8));
        if (o.paidFen >= 20_000) amount = Math.round(amount / 100) * 100;
        amount = Math.min(Math.max(amount, 1), o.paidFen - 1);
      }
      this.writer.insert('refunds', [
        `RF2026${pad(++this.refundCounter, 9)}`,
        o.id,
        full ? 'refund' : 'downgrade',
        amount,
        at,
      ]);
      if (!full && rng.chance(0.1)) {
        // downgraded first, then the rest refunded too
        const later = clampSecond(at + rng.range(HOUR, 10 * DAY));
        if (later !== null) {
          this.writer.insert('refunds', [
            `RF2026${pad(++this.refundCounter, 9)}`,
            o.id,
            'refund',
            o.paidFen - amount,
            later,
          ]);
        }
      }
    }
  }

  writeOrphanSalesSubjects(): void {
    // subjects the sales teams developed that never came through the program
    const n = Math.round(150 * this.scale);
    for (let k = 0; k < n; k++)
      this.addSalesSubject(this.subjectOf(uniqueCreditCode(1_000_000 + k, this.salt), true));
  }
}
