import { FirstNodes, NodeValues } from './node-values';
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
 * An evidence edge appears once per (a, b, evidence, value), however often the account has the value.
 *
 * IP evidence (decision, DATA.md): a customer's registration IP, the IPs of its referral events
 * (the customer's own visit through the link) and login_ips rows whose account_id is the
 * customer id; a partner's login_ips rows whose account_id is the partner's account id.
 *
 * Performance: the input is columnar (one entry per node) and IP values arrive interned as
 * integers (the loader interns them while it scans), so grouping is a pass over typed arrays
 * with union–find on an Int32Array; phone and ID + name values are kept as bytes (NodeValues)
 * and go through a table of their own (FirstNodes).
 */
export interface IdentityNodes {
  /** customers sorted by id (nodes 0 … nc − 1) */
  customerIds: string[];
  /** partners sorted by id (nodes nc … nc + np − 1) */
  partnerIds: string[];
  /** the partners' account ids (same order as partnerIds) */
  partnerAccounts: (string | null)[];
  /** customer id → customer node, for partner accounts that are customer accounts */
  customerNodeOf: (customerId: string) => number | undefined;
  /** per node: normalized phone (normalizePhone), or none */
  phones: NodeValues;
  /** per node: normalized ID number + name (normalizeIdName), or none */
  idNames: NodeValues;
  /** IP evidence as (node, interned IP) pairs; `value(id)` is the trimmed IP */
  ip: IpPairs;
}

export interface IpPairs {
  nodes: Int32Array;
  ids: Int32Array;
  count: number;
  /** how many distinct values there are (ids 0 … distinct − 1) */
  distinct: number;
  /** the trimmed IP of id `v` */
  value(v: number): string;
  /** the id of an IP exactly as `value` gives it, if it was seen */
  idOf(text: string): number | undefined;
}

export interface SamePersonEdge {
  a: number;
  b: number;
  evidence: EvidenceKind;
  value: string;
}

export interface SamePersonResult {
  /** node index → group root (component representative, its smallest node) */
  root: Int32Array;
  /** node index → smallest node index of its component */
  minOf: Int32Array;
  /** root node → component size (0 for a node that is not a root) */
  size: Int32Array;
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
  let digits = true; // most phones are digits only: no regex, no new string
  for (let i = 0; i < p.length && digits; i++) {
    const c = p.charCodeAt(i);
    digits = c >= 48 && c <= 57;
  }
  let d = digits ? p : p.replace(/\D+/g, '');
  if (d.length === 13 && d.startsWith('86')) d = d.slice(2);
  return d.length >= 5 ? d : null;
}

export function normalizeIdName(idNumber: string | null, name: string | null): string | null {
  const id = idNumber?.trim().toUpperCase();
  const n = name?.trim();
  return id && n ? `${id}|${n}` : null;
}

/** ipv4Number's characters as bytes (a canonical IPv4 text has at most 15) */
const ipv4Scratch = new Uint8Array(15);

/**
 * Canonical dotted-quad IPv4 ("1.2.3.4": four parts 0–255, no leading zeros, nothing else) as
 * an unsigned 32-bit number, or -1. Canonical texts and numbers correspond one to one, so the
 * number can stand for the text when interning.
 */
export function ipv4Number(s: string): number {
  const n = s.length;
  if (n < 7 || n > 15) return -1;
  // its characters as bytes, read as ipv4NumberOfBytes reads them (none beyond ASCII is part of one)
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 127) return -1;
    ipv4Scratch[i] = c;
  }
  return ipv4NumberOfBytes(ipv4Scratch, 0, n);
}

/**
 * ipv4Number of the text in `bytes` a..e (UTF-8, as a team database's COPY gives it): the
 * canonical IPv4 text's number, -1 for any other text (a byte beyond ASCII is never part of one).
 */
export function ipv4NumberOfBytes(bytes: Uint8Array, a: number, e: number): number {
  const n = e - a;
  if (n < 7 || n > 15) return -1;
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = a; i < e; i++) {
    const c = bytes[i];
    if (c === 46) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && part === 0) return -1; // leading zero
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return -1;
    } else return -1;
  }
  if (digits === 0 || dots !== 3) return -1;
  return value * 256 + part;
}

/**
 * Growable (node, IP id) pair list for the loader. IPs are interned by value: canonical IPv4
 * texts through an open-addressing table keyed by their 32-bit number (no string hashing),
 * anything else through a Map of the text. Values are trimmed first (R-SAME-1 compares trimmed IPs).
 */
