import type { EvidenceKind } from './types';

/**
 * R-SAME-1: same-person groups are the connected components of the evidence graph over
 * partner and customer accounts: shared account id, phone, ID-card number + name together,
 * or IP address. R-SAME-4: admin-marked shared IPs are not evidence.
 *
 * Nodes are numbered in the order of their keys (`customer:<id>` < `partner:<id>`), so the
 * first account seen with a value is the smallest: for a value shared by k accounts we keep
 * k − 1 star edges from it (no O(k²) edges), and a group's id is its smallest member key.
 *
 * IP evidence (decision, DATA.md): a customer's registration IP, the IPs of its referral events
 * (the customer's own visit through the link) and login_ips rows whose account_id is the
 * customer id; a partner's login_ips rows whose account_id is the partner's account id.
 */
export interface IdentityPartner {
  id: string;
  accountId: string | null;
  name: string | null;
  phone: string | null;
  idNumber: string | null;
}
export interface IdentityCustomer {
  id: string;
  name: string | null;
  phone: string | null;
  idNumber: string | null;
}

export interface SamePersonEdge {
  a: number;
  b: number;
  evidence: EvidenceKind;
  value: string;
}

export interface SamePersonResult {
  /** node index → group root (component representative) */
  root: Int32Array;
  /** node index → smallest node index of its component */
  minOf: Int32Array;
  /** node index → component size */
  sizeOf: (node: number) => number;
  edges: SamePersonEdge[];
  nodeKey: (node: number) => string;
  groupIdOf: (node: number) => string;
  customerNode: (customerIndex: number) => number;
  partnerNode: (partnerIndex: number) => number;
}

export function normalizePhone(p: string | null): string | null {
  if (!p) return null;
  let d = p.replace(/\D+/g, '');
  if (d.length === 13 && d.startsWith('86')) d = d.slice(2);
  return d.length >= 5 ? d : null;
}

export function normalizeIdName(idNumber: string | null, name: string | null): string | null {
  const id = idNumber?.trim().toUpperCase();
  const n = name?.trim();
  return id && n ? `${id}|${n}` : null;
}

/**
 * @param customers sorted by id
 * @param partners sorted by id
 * @param ipPairs IP evidence as (node, ip) pairs, node from `customerNode`/`partnerNode`
 */
export function buildSamePerson(
  customers: IdentityCustomer[],
  partners: IdentityPartner[],
  ipPairs: { nodes: Int32Array | number[]; ips: string[] },
  sharedIps: { has(ip: string): boolean },
): SamePersonResult {
  const nc = customers.length;
  const n = nc + partners.length;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (x: number): number => {
    let r = x;
    while (parent[r] !== r) r = parent[r];
    while (parent[x] !== r) {
      const nx = parent[x];
      parent[x] = r;
      x = nx;
    }
    return r;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return;
    if (ra < rb) parent[rb] = ra;
    else parent[ra] = rb;
  };
  const edges: SamePersonEdge[] = [];
  // one map per kind of evidence: no key concatenation on the hot path
  const firstOf: Record<EvidenceKind, Map<string, number>> = {
    account: new Map(),
    phone: new Map(),
    id_number_name: new Map(),
    ip: new Map(),
  };
  const link = (node: number, evidence: EvidenceKind, value: string) => {
    const first = firstOf[evidence];
    const f = first.get(value);
    if (f === undefined) first.set(value, node);
    else if (f !== node) {
      edges.push({ a: f, b: node, evidence, value });
      union(f, node);
    }
  };
  // IP pairs bucketed by node, so every value is first seen at its smallest node
  const ipStart = new Int32Array(n + 1);
  for (let i = 0; i < ipPairs.ips.length; i++) ipStart[ipPairs.nodes[i] + 1]++;
  for (let i = 0; i < n; i++) ipStart[i + 1] += ipStart[i];
  const fill = ipStart.slice(0, n);
  const ipOrder = new Int32Array(ipPairs.ips.length);
  for (let i = 0; i < ipPairs.ips.length; i++) ipOrder[fill[ipPairs.nodes[i]]++] = i;

  for (let node = 0; node < n; node++) {
    if (node < nc) {
      const c = customers[node];
      link(node, 'account', c.id);
      const ph = normalizePhone(c.phone);
      if (ph) link(node, 'phone', ph);
      const idn = normalizeIdName(c.idNumber, c.name);
      if (idn) link(node, 'id_number_name', idn);
    } else {
      const p = partners[node - nc];
      if (p.accountId) link(node, 'account', p.accountId);
      const ph = normalizePhone(p.phone);
      if (ph) link(node, 'phone', ph);
      const idn = normalizeIdName(p.idNumber, p.name);
      if (idn) link(node, 'id_number_name', idn);
    }
    for (let j = ipStart[node]; j < ipStart[node + 1]; j++) {
      const ip = ipPairs.ips[ipOrder[j]];
      if (ip && !sharedIps.has(ip)) link(node, 'ip', ip); // R-SAME-4
    }
  }
  const root = new Int32Array(n);
  const size = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    root[i] = find(i);
    size[root[i]]++;
  }
  // union keeps the smaller index as root, so the root is the smallest member
  const nodeKey = (node: number) =>
    node < nc ? `customer:${customers[node].id}` : `partner:${partners[node - nc].id}`;
  return {
    root,
    minOf: root,
    sizeOf: (node) => size[root[node]],
    edges,
    nodeKey,
    groupIdOf: (node) => nodeKey(root[node]),
    customerNode: (i) => i,
    partnerNode: (i) => nc + i,
  };
}
