import { describe, expect, it } from 'vitest';
import type {
  GroupEdge,
  GroupHub,
  GroupMember,
  GroupView,
} from '../../../../main/api/methods/investigation.contract';
import { buildGraph, SUMMARY_MIN } from './graph-model';

const seen = { first: null, last: null, sources: [] };

function member(key: string, hubs: string[] = []): GroupMember {
  const [kind, id] = key.split(':') as ['customer' | 'partner', string];
  return {
    key,
    kind,
    id,
    name: null,
    since: null,
    orders: { count: 0, valid: 0, paidFen: 0 },
    rebates: { rebateFen: 0, confirmedFen: 0, pendingFen: 0, frozenFen: 0 },
    referredBy: [],
    partner:
      kind === 'partner' ? { status: 'active', level: 'L1', blacklisted: false, riskStatus: null } : null,
    hubs,
  };
}

const edge = (a: string, b: string, evidence: GroupEdge['evidence'] = 'phone'): GroupEdge => ({
  a,
  b,
  evidence,
  value: `${a}-${b}`,
  label: '',
  seenA: seen,
  seenB: seen,
});

/** The shape of the largest demo group: two office IPs shared by ~1,100 accounts each, pairs by phone. */
function largeGroup(n = 2333): Pick<GroupView, 'members' | 'edges' | 'hubs'> {
  const keys = Array.from({ length: n }, (_, i) => `customer:${String(i).padStart(6, '0')}`);
  const hubs: GroupHub[] = ['211.95.50.13', '211.95.50.15'].map((ip, h) => ({
    hubId: `ip:${ip}`,
    evidence: 'ip',
    value: ip,
    label: ip,
    count: 0,
    members: keys.filter((_, i) => i % 2 === h),
    seen: { first: null, last: null },
  }));
  for (const h of hubs) h.count = h.members.length;
  const members = keys.map((k, i) => member(k, [hubs[i % 2].hubId]));
  // a pair by phone every 13 accounts, some across the two hubs
  const edges: GroupEdge[] = [];
  for (let i = 0; i + 1 < n; i += 13) edges.push(edge(keys[i], keys[i + 1]));
  hubs.sort((a, b) => b.count - a.count);
  return { members, edges, hubs };
}

function minDistance(nodes: { x: number; y: number }[]): number {
  // grid buckets: only neighbours are compared
  const cell = 20;
  const grid = new Map<string, { x: number; y: number }[]>();
  let min = Infinity;
  for (const p of nodes) {
    const gx = Math.floor(p.x / cell);
    const gy = Math.floor(p.y / cell);
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++)
        for (const q of grid.get(`${gx + dx},${gy + dy}`) ?? [])
          min = Math.min(min, Math.hypot(p.x - q.x, p.y - q.y));
    const k = `${gx},${gy}`;
    grid.set(k, [...(grid.get(k) ?? []), p]);
  }
  return min;
}

describe('identity graph model (R-SAME-4: evidence visible, hubs for values shared by many)', () => {
  it('R-SAME-4: a small group draws every account and every evidence link, hubs with their members', () => {
    const hub: GroupHub = {
      hubId: 'ip:10.0.0.1',
      evidence: 'ip',
      value: '10.0.0.1',
      label: '',
      count: 3,
      members: ['customer:K1', 'customer:K2', 'partner:P1'],
      seen: { first: null, last: null },
    };
    const g = buildGraph({
      members: [
        member('customer:K1', [hub.hubId]),
        member('customer:K2', [hub.hubId]),
        member('partner:P1', [hub.hubId]),
        member('customer:K3'),
      ],
      edges: [edge('customer:K2', 'customer:K3')],
      hubs: [hub],
    });
    expect(g.nodes.map((n) => n.kind).sort()).toEqual(['customer', 'customer', 'customer', 'hub', 'partner']);
    expect(g.edges.filter((e) => !e.hub)).toHaveLength(1);
    expect(
      g.edges
        .filter((e) => e.hub)
        .map((e) => e.source)
        .sort(),
    ).toEqual(hub.members);
    expect(g.summarised.size).toBe(0);
    expect(minDistance(g.nodes)).toBeGreaterThan(12);
  });

  it('R-SAME-4: the largest demo group is summarised: accounts linked only by a shared value stay inside its hub', () => {
    const view = largeGroup();
    expect(view.members.length).toBeGreaterThanOrEqual(SUMMARY_MIN);
    const t0 = performance.now();
    const g = buildGraph(view);
    const ms = performance.now() - t0;
    const linked = new Set(view.edges.flatMap((e) => [e.a, e.b]));
    // drawn: the hubs and the accounts with other evidence; every other account is summarised into its own hub
    expect(g.nodes.filter((n) => n.kind !== 'hub')).toHaveLength(linked.size);
    expect(g.summarised.size).toBe(view.members.length - linked.size);
    for (const [key, hub] of g.summarised) {
      const h = view.hubs[Number(hub.slice(4))];
      expect(h.members).toContain(key);
    }
    // no hundreds of edges: the evidence links, and a hub edge only across clusters
    expect(g.edges.length).toBeLessThan(2 * view.edges.length);
    expect(minDistance(g.nodes)).toBeGreaterThan(12);
    expect(ms).toBeLessThan(1000);
  });

  it('R-SAME-4: every account on request, none overlapping, the same picture every time', () => {
    const view = largeGroup();
    const g = buildGraph(view, { all: true });
    expect(g.nodes.filter((n) => n.kind !== 'hub')).toHaveLength(view.members.length);
    expect(g.summarised.size).toBe(0);
    expect(minDistance(g.nodes)).toBeGreaterThan(12);
    // each account sits around its own hub: nearer to it than to the other one
    const hubs = g.nodes.filter((n) => n.kind === 'hub');
    const at = new Map(g.nodes.map((n) => [n.id, n]));
    for (const [i, h] of view.hubs.entries())
      for (const m of h.members.slice(0, 50)) {
        const p = at.get(m)!;
        const d = hubs.map((x) => Math.hypot(p.x - x.x, p.y - x.y));
        expect(d[i]).toBeLessThan(d[1 - i]);
      }
    expect(buildGraph(view, { all: true })).toEqual(g);
  });
});
