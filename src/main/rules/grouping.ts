/**
 * Same-person grouping of the whole store for a full recompute (R-SAME-1), as plain arrays, so
 * that it can be computed by another thread (full-run.ts) and give exactly what this thread
 * would: loadIdentity + buildSamePerson, then the same accessors over the same arrays.
 */
import type { SqlPort } from '../store/sql-port';
import { accountsFingerprint, loadIdentity } from './load';
import { buildSamePerson, samePersonResult, type SamePersonEdge, type SamePersonResult } from './same-person';
import type { EvidenceKind } from './types';

type Db = SqlPort;

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
 * Reads the store's identity evidence and groups every account (one connection, this thread);
 * the IPs marked shared at `asOf` are no evidence (R-SAME-4, R-OP-3).
 */
export function computeGrouping(db: Db, asOf: number): GroupingData {
  const { identity, sharedIps, danglingEvents } = loadIdentity(db, asOf);
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
  customerIds: string[],
  partnerIds: string[],
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
