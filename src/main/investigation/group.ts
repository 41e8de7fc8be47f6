/**
 * 同人调查 — one same-person group as an investigator reads it (R-SAME-1, R-SAME-4): its accounts
 * (partners and customers told apart, with their orders and rebates), the evidence edges the
 * engine stored, with when each account showed the value (registration, login_ips.seen_at, link
 * events …), values shared by many accounts as hubs, and the shortest chain of evidence between
 * two accounts as steps and a list a support agent can paste (zh-CN and English). Read from the
 * stored results and sources with portable Kysely, in batches per table.
 */
import { sql, type Kysely } from 'kysely';
import type {
  AccountKey,
  EvidenceKind,
  GroupEdge,
  GroupHub,
  GroupMember,
  GroupView,
  Lang,
  PathStep,
  SamePersonPath,
  Sighting,
} from '../api/methods/investigation.contract';
import { EVIDENCE_KINDS } from '../api/methods/investigation.contract';
import { formatLocal } from '../rules/time';
import type { Database } from '../store/database';
import { shownEvidence, shownName } from './mask';
import { latestRun, partnersOfGroups, queueRow } from './queue';

type Db = Kysely<Database>;

const CHUNK = 500;
async function chunked<T>(ids: string[], fn: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await fn(ids.slice(i, i + CHUNK))));
  return out;
}

const keyOf = (kind: string, id: string): AccountKey => `${kind}:${id}`;
function splitKey(key: AccountKey): { kind: 'customer' | 'partner'; id: string } {
  const i = key.indexOf(':');
  return { kind: key.slice(0, i) === 'partner' ? 'partner' : 'customer', id: key.slice(i + 1) };
}

/** The stored group of an account (a single account is a group of its own, never stored). */
export async function groupOfAccount(db: Db, key: AccountKey): Promise<string> {
  const { kind, id } = splitKey(key);
  const r = await db
    .selectFrom('result_same_person')
    .select('group_id')
    .where('member_kind', '=', kind)
    .where('member_id', '=', id)
    .executeTakeFirst();
  return r?.group_id ?? keyOf(kind, id);
}

interface StoredEdge {
  a: AccountKey;
  b: AccountKey;
  evidence: EvidenceKind;
  value: string;
}

async function membersOf(db: Db, groupId: string): Promise<AccountKey[]> {
  const rows = await db
    .selectFrom('result_same_person')
    .select(['member_kind', 'member_id'])
    .where('group_id', '=', groupId)
    .execute();
  if (rows.length === 0) return /^(customer|partner):/.test(groupId) ? [groupId] : [];
  return rows.map((r) => keyOf(r.member_kind, r.member_id)).sort();
}

async function edgesOf(db: Db, groupId: string): Promise<StoredEdge[]> {
  const rows = await db
    .selectFrom('result_same_person_edges')
    .select(['a_kind', 'a_id', 'b_kind', 'b_id', 'evidence', 'value'])
    .where('group_id', '=', groupId)
    .orderBy('a_kind')
    .orderBy('a_id')
    .orderBy('b_kind')
    .orderBy('b_id')
    // two accounts linked by several kinds of evidence: in the order the engine finds them (a full
    // run stores them so), not in whatever order the database returns ties (PostgreSQL's differs)
    .orderBy(
      sql`CASE evidence WHEN 'account' THEN 0 WHEN 'phone' THEN 1 WHEN 'id_number_name' THEN 2 ELSE 3 END`,
    )
    .execute();
  return rows.map((r) => ({
    a: keyOf(r.a_kind, r.a_id),
    b: keyOf(r.b_kind, r.b_id),
    evidence: r.evidence,
    value: r.value,
  }));
}

const EMPTY_SIGHTING = (): Sighting => ({ first: null, last: null, sources: [] });

function see(s: Sighting, at: number | null, source: Sighting['sources'][number], last: number | null = at) {
  if (at === null) return;
  s.first = s.first === null ? at : Math.min(s.first, at);
  const l = last ?? at;
  s.last = s.last === null ? l : Math.max(s.last, l);
  if (!s.sources.includes(source)) s.sources.push(source);
}

/**
 * When each account showed each evidence value: an IP at registration (customers.registered_at
 * with registration_ip), in logins (login_ips.seen_at, first and last) and link events (their
 * time); a phone, ID + name or account id with the account itself (a customer's registration, a
 * partner's joining — identity attributes carry no time of their own, R-ATTR-5).
 */
