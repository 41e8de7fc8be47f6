/**
 * The identity graph's elements and their positions, computed from a group view without any
 * drawing library (so it is tested on its own and costs O(accounts) for the largest groups).
 *
 * Nodes are the group's accounts and its hubs (one node per evidence value shared by many
 * accounts, with their count); edges are the evidence links the engine stored, and one edge from
 * each account to each hub it belongs to.
 *
 * Layout ("hub clusters"): every account sits in the cluster of its largest hub (accounts without
 * a hub join the cluster of an account they are linked to, or form their own); inside a cluster
 * the accounts lie on rings around the hub, linked accounts side by side, and the clusters are packed in rows, the
 * largest first. It is deterministic (the same group always looks the same), overlaps nothing,
 * and takes a few milliseconds for thousands of accounts, where a force-directed layout needs
 * seconds. Small groups are then polished by a short force-directed pass (IdentityGraph.tsx).
 *
 * Large groups (SUMMARY_MIN accounts or more) are drawn summarised by default: an account whose
 * only evidence is one shared value stays inside that value's hub node (its count says how many
 * share it) instead of being drawn as one more dot; accounts with any other evidence are drawn.
 * `all` draws every account. Either way an account's membership of its own cluster's hub is
 * shown by its place on the rings, and drawn as an edge only in small groups.
 */
import type { GroupView } from '../../../../main/api/methods/investigation.contract';
import type { AccountKey, EvidenceKind } from './evidence';

export interface GraphNode {
  id: string;
  kind: 'customer' | 'partner' | 'hub';
  label: string;
  evidence?: EvidenceKind;
  count?: number;
  blacklisted?: boolean;
  x: number;
  y: number;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  evidence: EvidenceKind;
  /** the value shown (masked for support) */
  value: string;
  /** to a hub node */
  hub: boolean;
}

export interface GraphModel {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** accounts not drawn (summarised), each with the hub node that holds it */
  summarised: Map<AccountKey, string>;
}

/** Groups of this many accounts or more are summarised unless every account is asked for. */
export const SUMMARY_MIN = 300;
/** Up to this many accounts, each account's membership of its cluster's hub is drawn as an edge. */
const HUB_EDGES_MAX = 60;

/** Distance between neighbouring accounts on a ring (px at zoom 1). */
const SPACING = 19;
const CLUSTER_GAP = 46;

const hubNodeId = (i: number) => `hub#${i}`;

/** A hub node's diameter for the number of accounts sharing its value (IdentityGraph draws it so). */
export const hubSize = (count: number) => Math.round(22 + 10 * Math.log2(Math.max(2, count)));

/**
 * Positions on concentric rings around (0, 0), filled in order from `inner` outwards: accounts
 * next to each other in the order sit next to each other on a ring, so linked accounts ordered
 * together are drawn side by side. Without `inner` the first account takes the centre.
 */
function rings(n: number, inner: number | null): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  let i = 0;
  if (inner === null && n > 0) {
    out.push({ x: 0, y: 0 });
    i = 1;
  }
  let r = inner ?? SPACING * 1.4;
  while (i < n) {
    const slots = Math.max(6, Math.floor((2 * Math.PI * r) / SPACING));
    const take = Math.min(slots, n - i);
    // the last, partial ring spreads its accounts around the whole circle
    const step = (2 * Math.PI) / (take < slots ? take : slots);
    const start = r / SPACING; // each ring starts at another angle: no radial lines
    for (let k = 0; k < take; k++, i++)
      out.push({ x: r * Math.cos(start + k * step), y: r * Math.sin(start + k * step) });
    r += SPACING * 0.95;
  }
  return out;
}

interface Cluster {
  hub: number | null;
  members: AccountKey[];
  radius: number;
  cx: number;
  cy: number;
}

