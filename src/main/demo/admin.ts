/**
 * A few admin decisions for realism: the inputs of the rule engine that are not imported
 * (blacklist R-BL, level overrides R-LVL-2, shared IPs R-SAME-4), each logged in the audit log
 * the way the app logs them (R-BL-3: who, when, why).
 */
import type BetterSqlite3 from 'better-sqlite3';

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
}

/** SQLite-specific (runs inside the caller's transaction). */
export function writeDemoAdminDecisions(sqlite: BetterSqlite3.Database, plan: DemoAdminPlan): void {
  const admin = plan.operators.admin;
  const audit = sqlite.prepare(
    'INSERT INTO audit_log (at, operator_id, action, entity, entity_id, reason, details_json) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const blacklist = sqlite.prepare(
    `INSERT INTO blacklist_entries (partner_id, restrict_promotion, reason, added_by, added_at, lifted_by, lifted_at, lift_reason)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const b of plan.blacklist) {
    const entry = blacklist.run(
      b.partnerId,
      b.restrictPromotion ? 1 : 0,
      b.reason,
      admin,
      b.addedAt,
      b.lifted ? admin : null,
      b.lifted?.at ?? null,
      b.lifted?.reason ?? null,
    ).lastInsertRowid;
    const details = JSON.stringify({
      entryId: Number(entry),
      restrictPromotion: b.restrictPromotion,
      demo: true,
    });
    audit.run(b.addedAt, admin, 'blacklist.add', 'partner', b.partnerId, b.reason, details);
    if (b.lifted)
      audit.run(b.lifted.at, admin, 'blacklist.lift', 'partner', b.partnerId, b.lifted.reason, details);
  }
  const override = sqlite.prepare(
    `INSERT INTO level_overrides (partner_id, level, reason, starts_at, ends_at, created_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const o of plan.overrides) {
    const id = override.run(
      o.partnerId,
      o.level,
      o.reason,
      o.startsAt,
      o.endsAt,
      admin,
      o.startsAt,
    ).lastInsertRowid;
    audit.run(
      o.startsAt,
      admin,
      'level.override',
      'partner',
      o.partnerId,
      o.reason,
      JSON.stringify({ overrideId: Number(id), level: o.level, endsAt: o.endsAt, demo: true }),
    );
  }
  const shared = sqlite.prepare(
    'INSERT OR REPLACE INTO shared_ips (ip, reason, marked_by, marked_at) VALUES (?, ?, ?, ?)',
  );
  for (const s of plan.sharedIps) {
    shared.run(s.ip, s.reason, admin, s.markedAt);
    audit.run(s.markedAt, admin, 'shared_ip.mark', 'ip', s.ip, s.reason, JSON.stringify({ demo: true }));
  }
}