async function sightings(
  db: Db,
  accounts: AccountKey[],
  wanted: StoredEdge[],
): Promise<Map<string, Sighting>> {
  const out = new Map<string, Sighting>();
  const at = (key: AccountKey, e: EvidenceKind, v: string) => {
    const k = `${key}\u0000${e}\u0000${v}`;
    let s = out.get(k);
    if (!s) out.set(k, (s = EMPTY_SIGHTING()));
    return s;
  };
  const customers = accounts.filter((k) => k.startsWith('customer:')).map((k) => splitKey(k).id);
  const partners = accounts.filter((k) => k.startsWith('partner:')).map((k) => splitKey(k).id);
  const ipsOf = new Map<AccountKey, Set<string>>();
  const others = new Map<AccountKey, { evidence: EvidenceKind; value: string }[]>();
  for (const e of wanted)
    for (const k of [e.a, e.b]) {
      if (e.evidence === 'ip') {
        const s = ipsOf.get(k) ?? new Set<string>();
        s.add(e.value);
        ipsOf.set(k, s);
      } else {
        const l = others.get(k) ?? [];
        l.push({ evidence: e.evidence, value: e.value });
        others.set(k, l);
      }
    }
  const cust = await chunked(customers, (c) =>
    db
      .selectFrom('customers')
      .select(['customer_id', 'registered_at', 'registration_ip'])
      .where('customer_id', 'in', c)
      .execute(),
  );
  const part = await chunked(partners, (p) =>
    db
      .selectFrom('partners')
      .select(['partner_id', 'account_id', 'joined_at', 'verified_at'])
      .where('partner_id', 'in', p)
      .execute(),
  );
  for (const c of cust) {
    const key = keyOf('customer', c.customer_id);
    for (const o of others.get(key) ?? []) see(at(key, o.evidence, o.value), c.registered_at, 'registration');
    const reg = c.registration_ip?.trim();
    if (reg && ipsOf.get(key)?.has(reg)) see(at(key, 'ip', reg), c.registered_at, 'registration');
  }
  const accountOwners = new Map<string, AccountKey[]>();
  for (const c of customers) accountOwners.set(c, [keyOf('customer', c)]);
  for (const p of part) {
    const key = keyOf('partner', p.partner_id);
    for (const o of others.get(key) ?? [])
      see(at(key, o.evidence, o.value), p.joined_at ?? p.verified_at, 'profile');
    if (p.account_id) accountOwners.set(p.account_id, [...(accountOwners.get(p.account_id) ?? []), key]);
  }
  const logins = await chunked([...accountOwners.keys()], (a) =>
    db
      .selectFrom('login_ips')
      .select((eb) => [
        'account_id',
        'ip',
        eb.fn.min<number>('seen_at').as('first'),
        eb.fn.max<number>('seen_at').as('last'),
      ])
      .where('account_id', 'in', a)
      .groupBy(['account_id', 'ip'])
      .execute(),
  );
  for (const l of logins) {
    const ip = l.ip.trim();
    for (const key of accountOwners.get(l.account_id) ?? [])
      if (ipsOf.get(key)?.has(ip)) see(at(key, 'ip', ip), l.first, 'login', l.last);
  }
  const events = await chunked(customers, (c) =>
    db
      .selectFrom('referral_events')
      .select((eb) => [
        'customer_id',
        'ip',
        eb.fn.min<number>('occurred_at').as('first'),
        eb.fn.max<number>('occurred_at').as('last'),
      ])
      .where('customer_id', 'in', c)
      .where('ip', 'is not', null)
      .groupBy(['customer_id', 'ip'])
      .execute(),
  );
  for (const e of events) {
    const key = keyOf('customer', e.customer_id);
    const ip = (e.ip ?? '').trim();
    if (ip && ipsOf.get(key)?.has(ip)) see(at(key, 'ip', ip), e.first, 'event', e.last);
  }
  return out;
}

function range(ts: (number | null)[]): { first: number | null; last: number | null } {
  let first: number | null = null;
  let last: number | null = null;
  for (const t of ts) {
    if (t === null) continue;
    first = first === null ? t : Math.min(first, t);
    last = last === null ? t : Math.max(last, t);
  }
  return { first, last };
}

/**
 * When a hub's IP was seen by its accounts: registrations from it, logins and link events, read
 * through the `ip` indexes and kept for the hub's accounts only.
 */
