/**
 * The investigation queue (同人调查) rows of some groups, rebuilt from their stored results after
 * an incremental run.
 */
import { inChunks } from './load';
import { ResultWriter } from './persist';
import type { EvidenceKind } from '../rules/types';
import { investigationRow, type InvestigationGroupIn } from '../rules/investigation';
import { type Db } from './run-context';

/**
 * Incremental: the queue rows of some groups again, from their stored rows (members, evidence
 * edges, attributions and orders) through the same investigationRow as a full run.
 */
export function refreshInvestigation(
  db: Db,
  w: ResultWriter,
  groupIds: string[],
  asOf: number,
  deniedRatioBp: number,
): void {
  const ids = [...new Set(groupIds)].sort();
  if (ids.length === 0) return;
  const groups = new Map<string, InvestigationGroupIn>(
    ids.map((g) => [g, { groupId: g, members: [], referrers: new Set(), evidence: [], orders: [] }]),
  );
  const IN = 'IN (SELECT value FROM json_each(?))';
  const members = db
    .prepare(`SELECT group_id, member_kind, member_id FROM result_same_person WHERE group_id ${IN}`)
    .raw(true);
  const referrers = db
    .prepare(`SELECT DISTINCT group_id, partner_id FROM result_attributions WHERE group_id ${IN}`)
    .raw(true);
  const edges = db
    .prepare(`SELECT group_id, evidence, value FROM result_same_person_edges WHERE group_id ${IN}`)
    .raw(true);
  const orders = db
    .prepare(
      `SELECT group_id, order_id, customer_id, status, reasons_json, ordered_at, net_fen, rebate_fen, rebate_status, confirm_at
       FROM result_orders WHERE customer_id ${IN}`,
    )
    .raw(true);
  const customers: string[] = [];
  inChunks(ids, (json) => {
    for (const [g, kind, id] of members.all(json) as [string, 'customer' | 'partner', string][]) {
      groups.get(g)!.members.push({ kind, id });
      if (kind === 'customer') customers.push(id);
    }
  });
  // a group of one account (never stored as members) is never queued: only its old row goes
  const queued = ids.filter((g) => groups.get(g)!.members.length >= 2);
  inChunks(queued, (json) => {
    for (const [g, p] of referrers.all(json) as [string, string][]) groups.get(g)!.referrers.add(p);
    for (const [g, evidence, value] of edges.all(json) as [string, EvidenceKind, string][])
      groups.get(g)!.evidence.push({ evidence, value });
  });
  inChunks(customers, (json) => {
    for (const r of orders.all(json) as unknown[][])
      groups.get(r[0] as string)?.orders.push({
        orderId: r[1] as string,
        customerId: r[2] as string,
        status: r[3] as string,
        reasons: JSON.parse(r[4] as string) as string[],
        at: r[5] as number,
        netFen: r[6] as number,
        rebateFen: r[7] as number,
        rebateStatus: r[8] as string | null,
        confirmAt: r[9] as number | null,
      });
  });
  const rows: unknown[][] = [];
  const partners: unknown[][] = [];
  for (const g of groups.values()) {
    const q = investigationRow(g, asOf, deniedRatioBp);
    if (!q) continue;
    rows.push(q.row);
    partners.push(...q.partners);
  }
  w.replaceInvestigation(ids, rows, partners);
}
