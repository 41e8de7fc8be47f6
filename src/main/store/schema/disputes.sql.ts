// Attribution disputes (R-DISP-1, R-DISP-2): a partner's claim that a customer is theirs, entered
// by support or an admin and decided by an admin. An upheld case is an input of the rule engine:
// a manual attribution of the customer to the claimant from `manual_from` (engine/load.ts).
export const disputesSchema: string[] = [
  `CREATE TABLE disputes (
    dispute_id INTEGER PRIMARY KEY,
    partner_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    order_id TEXT,
    claim TEXT NOT NULL,
    claimed_at INTEGER NOT NULL,
    opened_by TEXT NOT NULL,
    opened_at INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'rejected', 'revoked')),
    decided_by TEXT,
    decided_at INTEGER,
    decision_reason TEXT,
    manual_from INTEGER,
    revoked_by TEXT,
    revoked_at INTEGER,
    revoke_reason TEXT,
    CHECK ((status = 'open') = (decided_at IS NULL)),
    CHECK ((status IN ('upheld', 'revoked')) = (manual_from IS NOT NULL)),
    CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
  ) STRICT`,
  // the queue: open cases oldest first (and any status, paged the same way)
  `CREATE INDEX disputes_queue ON disputes (status, opened_at, dispute_id)`,
  // the engine loads a customer's upheld cases with its events (full and incremental runs)
  `CREATE INDEX disputes_customer ON disputes (customer_id, status)`,
  `CREATE INDEX disputes_partner ON disputes (partner_id, status)`,
];