async function ipSeen(
  db: Db,
  ip: string,
  accounts: Set<AccountKey>,
): Promise<{ first: number | null; last: number | null }> {
  const partnerIds = [...accounts].filter((k) => k.startsWith('partner:')).map((k) => splitKey(k).id);
  const [regs, events, logins, partnerAccounts] = await Promise.all([
    db
      .selectFrom('customers')
      .select(['customer_id', 'registered_at'])
      .where('registration_ip', '=', ip)
      .execute(),
    db.selectFrom('referral_events').select(['customer_id', 'occurred_at']).where('ip', '=', ip).execute(),
    db.selectFrom('login_ips').select(['account_id', 'seen_at']).where('ip', '=', ip).execute(),
    chunked(partnerIds, (p) =>
      db.selectFrom('partners').select('account_id').where('partner_id', 'in', p).execute(),
    ),
  ]);
  const owners = new Set(partnerAccounts.map((p) => p.account_id));
  const isCustomer = (id: string) => accounts.has(keyOf('customer', id));
  return range([
    ...regs.filter((r) => isCustomer(r.customer_id)).map((r) => r.registered_at),
    ...events.filter((e) => isCustomer(e.customer_id)).map((e) => e.occurred_at),
    ...logins.filter((l) => isCustomer(l.account_id) || owners.has(l.account_id)).map((l) => l.seen_at),
  ]);
}

const sightingOf = (m: Map<string, Sighting>, key: AccountKey, e: EvidenceKind, v: string) =>
  m.get(`${key}\u0000${e}\u0000${v}`) ?? EMPTY_SIGHTING();

const LABEL: Record<EvidenceKind, Record<Lang, string>> = {
  account: { 'zh-CN': '同一账号', en: 'same account' },
  phone: { 'zh-CN': '同一手机号', en: 'same phone number' },
  id_number_name: { 'zh-CN': '同一证件号与姓名', en: 'same ID number and name' },
  ip: { 'zh-CN': '同一IP', en: 'same IP address' },
};
export const evidenceLabel = (e: EvidenceKind, shown: string, lang: Lang) => `${LABEL[e][lang]} ${shown}`;

export interface GroupQuery {
  groupId?: string;
  account?: AccountKey;
  evidence?: EvidenceKind[];
  hubMin: number;
  lang: Lang;
}

export async function groupView(db: Db, q: GroupQuery, full: boolean): Promise<GroupView> {
  const groupId = q.groupId ?? (q.account ? await groupOfAccount(db, q.account) : '');
  const [keys, allEdges, run, queued] = await Promise.all([
    membersOf(db, groupId),
    edgesOf(db, groupId),
    latestRun(db),
    db.selectFrom('result_investigation').selectAll().where('group_id', '=', groupId).executeTakeFirst(),
  ]);
  const evidenceCounts = { account: 0, phone: 0, id_number_name: 0, ip: 0 } as Record<EvidenceKind, number>;
  // accounts per value (star edges: a value of k accounts is stored as k − 1 edges)
  const holders = new Map<string, { evidence: EvidenceKind; value: string; accounts: Set<AccountKey> }>();
  for (const e of allEdges) {
    const k = `${e.evidence}:${e.value}`;
    let h = holders.get(k);
    if (!h) {
      holders.set(k, (h = { evidence: e.evidence, value: e.value, accounts: new Set() }));
      evidenceCounts[e.evidence]++;
    }
    h.accounts.add(e.a);
    h.accounts.add(e.b);
  }
  const kinds = new Set(q.evidence && q.evidence.length > 0 ? q.evidence : EVIDENCE_KINDS);
  const edges = allEdges.filter((e) => kinds.has(e.evidence));
  const isHub = (e: { evidence: EvidenceKind; value: string }) =>
    (holders.get(`${e.evidence}:${e.value}`)?.accounts.size ?? 0) >= q.hubMin;
  // when each value was seen, per account: for the edges drawn; a hub gets the range over its
  // accounts, read through the value's own index (not account by account: hubs are large)
  const drawn = edges.filter((e) => !isHub(e));
  const [seen, members] = await Promise.all([
    sightings(db, [...new Set(drawn.flatMap((e) => [e.a, e.b]))], drawn),
    memberDetails(db, groupId, keys, full),
  ]);
  const since = new Map(members.map((m) => [m.key, m.since]));
  const shown = (e: EvidenceKind, v: string) => shownEvidence(e, v, full);

  const hubs: GroupHub[] = [];
  const hubsOf = new Map<AccountKey, string[]>();
  for (const h of holders.values()) {
    if (!kinds.has(h.evidence) || h.accounts.size < q.hubMin) continue;
    const hubId = `${h.evidence}:${h.value}`;
    const accounts = [...h.accounts].sort();
    for (const m of accounts) hubsOf.set(m, [...(hubsOf.get(m) ?? []), hubId]);
    const v = shown(h.evidence, h.value);
    hubs.push({
      hubId,
      evidence: h.evidence,
      value: v,
      label: evidenceLabel(h.evidence, v, q.lang),
      count: accounts.length,
      members: accounts,
      seen:
        h.evidence === 'ip'
          ? await ipSeen(db, h.value, h.accounts)
          : range(accounts.map((a) => since.get(a) ?? null)),
    });
  }
  hubs.sort((a, b) => b.count - a.count || (a.hubId < b.hubId ? -1 : 1));
  const groupEdges: GroupEdge[] = edges
    .filter((e) => !isHub(e))
    .map((e) => {
      const v = shown(e.evidence, e.value);
      return {
        a: e.a,
        b: e.b,
        evidence: e.evidence,
        value: v,
        label: evidenceLabel(e.evidence, v, q.lang),
        seenA: sightingOf(seen, e.a, e.evidence, e.value),
        seenB: sightingOf(seen, e.b, e.evidence, e.value),
      };
    });

  for (const m of members) m.hubs = hubsOf.get(m.key) ?? [];
  const partnerIds = queued ? ((await partnersOfGroups(db, [groupId])).get(groupId) ?? []) : [];
  return {
    groupId,
    summary: queued ? queueRow(queued, partnerIds) : null,
    members,
    edges: groupEdges,
    hubs,
    evidenceCounts,
    masked: !full,
    asOf: run?.asOf ?? null,
  };
}

