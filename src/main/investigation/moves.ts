/**
 * R-SAME-4: how a shared-IP decision moves accounts between same-person groups, read from the
 * decision's captured member changes (engine/capture.ts) and the sizes the groups had before:
 * a group that splits (marking) or groups that join (unmarking). A single account is a group of
 * its own, named by its key (never stored).
 */
import type { GroupMove } from '../api/methods/investigation.contract';
import type { DecisionOutcome } from '../engine/decision-types';

export function groupMoves(
  members: DecisionOutcome['members'],
  beforeSizes: Map<string, number>,
): GroupMove[] {
  const moved = members.map((m) => {
    const key = `${m.kind}:${m.id}`;
    return { before: m.beforeGroup ?? key, after: m.afterGroup ?? key };
  });
  const out: GroupMove[] = [];
  // splits: a group some of whose accounts went elsewhere
  const leaving = new Map<string, Map<string, number>>();
  for (const m of moved) {
    const parts = leaving.get(m.before) ?? new Map<string, number>();
    parts.set(m.after, (parts.get(m.after) ?? 0) + 1);
    leaving.set(m.before, parts);
  }
  for (const [group, parts] of leaving) {
    const left = [...parts.values()].reduce((s, n) => s + n, 0);
    const stayed = (beforeSizes.get(group) ?? left) - left;
    const list = [...parts].map(([groupId, accounts]) => ({ groupId, accounts }));
    if (stayed > 0) list.push({ groupId: group, accounts: stayed });
    if (list.length >= 2) out.push({ kind: 'split', groupId: group, parts: sortParts(list) });
  }
  // merges: a group that accounts of other groups joined
  const joining = new Map<string, Map<string, number>>();
  for (const m of moved) {
    const parts = joining.get(m.after) ?? new Map<string, number>();
    parts.set(m.before, (parts.get(m.before) ?? 0) + 1);
    joining.set(m.after, parts);
  }
  for (const [group, parts] of joining) {
    const list = [...parts].map(([groupId, accounts]) => ({ groupId, accounts }));
    const own = beforeSizes.get(group);
    if (own !== undefined && !parts.has(group)) list.push({ groupId: group, accounts: own });
    if (list.length >= 2) out.push({ kind: 'merge', groupId: group, parts: sortParts(list) });
  }
  return out.sort(
    (a, b) =>
      total(b) - total(a) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.groupId < b.groupId ? -1 : 1),
  );
}

const total = (m: GroupMove) => m.parts.reduce((s, p) => s + p.accounts, 0);
const sortParts = (l: GroupMove['parts']) =>
  l.sort((a, b) => b.accounts - a.accounts || (a.groupId < b.groupId ? -1 : 1));