export class IpPairBuilder {
  private nodes = new Int32Array(1 << 16);
  private ids = new Int32Array(1 << 16);
  private count = 0;
  /** per id: its IPv4 number, or -1 for another text (in `texts`); the texts of IPv4 ids are
   * made again from the number when asked for, so a million of them are not kept (issue 13) */
  private nums = new Float64Array(1 << 16);
  private distinct = 0;
  private readonly texts = new Map<number, string>();
  private readonly other = new Map<string, number>();
  private keys = new Int32Array(1 << 16);
  private slots = new Int32Array(1 << 16); // id + 1, 0 = empty
  private used = 0;

  add(node: number, raw: string): void {
    this.push(node, this.id(raw));
  }

  /** add() of a canonical IPv4 text given as its number (ipv4Number, ipv4NumberOfBytes). */
  addIpv4(node: number, num: number): void {
    this.push(node, this.ipv4Id(num));
  }

  private push(node: number, id: number): void {
    if (this.count === this.nodes.length) {
      const nodes = new Int32Array(this.count * 2);
      nodes.set(this.nodes);
      this.nodes = nodes;
      const ids = new Int32Array(this.count * 2);
      ids.set(this.ids);
      this.ids = ids;
    }
    this.nodes[this.count] = node;
    this.ids[this.count++] = id;
  }

  private newId(num: number): number {
    const i = this.distinct++;
    if (i === this.nums.length) {
      const nums = new Float64Array(i * 2);
      nums.set(this.nums);
      this.nums = nums;
    }
    this.nums[i] = num;
    return i;
  }

  private id(raw: string): number {
    // trim() only when an end is not printable ASCII (it could then be whitespace)
    const first = raw.charCodeAt(0);
    const last = raw.charCodeAt(raw.length - 1);
    const value = raw.length > 0 && (first < 33 || first > 126 || last < 33 || last > 126) ? raw.trim() : raw;
    const num = ipv4Number(value);
    if (num < 0) {
      let i = this.other.get(value);
      if (i === undefined) {
        i = this.newId(-1);
        this.other.set(value, i);
        this.texts.set(i, value);
      }
      return i;
    }
    return this.ipv4Id(num);
  }

  private ipv4Id(num: number): number {
    const found = this.find(num);
    if (found >= 0) return found;
    const h = -found - 1;
    const i = this.newId(num);
    this.keys[h] = num | 0;
    this.slots[h] = i + 1;
    if (++this.used * 2 > this.slots.length) this.grow();
    return i;
  }

  /** The id of IPv4 number `num`, or −(free slot + 1) where it would go. */
  private find(num: number): number {
    const key = num | 0;
    const mask = this.slots.length - 1;
    let h = Math.imul(key, 0x9e3779b1) >>> 0;
    for (;;) {
      h &= mask;
      const slot = this.slots[h];
      if (slot === 0) return -h - 1;
      if (this.keys[h] === key) return slot - 1;
      h++;
    }
  }

  private grow(): void {
    const keys = this.keys;
    const slots = this.slots;
    this.keys = new Int32Array(slots.length * 2);
    this.slots = new Int32Array(slots.length * 2);
    const mask = this.slots.length - 1;
    for (let j = 0; j < slots.length; j++) {
      if (slots[j] === 0) continue;
      let h = Math.imul(keys[j], 0x9e3779b1) >>> 0;
      for (;;) {
        h &= mask;
        if (this.slots[h] === 0) break;
        h++;
      }
      this.keys[h] = keys[j];
      this.slots[h] = slots[j];
    }
  }

  build(): IpPairs {
    const nums = this.nums;
    const texts = this.texts;
    return {
      nodes: this.nodes,
      ids: this.ids,
      count: this.count,
      distinct: this.distinct,
      value: (v) => {
        const num = nums[v];
        return num < 0 ? texts.get(v)! : ipv4Text(num);
      },
      idOf: (text) => {
        const num = ipv4Number(text);
        if (num < 0) return this.other.get(text);
        const found = this.find(num);
        return found >= 0 ? found : undefined;
      },
    };
  }
}

/** The canonical dotted quad of an IPv4 number (ipv4Number's inverse). */
function ipv4Text(num: number): string {
  return `${Math.floor(num / 16777216)}.${(num >>> 16) & 255}.${(num >>> 8) & 255}.${num & 255}`;
}

