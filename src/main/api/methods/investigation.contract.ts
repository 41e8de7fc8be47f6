/**
 * 同人调查 (#/investigation): the queue of same-person groups that touch a partner, ranked by the
 * money at stake the engine stored with its results (R-SAME-1..4); a group as accounts and
 * evidence (hubs for values shared by many); the shortest chain of evidence between two accounts;
 * shared IPs marked and unmarked after a what-if by the real engine (R-SAME-4, R-OP-1..3).
 * Identity values are masked for every role but admin (138****0001, 1101**********0011,
 * 36.112.*.*). No Node imports: the renderer imports these types.
 */
import { z } from 'zod';
import type { DecisionOutcome } from '../../engine/decision-types';
import { ADMINS, method, READERS } from '../define';
import { effectiveAt, idField, queryField, reason, reportLimit } from '../fields';

export type EvidenceKind = 'account' | 'phone' | 'id_number_name' | 'ip';
export const EVIDENCE_KINDS = ['account', 'phone', 'id_number_name', 'ip'] as const;
export type Lang = 'zh-CN' | 'en';
/** `customer:<id>` or `partner:<id>` (a group's id is its smallest member's key) */
export type AccountKey = string;

/** One row of the investigation queue (result_investigation). */
export interface QueueRow {
  groupId: string;
  /** accounts in the group, customers and partners */
  size: number;
  customers: number;
  partners: number;
  /** distinct partners whose links the members used (register or login events) */
  referrers: number;
  orders: number;
  validOrders: number;
  /** customers whose first qualifying order the same-person judgment took away */
  deniedOrders: number;
  /** their rebates, estimated at the first level's ratio (rules/investigation.ts) */
  deniedFen: number;
  confirmedFen: number;
  pendingFen: number;
  /** frozen rebates (R-BL-1), shown apart: not in the stake */
  frozenFen: number;
  /** denied + confirmed + pending: the queue's rank */
  stakeFen: number;
  /** distinct evidence values per kind */
  evidence: Record<EvidenceKind, number>;
  /** the most accounts that share one value (a hub when large) */
  largestShare: number;
  /** the partners the group touches: members first, then referrers (at most 8) */
  partnerIds: string[];
}

export interface QueuePage {
  rows: QueueRow[];
  total: number;
  /** the results' as-of and config version (the queue is stored with them) */
  asOf: number | null;
  configVersion: number | null;
}

/** When and where an account showed an evidence value (registration, a login, a link event …). */
export interface Sighting {
  first: number | null;
  last: number | null;
  sources: ('registration' | 'login' | 'event' | 'profile')[];
}

export interface GroupMember {
  key: AccountKey;
  kind: 'customer' | 'partner';
  id: string;
  /** masked unless the caller is an admin */
  name: string | null;
  /** a customer's registration, a partner's joining */
  since: number | null;
  /** customers: their orders and the rebates they earn partners */
  orders: { count: number; valid: number; paidFen: number };
  rebates: { rebateFen: number; confirmedFen: number; pendingFen: number; frozenFen: number };
  /** customers: partners whose links they used */
  referredBy: string[];
  /** partners: their results */
  partner: { status: string; level: string | null; blacklisted: boolean; riskStatus: string | null } | null;
  /** the hubs the account belongs to */
  hubs: string[];
}

export interface GroupEdge {
  a: AccountKey;
  b: AccountKey;
  evidence: EvidenceKind;
  /** masked unless the caller is an admin */
  value: string;
  /** e.g. 同一手机号 138****0001 / same phone number 138****0001 */
  label: string;
  seenA: Sighting;
  seenB: Sighting;
}

/** A value shared by many accounts, drawn as one node with a count instead of one edge per account. */
export interface GroupHub {
  hubId: string;
  evidence: EvidenceKind;
  value: string;
  label: string;
  count: number;
  members: AccountKey[];
  seen: { first: number | null; last: number | null };
}

export interface GroupView {
  groupId: string;
  /** the queue row (null: a group the queue does not hold — a single account, or no partner) */
  summary: QueueRow | null;
  members: GroupMember[];
  edges: GroupEdge[];
  hubs: GroupHub[];
  /** distinct values per kind, before the evidence filter */
  evidenceCounts: Record<EvidenceKind, number>;
  masked: boolean;
  asOf: number | null;
}

export interface PathStep {
  from: AccountKey;
  to: AccountKey;
  evidence: EvidenceKind;
  value: string;
  label: string;
  seenFrom: Sighting;
  seenTo: Sighting;
}

export interface SamePersonPath {
  groupId: string | null;
  a: AccountKey;
  b: AccountKey;
  /** false: the two accounts are not the same person (not in one group) */
  linked: boolean;
  steps: PathStep[];
  /** a numbered list a support agent can paste, in both languages */
  text: Record<Lang, string>;
  masked: boolean;
}

