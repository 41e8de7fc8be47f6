/**
 * Targeted regroup after a shared-IP decision (R-SAME-4, R-SAME-1), instead of a full recompute.
 *
 * Marking an IP shared removes it as evidence: a group can only split, and only a group with an
 * account seen on that IP (the others have no edge of it). Unmarking adds it back: the groups of
 * the accounts seen on it join into one, and no other group moves. So the *region* — every
 * member of the stored groups of the accounts seen on the IPs — is regrouped alone, with the
 * evidence of its accounts and the shared IPs in force at the as-of: no evidence links an account
 * of the region to one outside it (a value shared across would have put both in one stored group,
 * and the IPs decided are held only by accounts of the region). Groups are numbered as a full run
 * numbers them (a group's id is its smallest member, customers before partners), so the stored
 * rows become exactly what a full recompute would write (tested against it on random worlds).
 */
import type { SqlPort } from '../store/sql-port';
import {
  accountsSeenOn,
  inChunks,
  loadIdentityOf,
  readCustomerRows,
  sharedIpsAt,
  type CustomerRows,
} from './load';
import type { ResultWriter } from './persist';
import { buildSamePerson } from '../rules/same-person';

type Db = SqlPort;

export interface Regroup {
  /** the region's customers (every one of them is evaluated again) */
  customers: string[];
  /** the region's groups as stored before (some may no longer exist) */
  before: string[];
  /** the region's groups now (singletons included: a customer alone is `customer:<id>`) */
  after: string[];
  /** the customer members of each group of `after`, sorted (as stored now) */
  members: Map<string, string[]>;
  /** the region's customer rows and events, read once (for the evaluation of its groups) */
  rows: CustomerRows;
}

/** Regroups the region of `ips` at `asOf` and writes its same-person rows through `w`. */
export function regroupForIps(db: Db, ips: string[], asOf: number, w: ResultWriter): Regroup {
  const seen = accountsSeenOn(db, ips);
  const IN = 'IN (SELECT value FROM json_each(?))';
  // the stored groups of the accounts seen on the IPs (an account in none is a group of its own)
  const groupOf = db
    .prepare(`SELECT group_id FROM result_same_person WHERE member_kind = ? AND member_id ${IN}`)
    .pluck();
  const stored = new Set<string>();
  const customers = new Set(seen.customers);
  const partners = new Set(seen.partners);
  for (const [kind, ids] of [
    ['customer', seen.customers],
    ['partner', seen.partners],
  ] as const)
    inChunks(ids, (json) => {
      for (const g of groupOf.all(kind, json)) stored.add(g as string);
    });
  const members = db
    .prepare(`SELECT member_kind, member_id, group_id FROM result_same_person WHERE group_id ${IN}`)
    .raw(true);
  const grouped = new Set<string>();
  const storedMembers: [string, string, string][] = [];
  inChunks([...stored], (json) => {
    for (const r of members.all(json) as [string, string, string][]) {
      const [kind, id] = r;
      (kind === 'customer' ? customers : partners).add(id);
      grouped.add(`${kind}:${id}`);
      storedMembers.push(r);
    }
  });
  const before = new Set(stored);
  for (const key of [
    ...seen.customers.map((c) => `customer:${c}`),
    ...seen.partners.map((p) => `partner:${p}`),
  ])
    if (!grouped.has(key)) before.add(key);

  const rows = readCustomerRows(db, [...customers]);
  const identity = loadIdentityOf(db, [...customers], [...partners], rows);
  const sp = buildSamePerson(identity, sharedIpsAt(db, asOf));
  const nc = identity.customerIds.length;
  const kindOf = (node: number) => (node < nc ? 'customer' : 'partner');
  const idOf = (node: number) => (node < nc ? identity.customerIds[node] : identity.partnerIds[node - nc]);
  const memberRows: unknown[][] = [];
  const groups = new Map<string, string[]>();
  for (let node = 0; node < nc + identity.partnerIds.length; node++) {
    const g = sp.groupIdOf(node);
    let list = groups.get(g);
    if (!list) groups.set(g, (list = []));
    if (node < nc) list.push(idOf(node)); // customers come in id order
    if (sp.sizeOf(node) >= 2) memberRows.push([kindOf(node), idOf(node), g]);
  }
  const edgeRows = sp.edges.map((e) => [
    sp.groupIdOf(e.a),
    kindOf(e.a),
    idOf(e.a),
    kindOf(e.b),
    idOf(e.b),
    e.evidence,
    e.value,
  ]);
  w.replaceSamePerson([...stored], memberRows, edgeRows, storedMembers);
  return {
    customers: identity.customerIds,
    before: [...before].sort(),
    after: [...groups.keys()].sort(),
    members: groups,
    rows,
  };
}
