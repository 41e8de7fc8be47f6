/**
 * A few admin decisions for realism: the inputs of the rule engine that are not imported
 * (blacklist R-BL, level overrides R-LVL-2, shared IPs R-SAME-4, attribution disputes R-DISP),
 * each logged in the audit log the way the app logs them (R-BL-3: who, when, why).
 */
import type { SqlPort } from '../store/sql-port';
import { appendAuditSync } from '../audit/append';
import type { Actor, AuditInput } from '../audit/chain';

export interface DemoAdminPlan {
  operators: { admin: string; finance: string; support: string };
  blacklist: {
    partnerId: string;
    restrictPromotion: boolean;
    reason: string;
    addedAt: number;
    lifted?: { at: number; reason: string };
  }[];
  overrides: { partnerId: string; level: string; reason: string; startsAt: number; endsAt: number | null }[];
  sharedIps: { ip: string; reason: string; markedAt: number }[];
  /** attribution disputes (R-DISP-1), opened by support or an admin; most still open */
  disputes?: DemoDispute[];
}

export interface DemoDispute {
  partnerId: string;
  customerId: string;
  orderId: string | null;
  claim: string;
  claimedAt: number;
  openedBy: 'support' | 'admin';
  openedAt: number;
  /** R-DISP-2: upheld from `manualFrom`, or rejected; `revoked` after an uphold */
  decision?: {
    status: 'upheld' | 'rejected';
    at: number;
    reason: string;
    manualFrom: number | null;
    revoked?: { at: number; reason: string };
  };
}

/**
 * SQLite-specific (runs inside the caller's transaction). The decisions are written in the order
 * of their instants, so the audit log reads as the history it stands for (R-OP-2).
 */