export interface SharedIpMark {
  markId: number;
  ip: string;
  reason: string;
  markedBy: string;
  /** effective instant (R-OP-3) */
  markedAt: number;
  recordedAt: number;
  unmarkedBy: string | null;
  unmarkedAt: number | null;
  unmarkReason: string | null;
  unmarkRecordedAt: number | null;
  /** in force now (marked, not unmarked) */
  active: boolean;
}

export interface SharedIpAccounts {
  ip: string;
  /** masked unless the caller is an admin */
  display: string;
  customers: number;
  partners: number;
  /** the stored groups the accounts seen on it belong to (with their size) */
  groups: { groupId: string; size: number; seenOnIp: number }[];
  sharedNow: boolean;
  marks: SharedIpMark[];
}

/** How the groups of the region move: a group that splits, or groups that join. */
export interface GroupMove {
  kind: 'split' | 'merge';
  /** split: the group before; merge: the group after */
  groupId: string;
  /** split: the groups after (a singleton is its account's key); merge: the groups before */
  parts: { groupId: string; accounts: number }[];
}

export interface SharedIpOutcome extends DecisionOutcome {
  ip: string;
  action: 'mark' | 'unmark';
  effectiveAt: number;
  /** R-OP-3: effective after the results' as-of — nothing changes until a later recompute */
  takesEffectLater: boolean;
  groups: GroupMove[];
}

const evidence = z.enum(EVIDENCE_KINDS);
const lang = z.enum(['zh-CN', 'en']).default('zh-CN');
const accountKey = z
  .string()
  .max(220)
  .regex(/^(customer|partner):.+$/, 'customer:<id> 或 partner:<id> / customer:<id> or partner:<id>');
const ip = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^\S+$/, '不含空格的 IP 地址 / an IP address without spaces');

const SHARED_IP_WRITES = [
  'shared_ips',
  'audit_log',
  'engine_runs',
  'result_attributions',
  'result_orders',
  'result_experience',
  'result_partners',
  'result_payouts',
  'result_same_person',
  'result_same_person_edges',
  'result_investigation',
  'result_investigation_partners',
] as const;

const sharedIpDecision = z.object({ ip, reason, effectiveAt, limit: reportLimit }).strict();

export const investigationContract = {
  /** The queue, paged and sorted in the store; filters: evidence kind, size, partner. */
  'investigation.queue': method<QueuePage>()(
    z
      .object({
        evidence: evidence.optional(),
        minSize: z.number().int().min(2).optional(),
        maxSize: z.number().int().min(2).optional(),
        partnerId: idField.optional(),
        sort: z.enum(['stake', 'size', 'denied', 'group']).default('stake'),
        dir: z.enum(['asc', 'desc']).default('desc'),
        limit: z.number().int().min(1).max(200).default(50),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    READERS,
  ),
  /**
   * One group: members, evidence edges with when each value was seen, and hubs for values shared
   * by `hubMin` accounts or more. By group id, or by one of its accounts.
   */
  'investigation.group': method<GroupView>()(
    z
      .object({
        groupId: idField.optional(),
        account: accountKey.optional(),
        evidence: z.array(evidence).max(4).optional(),
        hubMin: z.number().int().min(3).max(100_000).default(20),
        lang,
      })
      .strict(),
    READERS,
  ),
  /** "Why are these two the same person?": the shortest chain of evidence between two accounts. */
  'investigation.path': method<SamePersonPath>()(
    z.object({ a: accountKey, b: accountKey, lang }).strict(),
    READERS,
  ),
  /** Shared-IP marks, newest first (active now, or ended, or all). */
  'ips.list': method<{ rows: SharedIpMark[]; total: number }>()(
    z
      .object({
        status: z.enum(['active', 'ended', 'all']).default('active'),
        query: queryField.optional(),
        limit: z.number().int().min(1).max(500).default(50),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    READERS,
  ),
  /** An IP: the accounts seen on it, their groups, and its marks. */
  'ips.accounts': method<SharedIpAccounts>()(z.object({ ip }).strict(), READERS),
  /**
   * What marking (or unmarking) an IP would change, computed by the engine without writing
   * (R-SAME-4). `action` defaults to the opposite of the IP's state.
   */
  'ips.preview': method<SharedIpOutcome>()(
    z
      .object({
        ip,
        action: z.enum(['mark', 'unmark']).optional(),
        reason: reason.optional(),
        effectiveAt,
        limit: reportLimit,
      })
      .strict(),
    READERS,
  ),
  'ips.mark': method<SharedIpOutcome>()(sharedIpDecision, ADMINS, [...SHARED_IP_WRITES]),
  'ips.unmark': method<SharedIpOutcome>()(sharedIpDecision, ADMINS, [...SHARED_IP_WRITES]),
};