export function buildGraph(
  view: Pick<GroupView, 'members' | 'edges' | 'hubs'>,
  options: { all?: boolean; aspect?: number } = {},
): GraphModel {
  // a summarised large group leaves out the accounts whose only evidence is one hub
  const linked = new Set<AccountKey>();
  for (const e of view.edges) linked.add(e.a).add(e.b);
  const summarise = !options.all && view.members.length >= SUMMARY_MIN;
  const summarised = new Map<AccountKey, string>();
  const hubIndex = new Map(view.hubs.map((h, i) => [h.hubId, i]));
  const drawn = summarise
    ? view.members.filter((m) => {
        if (linked.has(m.key) || m.hubs.length !== 1) return true;
        summarised.set(m.key, hubNodeId(hubIndex.get(m.hubs[0]) ?? 0));
        return false;
      })
    : view.members;
  const memberKeys = drawn.map((m) => m.key);
  const known = new Set(memberKeys);
  // hubs, largest first (the view sorts them so); an account's first hub is its largest
  const hubsOf = new Map<AccountKey, number[]>();
  view.hubs.forEach((h, i) => {
    for (const m of h.members) {
      if (!known.has(m)) continue;
      const l = hubsOf.get(m);
      if (l) l.push(i);
      else hubsOf.set(m, [i]);
    }
  });
  const neighbours = new Map<AccountKey, AccountKey[]>();
  for (const e of view.edges) {
    if (!known.has(e.a) || !known.has(e.b)) continue;
    (neighbours.get(e.a) ?? neighbours.set(e.a, []).get(e.a)!).push(e.b);
    (neighbours.get(e.b) ?? neighbours.set(e.b, []).get(e.b)!).push(e.a);
  }

  // clusters: one per hub, then accounts without a hub follow a linked account breadth-first
  const clusterOf = new Map<AccountKey, number>();
  const clusters: Cluster[] = view.hubs.map((_, i) => ({ hub: i, members: [], radius: 0, cx: 0, cy: 0 }));
  for (const k of memberKeys) {
    const hs = hubsOf.get(k);
    if (hs && hs.length > 0) {
      clusterOf.set(k, hs[0]);
      clusters[hs[0]].members.push(k);
    }
  }
  const queue: AccountKey[] = [...clusterOf.keys()];
  const spread = (from: AccountKey[]) => {
    for (let q = 0; q < from.length; q++) {
      const k = from[q];
      const c = clusterOf.get(k)!;
      for (const n of neighbours.get(k) ?? []) {
        if (clusterOf.has(n)) continue;
        clusterOf.set(n, c);
        clusters[c].members.push(n);
        from.push(n);
      }
    }
  };
  spread(queue);
  // the rest: linked components without a hub, each a cluster around its best-linked account
  const rest = memberKeys.filter((k) => !clusterOf.has(k));
  rest.sort(
    (a, b) => (neighbours.get(b)?.length ?? 0) - (neighbours.get(a)?.length ?? 0) || (a < b ? -1 : 1),
  );
  for (const k of rest) {
    if (clusterOf.has(k)) continue;
    const c = clusters.length;
    clusters.push({ hub: null, members: [k], radius: 0, cx: 0, cy: 0 });
    clusterOf.set(k, c);
    spread([k]);
  }

  // inside each cluster: the hub in the centre (or its first account), the others on rings
  // around it, linked accounts next to each other (breadth-first through their evidence)
  const local = new Map<AccountKey, { x: number; y: number }>();
  for (const c of clusters) {
    const inCluster = new Set(c.members);
    const ordered: AccountKey[] = [];
    const seen = new Set<AccountKey>();
    for (const start of c.members) {
      if (seen.has(start)) continue;
      seen.add(start);
      const queue = [start];
      for (let q = 0; q < queue.length; q++) {
        ordered.push(queue[q]);
        for (const n of neighbours.get(queue[q]) ?? [])
          if (inCluster.has(n) && !seen.has(n)) {
            seen.add(n);
            queue.push(n);
          }
      }
    }
    c.members = ordered;
    const inner = c.hub !== null ? hubSize(view.hubs[c.hub].count) / 2 + SPACING : null;
    const pts = rings(c.members.length, inner);
    c.members.forEach((k, i) => local.set(k, pts[i]));
    const outer = pts.reduce((m, p) => Math.max(m, Math.hypot(p.x, p.y)), inner ?? 0);
    c.radius = outer + SPACING;
  }

  // pack the clusters in rows, largest first
  const order = clusters.map((_, i) => i).sort((a, b) => clusters[b].radius - clusters[a].radius || a - b);
  const area = clusters.reduce((s, c) => s + (2 * c.radius + CLUSTER_GAP) ** 2, 0);
  // rows about as wide as the drawing area is wide for its height
  const aspect = options.aspect ?? 1.4;
  const rowWidth = Math.max(
    Math.sqrt(area * aspect) * 1.2,
    clusters.length ? 2 * clusters[order[0]].radius : 0,
  );
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const i of order) {
    const c = clusters[i];
    const d = 2 * c.radius;
    if (x > 0 && x + d > rowWidth) {
      x = 0;
      y += rowHeight + CLUSTER_GAP;
      rowHeight = 0;
    }
    c.cx = x + c.radius;
    c.cy = y + c.radius;
    x += d + CLUSTER_GAP;
    rowHeight = Math.max(rowHeight, d);
  }

  const nodes: GraphNode[] = [];
  view.hubs.forEach((h, i) => {
    const c = clusters[i];
    nodes.push({
      id: hubNodeId(i),
      kind: 'hub',
      label: h.value,
      evidence: h.evidence,
      count: h.count,
      x: c.cx,
      y: c.cy,
    });
  });
  for (const m of drawn) {
    const c = clusters[clusterOf.get(m.key)!];
    const p = local.get(m.key)!;
    nodes.push({
      id: m.key,
      kind: m.kind,
      label: m.id,
      blacklisted: m.partner?.blacklisted ?? false,
      x: c.cx + p.x,
      y: c.cy + p.y,
    });
  }
  const edges: GraphEdge[] = [];
  view.edges.forEach((e, i) => {
    if (!known.has(e.a) || !known.has(e.b)) return;
    edges.push({ id: `e${i}`, source: e.a, target: e.b, evidence: e.evidence, value: e.value, hub: false });
  });
  const hubEdges = memberKeys.length <= HUB_EDGES_MAX;
  view.hubs.forEach((h, i) => {
    for (const m of h.members)
      if (known.has(m) && (hubEdges || clusterOf.get(m) !== i))
        edges.push({
          id: `h${i}:${m}`,
          source: m,
          target: hubNodeId(i),
          evidence: h.evidence,
          value: h.value,
          hub: true,
        });
  });
  return { nodes, edges, summarised };
}

/** The hub node of a hub (by its position in the view's list). */
export const hubNode = hubNodeId;