/** Members with their names, orders and rebates (customers) or results (partners). */
async function memberDetails(
  db: Db,
  groupId: string,
  keys: AccountKey[],
  full: boolean,
): Promise<GroupMember[]> {
  const customers = keys.filter((k) => k.startsWith('customer:')).map((k) => splitKey(k).id);
  const partners = keys.filter((k) => k.startsWith('partner:')).map((k) => splitKey(k).id);
  const [cust, orders, referrers, part, results] = await Promise.all([
    chunked(customers, (c) =>
      db
        .selectFrom('customers')
        .select(['customer_id', 'name', 'registered_at'])
        .where('customer_id', 'in', c)
        .execute(),
    ),
    chunked(customers, (c) =>
      db
        .selectFrom('result_orders')
        .select(['customer_id', 'status', 'paid_fen', 'rebate_fen', 'rebate_status', 'confirm_at'])
        .where('customer_id', 'in', c)
        .execute(),
    ),
    db
      .selectFrom('result_attributions')
      .select(['customer_id', 'partner_id'])
      .distinct()
      .where('group_id', '=', groupId)
      .execute(),
    chunked(partners, (p) =>
      db
        .selectFrom('partners')
        .select(['partner_id', 'name', 'status', 'joined_at', 'verified_at'])
        .where('partner_id', 'in', p)
        .execute(),
    ),
    chunked(partners, (p) =>
      db
        .selectFrom('result_partners')
        .select(['partner_id', 'level', 'blacklisted', 'risk_status'])
        .where('partner_id', 'in', p)
        .execute(),
    ),
  ]);
  const run = await latestRun(db);
  const asOf = run?.asOf ?? Number.MAX_SAFE_INTEGER;
  const byCustomer = new Map(cust.map((c) => [c.customer_id, c]));
  const byPartner = new Map(part.map((p) => [p.partner_id, p]));
  const resultOf = new Map(results.map((r) => [r.partner_id, r]));
  const ordersOf = new Map<string, GroupMember['orders']>();
  const rebatesOf = new Map<string, GroupMember['rebates']>();
  for (const o of orders) {
    const s = ordersOf.get(o.customer_id) ?? { count: 0, valid: 0, paidFen: 0 };
    s.count++;
    s.paidFen += o.paid_fen;
    ordersOf.set(o.customer_id, s);
    if (o.status !== 'valid') continue;
    s.valid++;
    const r = rebatesOf.get(o.customer_id) ?? { rebateFen: 0, confirmedFen: 0, pendingFen: 0, frozenFen: 0 };
    r.rebateFen += o.rebate_fen;
    if (o.rebate_status === 'frozen') r.frozenFen += o.rebate_fen;
    else if (o.rebate_status === 'confirmed' || (o.rebate_status === 'capped' && (o.confirm_at ?? 0) <= asOf))
      r.confirmedFen += o.rebate_fen;
    else if (o.rebate_status === 'pending' || o.rebate_status === 'capped') r.pendingFen += o.rebate_fen;
    rebatesOf.set(o.customer_id, r);
  }
  const referredBy = new Map<string, string[]>();
  for (const a of referrers)
    referredBy.set(a.customer_id, [...(referredBy.get(a.customer_id) ?? []), a.partner_id]);
  return keys.map((key) => {
    const { kind, id } = splitKey(key);
    if (kind === 'customer') {
      const c = byCustomer.get(id);
      return {
        key,
        kind,
        id,
        name: shownName(c?.name ?? null, full),
        since: c?.registered_at ?? null,
        orders: ordersOf.get(id) ?? { count: 0, valid: 0, paidFen: 0 },
        rebates: rebatesOf.get(id) ?? { rebateFen: 0, confirmedFen: 0, pendingFen: 0, frozenFen: 0 },
        referredBy: [...new Set(referredBy.get(id) ?? [])].sort(),
        partner: null,
        hubs: [],
      };
    }
    const p = byPartner.get(id);
    const r = resultOf.get(id);
    return {
      key,
      kind,
      id,
      name: shownName(p?.name ?? null, full),
      since: p?.joined_at ?? p?.verified_at ?? null,
      orders: { count: 0, valid: 0, paidFen: 0 },
      rebates: { rebateFen: 0, confirmedFen: 0, pendingFen: 0, frozenFen: 0 },
      referredBy: [],
      partner: {
        status: p?.status ?? 'unknown',
        level: r?.level ?? null,
        blacklisted: r?.blacklisted === 1,
        riskStatus: r?.risk_status ?? null,
      },
      hubs: [],
    };
  });
}

