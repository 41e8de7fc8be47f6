/**
 * Same-person grouping of every account (R-SAME-1) as plain arrays, so that it can be computed by
 * another thread or connection (engine/full-run.ts, engine/compute-grouping.ts) and give exactly
 * what this thread would: buildSamePerson, then the same accessors over the same arrays.
 */
import {
  buildSamePerson,
  samePersonResult,
  type IdentityNodes,
  type SamePersonEdge,
  type SamePersonResult,
} from './same-person';
import type { EvidenceKind } from './types';

const KINDS: EvidenceKind[] = ['account', 'phone', 'id_number_name', 'ip'];

/** A grouping as arrays (what a worker posts; typed arrays are transferred, not copied). */
export interface GroupingData {
  customers: number;
  partners: number;
  /** accountsFingerprint of the ids the grouping numbered */
  fingerprint: number;
  root: Int32Array;
  size: Int32Array;
  edgeA: Int32Array;
  edgeB: Int32Array;
  /** index into KINDS */
  edgeKind: Uint8Array;
  edgeValue: string[];
  /** referral events naming no known customer (sorted) */
  danglingEvents: string[];
}

/**
 * Groups every account of `identity`; the IPs in `sharedIps` are no evidence (R-SAME-4).
 * `danglingEvents`: referral events naming no known customer, carried along for the run.
 */
export function groupingData(
  identity: IdentityNodes,
  sharedIps: Iterable<string>,
  danglingEvents: string[],
): GroupingData {
  const sp = buildSamePerson(identity, sharedIps);
  const m = sp.edges.length;
  const data: GroupingData = {
    customers: identity.customerIds.length,
    partners: identity.partnerIds.length,
    fingerprint: accountsFingerprint(identity.customerIds, identity.partnerIds),
    root: sp.root,
    size: sp.size,
    edgeA: new Int32Array(m),
    edgeB: new Int32Array(m),
    edgeKind: new Uint8Array(m),
    edgeValue: new Array<string>(m),
    danglingEvents,
  };
  sp.edges.forEach((e, i) => {
    data.edgeA[i] = e.a;
    data.edgeB[i] = e.b;
    data.edgeKind[i] = KINDS.indexOf(e.evidence);
    data.edgeValue[i] = e.value;
  });
  return data;
}

/** The grouping over the caller's accounts; throws when the grouping numbered other accounts. */
export function groupingResult(
  data: GroupingData,
  customerIds: readonly string[],
  partnerIds: readonly string[],
): SamePersonResult {
  if (
    data.customers !== customerIds.length ||
    data.partners !== partnerIds.length ||
    data.fingerprint !== accountsFingerprint(customerIds, partnerIds)
  )
    throw new Error(
      'same-person grouping read other accounts than the recompute (store changed while reading)',
    );
  const edges: SamePersonEdge[] = new Array<SamePersonEdge>(data.edgeA.length);
  for (let i = 0; i < edges.length; i++)
    edges[i] = {
      a: data.edgeA[i],
      b: data.edgeB[i],
      evidence: KINDS[data.edgeKind[i]],
      value: data.edgeValue[i],
    };
  return samePersonResult(data.root, data.size, edges, customerIds, partnerIds);
}

/**
 * A 32-bit fingerprint of the customer and partner ids (FNV-1a over their UTF-16 units): the
 * identity grouping and the rest of a full recompute may be read by two connections, and must
 * have read the same accounts (groupingResult checks it).
 */
export function accountsFingerprint(customerIds: readonly string[], partnerIds: readonly string[]): number {
  let h = 0x811c9dc5;
  for (const list of [customerIds, partnerIds]) {
    for (const id of list) {
      for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
      h = Math.imul(h ^ 0x1f, 0x01000193);
    }
    h = Math.imul(h ^ 0x1e, 0x01000193);
  }
  return h >>> 0;
}