export function buildSamePerson(input: IdentityNodes, sharedIps: Iterable<string>): SamePersonResult {
  const { customerIds, partnerIds, partnerAccounts, phones, idNames, ip } = input;
  const nc = customerIds.length;
  const n = nc + partnerIds.length;
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
  const edge = (first: number, node: number, evidence: EvidenceKind, value: string) => {
    edges.push({ a: first, b: node, evidence, value });
    union(first, node);
  };
  // one table per kind of string evidence (account ids of customers are unique: only partners' need one)
  // (partners' accounts numbered by partner: node − nc)
  const accounts = new NodeValues(partnerAccounts.length);
  for (const acc of partnerAccounts) accounts.push(acc || null);
  const firstAccount = new FirstNodes(accounts);
  const firstPhone = new FirstNodes(phones, n);
  const firstIdName = new FirstNodes(idNames, n);
  const link = (first: FirstNodes, values: NodeValues, node: number, evidence: EvidenceKind) => {
    const f = first.firstOr(node);
    if (f >= 0 && f !== node) edge(f, node, evidence, values.text(node));
  };
  // IP pairs bucketed by node (counting sort, stable), so every value is first seen at its smallest node
  const ipStart = new Int32Array(n + 1);
  for (let i = 0; i < ip.count; i++) ipStart[ip.nodes[i] + 1]++;
  for (let i = 0; i < n; i++) ipStart[i + 1] += ipStart[i];
  const fill = ipStart.slice(0, n);
  const ipOrder = new Int32Array(ip.count);
  for (let i = 0; i < ip.count; i++) ipOrder[fill[ip.nodes[i]]++] = i;
  // R-SAME-4: shared (and empty) IPs are no evidence; -2 marks them, -1 "not seen yet"
  const firstIp = new Int32Array(ip.distinct).fill(-1);
  for (const value of ['', ...sharedIps]) {
    const v = ip.idOf(value);
    if (v !== undefined) firstIp[v] = -2;
  }
  // per IP value: the last node linked by it, so a node that has the IP several times (several
  // login_ips rows, a registration IP that is also a referral IP …) yields one edge, not one per row
  const lastIp = new Int32Array(ip.distinct).fill(-1);

  for (let node = 0; node < n; node++) {
    // account: a customer's account id is its customer id (unique); partners name theirs
    if (node >= nc) {
      const acc = partnerAccounts[node - nc];
      if (acc) {
        const c = input.customerNodeOf(acc);
        if (c !== undefined) edge(c, node, 'account', acc);
        else {
          const f = firstAccount.firstOr(node - nc);
          if (f >= 0 && f !== node - nc) edge(nc + f, node, 'account', acc);
        }
      }
    }
    if (phones.has(node)) link(firstPhone, phones, node, 'phone');
    if (idNames.has(node)) link(firstIdName, idNames, node, 'id_number_name');
    for (let j = ipStart[node]; j < ipStart[node + 1]; j++) {
      const v = ip.ids[ipOrder[j]];
      const f = firstIp[v];
      if (f === -2) continue;
      if (f === -1) firstIp[v] = node;
      else if (f !== node && lastIp[v] !== node) {
        lastIp[v] = node;
        edge(f, node, 'ip', ip.value(v));
      }
    }
  }
  const root = new Int32Array(n);
  const size = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    root[i] = find(i);
    size[root[i]]++;
  }
  return samePersonResult(root, size, edges, customerIds, partnerIds);
}

/**
 * The grouping's accessors over its arrays (also used to rebuild a grouping computed by another
 * thread, rules/grouping.ts). union keeps the smaller index as root, so the root is the smallest member.
 */
export function samePersonResult(
  root: Int32Array,
  size: Int32Array,
  edges: SamePersonEdge[],
  customerIds: readonly string[],
  partnerIds: readonly string[],
): SamePersonResult {
  const nc = customerIds.length;
  const nodeKey = (node: number) =>
    node < nc ? `customer:${customerIds[node]}` : `partner:${partnerIds[node - nc]}`;
  return {
    root,
    minOf: root,
    size,
    sizeOf: (node) => size[root[node]],
    edges,
    nodeKey,
    groupIdOf: (node) => nodeKey(root[node]),
    customerNode: (i) => i,
    partnerNode: (i) => nc + i,
  };
}