const ACCOUNT_WORD: Record<Lang, Record<'customer' | 'partner', string>> = {
  'zh-CN': { customer: '客户', partner: '云客' },
  en: { customer: 'customer', partner: 'partner' },
};
const SOURCE_WORD: Record<Lang, Record<Sighting['sources'][number], string>> = {
  'zh-CN': { registration: '注册', login: '登录', event: '推广链接访问', profile: '资料' },
  en: { registration: 'registration', login: 'login', event: 'referral link visit', profile: 'profile' },
};

const accountText = (key: AccountKey, lang: Lang) => {
  const { kind, id } = splitKey(key);
  return `${ACCOUNT_WORD[lang][kind]} ${id}`;
};

function sightingText(s: Sighting, lang: Lang): string {
  if (s.first === null) return lang === 'zh-CN' ? '时间未知' : 'time unknown';
  const sources = s.sources.map((x) => SOURCE_WORD[lang][x]).join(lang === 'zh-CN' ? '、' : ', ');
  const range =
    s.last === null || s.last === s.first
      ? formatLocal(s.first)
      : `${formatLocal(s.first)}${lang === 'zh-CN' ? ' 至 ' : ' – '}${formatLocal(s.last)}`;
  return `${sources} ${range}`;
}

/** The path as a numbered list in one language (what a support agent pastes). */
export function pathText(p: Omit<SamePersonPath, 'text'>, lang: Lang): string {
  const A = accountText(p.a, lang);
  const B = accountText(p.b, lang);
  if (p.a === p.b) return lang === 'zh-CN' ? `${A} 与自身是同一账号。` : `${A} is the same account.`;
  if (!p.linked)
    return lang === 'zh-CN'
      ? `${A} 与 ${B} 不在同一个同人组：没有证据把两者联系起来（R-SAME-1）。`
      : `${A} and ${B} are not in one same-person group: no evidence links them (R-SAME-1).`;
  const head =
    lang === 'zh-CN'
      ? `为什么 ${A} 与 ${B} 被判定为同一人（R-SAME-1，${p.steps.length} 步证据）：`
      : `Why ${A} and ${B} are judged the same person (R-SAME-1, ${p.steps.length} step${p.steps.length === 1 ? '' : 's'} of evidence):`;
  const lines = p.steps.map((s, i) => {
    const from = accountText(s.from, lang);
    const to = accountText(s.to, lang);
    return lang === 'zh-CN'
      ? `${i + 1}. ${from} 与 ${to}：${s.label}（${from}：${sightingText(s.seenFrom, 'zh-CN')}；${to}：${sightingText(s.seenTo, 'zh-CN')}）`
      : `${i + 1}. ${from} and ${to}: ${s.label} (${from}: ${sightingText(s.seenFrom, 'en')}; ${to}: ${sightingText(s.seenTo, 'en')})`;
  });
  return [head, ...lines].join('\n');
}

