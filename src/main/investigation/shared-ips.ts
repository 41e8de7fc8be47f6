/**
 * 共享IP (R-SAME-4): the marks' history, paged in the store (portable Kysely), and what an
 * investigator looks at before marking: the accounts seen on an IP and their stored groups.
 */
import { sql, type Kysely } from 'kysely';
import type { SharedIpAccounts, SharedIpMark } from '../api/methods/investigation.contract';
import type { Database } from '../store/database';
import type { SharedIpsTable } from '../store/admin.table';
import type { Selectable } from 'kysely';
import { shownEvidence } from './mask';

type Db = Kysely<Database>;

export function markView(r: Selectable<SharedIpsTable>, now: number): SharedIpMark {
  return {
    markId: r.mark_id,
    ip: r.ip,
    reason: r.reason,
    markedBy: r.marked_by,
    markedAt: r.marked_at,
    recordedAt: r.recorded_at,
    unmarkedBy: r.unmarked_by,
    unmarkedAt: r.unmarked_at,
    unmarkReason: r.unmark_reason,
    unmarkRecordedAt: r.unmark_recorded_at,
    active: r.marked_at <= now && (r.unmarked_at === null || now < r.unmarked_at),
  };
}

export async function listMarks(
  db: Db,
  q: { status: 'active' | 'ended' | 'all'; query?: string; limit: number; offset: number },
  now: number,
): Promise<{ rows: SharedIpMark[]; total: number }> {
  let base = db.selectFrom('shared_ips');
  if (q.status === 'active')
    base = base
      .where('marked_at', '<=', now)
      .where((eb) => eb.or([eb('unmarked_at', 'is', null), eb('unmarked_at', '>', now)]));
  else if (q.status === 'ended') base = base.where('unmarked_at', '<=', now);
  // a prefix of any letter case (IPv6 hex), with % _ \ as themselves: the same on SQLite (whose LIKE
  // ignores ASCII case and has no escape character unless named) and on PostgreSQL
  if (q.query) {
    const prefix = `${q.query.toLowerCase().replace(/[%_\\]/g, '\\$&')}%`;
    base = base.where(sql<boolean>`lower(ip) LIKE ${prefix} ESCAPE '\\'`);
  }
  const [rows, count] = await Promise.all([
    base
      .selectAll()
      .orderBy('marked_at', 'desc')
      .orderBy('mark_id', 'desc')
      .limit(q.limit)
      .offset(q.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map((r) => markView(r, now)), total: Number(count.n) };
}

/** The accounts seen on an IP (any mark), their stored groups (largest first, at most `maxGroups`) and the IP's marks. */
export async function ipAccounts(
  db: Db,
  ip: string,
  now: number,
  full: boolean,
  maxGroups = 200,
): Promise<SharedIpAccounts> {
  const [fromRegistration, fromEvents, fromLogins, marks] = await Promise.all([
    db.selectFrom('customers').select('customer_id').where('registration_ip', '=', ip).execute(),
    db
      .selectFrom('referral_events as e')
      .innerJoin('customers as c', 'c.customer_id', 'e.customer_id')
      .select('e.customer_id')
      .distinct()
      .where('e.ip', '=', ip)
      .execute(),
    db.selectFrom('login_ips').select('account_id').distinct().where('ip', '=', ip).execute(),
    db.selectFrom('shared_ips').selectAll().where('ip', '=', ip).orderBy('mark_id', 'desc').execute(),
  ]);
  const customers = new Set([...fromRegistration, ...fromEvents].map((r) => r.customer_id));
  const accounts = fromLogins.map((r) => r.account_id);
  const partners = new Set<string>();
  for (let i = 0; i < accounts.length; i += 500) {
    const chunk = accounts.slice(i, i + 500);
    const [c, p] = await Promise.all([
      db.selectFrom('customers').select('customer_id').where('customer_id', 'in', chunk).execute(),
      db.selectFrom('partners').select('partner_id').where('account_id', 'in', chunk).execute(),
    ]);
    for (const r of c) customers.add(r.customer_id);
    for (const r of p) partners.add(r.partner_id);
  }
  const seenIn = new Map<string, number>();
  const keys: [string, string[]][] = [
    ['customer', [...customers]],
    ['partner', [...partners]],
  ];
  for (const [kind, ids] of keys)
    for (let i = 0; i < ids.length; i += 500) {
      const found = await db
        .selectFrom('result_same_person')
        .select(['member_id', 'group_id'])
        .where('member_kind', '=', kind as 'customer' | 'partner')
        .where('member_id', 'in', ids.slice(i, i + 500))
        .execute();
      const grouped = new Set(found.map((r) => r.member_id));
      for (const r of found) seenIn.set(r.group_id, (seenIn.get(r.group_id) ?? 0) + 1);
      for (const id of ids.slice(i, i + 500))
        if (!grouped.has(id)) seenIn.set(`${kind}:${id}`, (seenIn.get(`${kind}:${id}`) ?? 0) + 1);
    }
  const groupIds = [...seenIn.keys()];
  const sizes = new Map<string, number>();
  for (let i = 0; i < groupIds.length; i += 500) {
    const rows = await db
      .selectFrom('result_same_person')
      .select((eb) => ['group_id', eb.fn.countAll<number>().as('n')])
      .where('group_id', 'in', groupIds.slice(i, i + 500))
      .groupBy('group_id')
      .execute();
    for (const r of rows) sizes.set(r.group_id, Number(r.n));
  }
  const groups = groupIds
    .map((g) => ({ groupId: g, size: sizes.get(g) ?? 1, seenOnIp: seenIn.get(g)! }))
    .sort((a, b) => b.size - a.size || b.seenOnIp - a.seenOnIp || (a.groupId < b.groupId ? -1 : 1))
    .slice(0, maxGroups);
  const views = marks.map((m) => markView(m, now));
  return {
    ip,
    display: shownEvidence('ip', ip, full),
    customers: customers.size,
    partners: partners.size,
    groups,
    sharedNow: views.some((m) => m.active),
    marks: views,
  };
}