export function writeDemoAdminDecisions(sqlite: SqlPort, plan: DemoAdminPlan): void {
  const admin: Actor = { operatorId: plan.operators.admin, role: 'admin', name: '周敏（演示管理员）' };
  const support: Actor = { operatorId: plan.operators.support, role: 'support', name: '刘洋（演示客服）' };
  // added_at / lifted_at and marked_at are the effective instants in the demo's past (R-OP-3);
  // recorded_at is when the demo load recorded them
  const blacklist = sqlite.prepare(
    `INSERT INTO blacklist_entries (partner_id, restrict_promotion, reason, added_by, added_at, recorded_at, lifted_by, lifted_at, lift_reason, lift_recorded_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const override = sqlite.prepare(
    `INSERT INTO level_overrides (partner_id, level, reason, starts_at, ends_at, created_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const shared = sqlite.prepare(
    'INSERT INTO shared_ips (ip, reason, marked_by, marked_at, recorded_at) VALUES (?, ?, ?, ?, ?)',
  );
  const steps: { at: number; write: () => void }[] = [];
  // recorded now (by the demo load), effective from the decision's instant in the demo's past (R-OP-3)
  const recordedAt = Date.now();
  const audit = (at: number, e: Omit<AuditInput, 'actor' | 'effectiveAt'>) =>
    appendAuditSync(sqlite, { actor: admin, effectiveAt: at, ...e }, recordedAt);
  for (const b of plan.blacklist) {
    let entryId = 0;
    steps.push({
      at: b.addedAt,
      write: () => {
        entryId = Number(
          blacklist.run(
            b.partnerId,
            b.restrictPromotion ? 1 : 0,
            b.reason,
            admin.operatorId,
            b.addedAt,
            recordedAt,
            b.lifted ? admin.operatorId : null,
            b.lifted?.at ?? null,
            b.lifted?.reason ?? null,
            b.lifted ? recordedAt : null,
          ).lastInsertRowid,
        );
        audit(b.addedAt, {
          action: 'blacklist.add',
          entity: 'partner',
          entityId: b.partnerId,
          reason: b.reason,
          after: { entryId, restrictPromotion: b.restrictPromotion, demo: true },
        });
      },
    });
    const lifted = b.lifted;
    if (lifted)
      steps.push({
        at: lifted.at,
        write: () =>
          audit(lifted.at, {
            action: 'blacklist.lift',
            entity: 'partner',
            entityId: b.partnerId,
            reason: lifted.reason,
            before: { entryId, restrictPromotion: b.restrictPromotion },
            after: { entryId, liftedAt: lifted.at, demo: true },
          }),
      });
  }
  for (const o of plan.overrides)
    steps.push({
      at: o.startsAt,
      write: () => {
        const id = override.run(
          o.partnerId,
          o.level,
          o.reason,
          o.startsAt,
          o.endsAt,
          admin.operatorId,
          o.startsAt,
        ).lastInsertRowid;
        audit(o.startsAt, {
          action: 'level.override',
          entity: 'partner',
          entityId: o.partnerId,
          reason: o.reason,
          after: { overrideId: Number(id), level: o.level, endsAt: o.endsAt, demo: true },
        });
      },
    });
  for (const ip of plan.sharedIps)
    steps.push({
      at: ip.markedAt,
      write: () => {
        const markId = Number(
          shared.run(ip.ip, ip.reason, admin.operatorId, ip.markedAt, recordedAt).lastInsertRowid,
        );
        audit(ip.markedAt, {
          action: 'shared_ip.mark',
          entity: 'ip',
          entityId: ip.ip,
          reason: ip.reason,
          after: { markId, markedAt: ip.markedAt, demo: true },
        });
      },
    });
  const dispute = sqlite.prepare(
    `INSERT INTO disputes (partner_id, customer_id, order_id, claim, claimed_at, opened_by, opened_at, status,
       decided_by, decided_at, decision_reason, manual_from, revoked_by, revoked_at, revoke_reason)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const d of plan.disputes ?? []) {
    let id = 0;
    const opener = d.openedBy === 'support' ? support : admin;
    const c = d.decision;
    steps.push({
      at: d.openedAt,
      write: () => {
        // the case as it stands now; its audit entries follow its history
        id = Number(
          dispute.run(
            d.partnerId,
            d.customerId,
            d.orderId,
            d.claim,
            d.claimedAt,
            opener.operatorId,
            d.openedAt,
            c ? (c.revoked ? 'revoked' : c.status) : 'open',
            c ? admin.operatorId : null,
            c?.at ?? null,
            c?.reason ?? null,
            c?.manualFrom ?? null,
            c?.revoked ? admin.operatorId : null,
            c?.revoked?.at ?? null,
            c?.revoked?.reason ?? null,
          ).lastInsertRowid,
        );
        appendAuditSync(
          sqlite,
          {
            actor: opener,
            action: 'dispute.open',
            entity: 'dispute',
            entityId: String(id),
            reason: d.claim,
            effectiveAt: d.openedAt,
            after: {
              disputeId: id,
              partnerId: d.partnerId,
              customerId: d.customerId,
              orderId: d.orderId,
              claimedAt: d.claimedAt,
              status: 'open',
              demo: true,
            },
          },
          recordedAt,
        );
      },
    });
    if (c)
      steps.push({
        at: c.at,
        write: () =>
          audit(c.status === 'upheld' ? c.manualFrom! : c.at, {
            action: c.status === 'upheld' ? 'dispute.uphold' : 'dispute.reject',
            entity: 'dispute',
            entityId: String(id),
            reason: c.reason,
            before: { status: 'open' },
            after: { disputeId: id, status: c.status, manualFrom: c.manualFrom, demo: true },
          }),
      });
    const revoked = c?.revoked;
    if (revoked)
      steps.push({
        at: revoked.at,
        write: () =>
          audit(c.manualFrom!, {
            action: 'dispute.revoke',
            entity: 'dispute',
            entityId: String(id),
            reason: revoked.reason,
            before: { status: 'upheld', manualFrom: c.manualFrom },
            after: { disputeId: id, status: 'revoked', demo: true },
          }),
      });
  }
  // a decision is recorded after the one before it: a stable sort keeps the plan's order on ties
  steps.sort((a, b) => a.at - b.at);
  for (const step of steps) step.write();
}