/**
 * "Why are these two the same person?": the shortest chain of evidence values from `a` to `b`
 * (breadth-first over accounts and the values they share; two accounts with one value in common
 * are one step apart, whichever of them the stored star edge starts from). Ties are broken by
 * the order of account keys and values, so the same question gets the same answer.
 */
export async function samePersonPath(
  db: Db,
  a: AccountKey,
  b: AccountKey,
  full: boolean,
  lang: Lang = 'zh-CN',
): Promise<SamePersonPath> {
  const [ga, gb] = await Promise.all([groupOfAccount(db, a), groupOfAccount(db, b)]);
  const base = { a, b, masked: !full };
  const done = (p: Omit<SamePersonPath, 'text'>): SamePersonPath => ({
    ...p,
    text: { 'zh-CN': pathText(p, 'zh-CN'), en: pathText(p, 'en') },
  });
  if (a === b) return done({ ...base, groupId: ga, linked: true, steps: [] });
  if (ga !== gb) return done({ ...base, groupId: null, linked: false, steps: [] });
  const edges = await edgesOf(db, ga);
  // account → values, value → accounts
  const valuesOf = new Map<AccountKey, Set<string>>();
  const holders = new Map<string, Set<AccountKey>>();
  const parse = new Map<string, { evidence: EvidenceKind; value: string }>();
  for (const e of edges) {
    const v = `${e.evidence}\u0000${e.value}`;
    parse.set(v, { evidence: e.evidence, value: e.value });
    for (const k of [e.a, e.b]) {
      const s = valuesOf.get(k) ?? new Set<string>();
      s.add(v);
      valuesOf.set(k, s);
      const h = holders.get(v) ?? new Set<AccountKey>();
      h.add(k);
      holders.set(v, h);
    }
  }
  const prev = new Map<AccountKey, { from: AccountKey; via: string }>();
  const usedValues = new Set<string>();
  let frontier = [a];
  const visited = new Set([a]);
  while (frontier.length > 0 && !visited.has(b)) {
    const next: AccountKey[] = [];
    for (const k of frontier)
      for (const v of [...(valuesOf.get(k) ?? [])].sort()) {
        if (usedValues.has(v)) continue;
        usedValues.add(v);
        for (const m of [...(holders.get(v) ?? [])].sort()) {
          if (visited.has(m)) continue;
          visited.add(m);
          prev.set(m, { from: k, via: v });
          next.push(m);
        }
      }
    frontier = next.sort();
  }
  if (!visited.has(b)) return done({ ...base, groupId: ga, linked: false, steps: [] });
  const chain: { from: AccountKey; to: AccountKey; via: string }[] = [];
  for (let k = b; k !== a;) {
    const p = prev.get(k)!;
    chain.unshift({ from: p.from, to: k, via: p.via });
    k = p.from;
  }
  const stepEdges = chain.map((c) => ({ a: c.from, b: c.to, ...parse.get(c.via)! }));
  const seen = await sightings(db, [...new Set(chain.flatMap((c) => [c.from, c.to]))], stepEdges);
  const steps: PathStep[] = stepEdges.map((e) => {
    const v = shownEvidence(e.evidence, e.value, full);
    return {
      from: e.a,
      to: e.b,
      evidence: e.evidence,
      value: v,
      label: evidenceLabel(e.evidence, v, lang),
      seenFrom: sightingOf(seen, e.a, e.evidence, e.value),
      seenTo: sightingOf(seen, e.b, e.evidence, e.value),
    };
  });
  const p = { ...base, groupId: ga, linked: true, steps };
  // each language's text carries its own labels
  const inLang = (l: Lang) => ({
    ...p,
    steps: steps.map((s) => ({ ...s, label: evidenceLabel(s.evidence, s.value, l) })),
  });
  return { ...p, text: { 'zh-CN': pathText(inLang('zh-CN'), 'zh-CN'), en: pathText(inLang('en'), 'en') } };
}
