// Admin decisions and operations: who did what, and the inputs of the rule engine that are
// not imported (blacklist R-BL, level overrides R-LVL-2, shared IPs R-SAME-4, rule config).
export const adminSchema: string[] = [
  // R-OP-1: named operators with one role; a PIN (scrypt hash) where one is set
  `CREATE TABLE operators (
    operator_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'finance', 'support')),
    pin_hash TEXT,
    created_at INTEGER NOT NULL,
    created_by TEXT
  ) STRICT`,
  // R-OP-2: the decision trail, append-only and hash-chained (audit/chain.ts). audit_id runs
  // 1, 2, 3 … without gaps; each entry holds the hash of the one before it and its own hash.
  `CREATE TABLE audit_log (
    audit_id INTEGER PRIMARY KEY,
    recorded_at INTEGER NOT NULL,
    effective_at INTEGER NOT NULL,
    operator_id TEXT NOT NULL,
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    reason TEXT,
    before_json TEXT,
    after_json TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  ) STRICT`,
  `CREATE INDEX audit_log_recorded ON audit_log (recorded_at)`,
  `CREATE INDEX audit_log_operator ON audit_log (operator_id, audit_id)`,
  `CREATE INDEX audit_log_entity ON audit_log (entity_id, audit_id)`,
  `CREATE INDEX audit_log_action ON audit_log (action, audit_id)`,
  // the chain's head: how many entries and the last hash (a removed last entry is caught too)
  `CREATE TABLE audit_head (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    entries INTEGER NOT NULL,
    hash TEXT NOT NULL
  ) STRICT`,
  `INSERT INTO audit_head (one, entries, hash) VALUES (1, 0, '${'0'.repeat(64)}')`,
  // The store itself refuses to change or remove an entry, and links every new one to the head.
  `CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
   BEGIN SELECT RAISE(ABORT, 'the audit log is append-only (R-OP-2)'); END`,
  `CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
   BEGIN SELECT RAISE(ABORT, 'the audit log is append-only (R-OP-2)'); END`,
  `CREATE TRIGGER audit_log_link BEFORE INSERT ON audit_log
   WHEN NEW.audit_id IS NOT (SELECT entries + 1 FROM audit_head) OR NEW.prev_hash IS NOT (SELECT hash FROM audit_head)
   BEGIN SELECT RAISE(ABORT, 'an audit entry must follow the head of the chain (R-OP-2)'); END`,
  `CREATE TRIGGER audit_log_advance AFTER INSERT ON audit_log
   BEGIN UPDATE audit_head SET entries = NEW.audit_id, hash = NEW.hash; END`,
  `CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
   BEGIN SELECT RAISE(ABORT, 'the audit log is append-only (R-OP-2)'); END`,
  // R-BL, R-OP-3: added_at / lifted_at are the decision's effective instants (--at); recorded_at /
  // lift_recorded_at when it was recorded. An entry is in force from added_at until lifted_at.
  `CREATE TABLE blacklist_entries (
    entry_id INTEGER PRIMARY KEY,
    partner_id TEXT NOT NULL,
    restrict_promotion INTEGER NOT NULL DEFAULT 1,
    reason TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at INTEGER NOT NULL,
    recorded_at INTEGER NOT NULL,
    lifted_by TEXT,
    lifted_at INTEGER,
    lift_reason TEXT,
    lift_recorded_at INTEGER
  ) STRICT`,
  `CREATE INDEX blacklist_entries_partner ON blacklist_entries (partner_id)`,
  `CREATE INDEX blacklist_entries_added ON blacklist_entries (added_at)`,
  `CREATE TABLE level_overrides (
    override_id INTEGER PRIMARY KEY,
    partner_id TEXT NOT NULL,
    level TEXT NOT NULL,
    reason TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_by TEXT,
    revoked_at INTEGER,
    revoke_reason TEXT
  ) STRICT`,
  `CREATE INDEX level_overrides_partner ON level_overrides (partner_id)`,
  // R-SAME-4, R-OP-3: the history of shared-IP marks. A mark counts from marked_at (its effective
  // instant) until unmarked_at; marking again after an unmark is a new row. At most one open mark per IP.
  `CREATE TABLE shared_ips (
    mark_id INTEGER PRIMARY KEY,
    ip TEXT NOT NULL,
    reason TEXT NOT NULL,
    marked_by TEXT NOT NULL,
    marked_at INTEGER NOT NULL,
    recorded_at INTEGER NOT NULL,
    unmarked_by TEXT,
    unmarked_at INTEGER,
    unmark_reason TEXT,
    unmark_recorded_at INTEGER
  ) STRICT`,
  `CREATE INDEX shared_ips_ip ON shared_ips (ip, mark_id)`,
  `CREATE INDEX shared_ips_marked ON shared_ips (marked_at)`,
  // R-CLAW-4: an admin's decision on a risk flag. `blacklist` links the entry it created (or found
  // in force); `dismiss` keeps the flag quiet until a clawback dated after reflag_after.
  `CREATE TABLE risk_decisions (
    decision_id INTEGER PRIMARY KEY,
    partner_id TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('blacklist', 'dismiss')),
    reason TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    effective_at INTEGER NOT NULL,
    recorded_at INTEGER NOT NULL,
    blacklist_entry_id INTEGER,
    reflag_after INTEGER
  ) STRICT`,
  `CREATE INDEX risk_decisions_partner ON risk_decisions (partner_id, decision_id)`,
  // R-OP-3: a version takes effect from effective_from; a run uses the latest in effect at its as-of
  `CREATE TABLE rule_configs (
    version INTEGER PRIMARY KEY,
    config_json TEXT NOT NULL,
    note TEXT,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    effective_from INTEGER NOT NULL DEFAULT 0
  ) STRICT`,
  // 返利发放 (R-PAY-1..3, R-OP-4). A batch covers one cycle; `revision` moves on with every
  // decision on the batch or one of its lines, so that two decisions taken at once cannot both
  // pass (each names the revision it saw, payouts/batches.ts). At most one batch per cycle is
  // open (draft or held); after one is approved, a later batch of the cycle takes what became due
  // since (a lifted blacklist, lines held or rejected, lines the bank could not pay).
  `CREATE TABLE payout_batches (
    batch_id INTEGER PRIMARY KEY,
    cycle_key TEXT NOT NULL,
    cycle_start INTEGER NOT NULL,
    cycle_end INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'rejected', 'held')),
    revision INTEGER NOT NULL DEFAULT 0,
    config_version INTEGER NOT NULL,
    as_of INTEGER NOT NULL,
    run_id INTEGER NOT NULL,
    prepared_by TEXT NOT NULL,
    prepared_at INTEGER NOT NULL,
    lines INTEGER NOT NULL DEFAULT 0,
    total_fen INTEGER NOT NULL DEFAULT 0,
    frozen_partners INTEGER NOT NULL DEFAULT 0,
    frozen_fen INTEGER NOT NULL DEFAULT 0,
    decided_by TEXT,
    decided_at INTEGER,
    decision_reason TEXT,
    checksum TEXT,
    approved_lines INTEGER,
    approved_fen INTEGER,
    CHECK (decided_by IS NULL OR decided_by <> prepared_by)
  ) STRICT`,
  `CREATE UNIQUE INDEX payout_batches_open_cycle ON payout_batches (cycle_key) WHERE status IN ('draft', 'held')`,
  `CREATE INDEX payout_batches_cycle ON payout_batches (cycle_key, batch_id)`,
  // one line per partner: the engine's amount for the cycle, the payee as it was at preparation
  `CREATE TABLE payout_lines (
    line_id INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES payout_batches (batch_id),
    partner_id TEXT NOT NULL,
    confirmed_fen INTEGER NOT NULL,
    capped_fen INTEGER NOT NULL DEFAULT 0,
    carried_fen INTEGER NOT NULL DEFAULT 0,
    amount_fen INTEGER NOT NULL,
    payee_account TEXT,
    payee_name TEXT,
    payee_bank TEXT,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'held', 'paid', 'failed')),
    hold_code TEXT,
    decided_by TEXT,
    decided_at INTEGER,
    decision_reason TEXT,
    paid_by TEXT,
    paid_at INTEGER,
    bank_note TEXT,
    UNIQUE (batch_id, partner_id)
  ) STRICT`,
  `CREATE INDEX payout_lines_partner ON payout_lines (partner_id)`,
  // R-PAY-3: an approved batch is immutable, enforced by the store itself: its lines only go
  // approved → paid or approved → failed (the bank's result), nothing else of them changes; a
  // rejected batch does not change at all. (SQLite trigger syntax; a PostgreSQL store carries the
  // same guards as plpgsql triggers.)
  `CREATE TRIGGER payout_lines_frozen_update BEFORE UPDATE ON payout_lines
   WHEN (SELECT status FROM payout_batches WHERE batch_id = OLD.batch_id) = 'rejected'
     OR ((SELECT status FROM payout_batches WHERE batch_id = OLD.batch_id) = 'approved'
       AND NOT (OLD.status = 'approved' AND NEW.status IN ('paid', 'failed')
         AND NEW.line_id IS OLD.line_id AND NEW.batch_id IS OLD.batch_id AND NEW.partner_id IS OLD.partner_id
         AND NEW.confirmed_fen IS OLD.confirmed_fen AND NEW.capped_fen IS OLD.capped_fen
         AND NEW.carried_fen IS OLD.carried_fen AND NEW.amount_fen IS OLD.amount_fen
         AND NEW.payee_account IS OLD.payee_account AND NEW.payee_name IS OLD.payee_name
         AND NEW.payee_bank IS OLD.payee_bank AND NEW.hold_code IS OLD.hold_code
         AND NEW.decided_by IS OLD.decided_by AND NEW.decided_at IS OLD.decided_at
         AND NEW.decision_reason IS OLD.decision_reason))
   BEGIN SELECT RAISE(ABORT, 'approved payout batch is immutable (R-PAY-3)'); END`,
  `CREATE TRIGGER payout_lines_frozen_delete BEFORE DELETE ON payout_lines
   WHEN (SELECT status FROM payout_batches WHERE batch_id = OLD.batch_id) IN ('approved', 'rejected')
   BEGIN SELECT RAISE(ABORT, 'approved payout batch is immutable (R-PAY-3)'); END`,
  `CREATE TRIGGER payout_lines_frozen_insert BEFORE INSERT ON payout_lines
   WHEN (SELECT status FROM payout_batches WHERE batch_id = NEW.batch_id) IN ('approved', 'rejected')
   BEGIN SELECT RAISE(ABORT, 'approved payout batch is immutable (R-PAY-3)'); END`,
  `CREATE TRIGGER payout_batches_frozen BEFORE UPDATE ON payout_batches
   WHEN OLD.status IN ('approved', 'rejected')
   BEGIN SELECT RAISE(ABORT, 'approved payout batch is immutable (R-PAY-3)'); END`,
  `CREATE TRIGGER payout_batches_frozen_delete BEFORE DELETE ON payout_batches
   WHEN OLD.status IN ('approved', 'rejected')
   BEGIN SELECT RAISE(ABORT, 'approved payout batch is immutable (R-PAY-3)'); END`,
  // R-PAY-2: whoever prepared a batch decides none of its lines (the batch row has a CHECK)
  `CREATE TRIGGER payout_lines_maker_checker BEFORE UPDATE OF decided_by ON payout_lines
   WHEN NEW.decided_by IS NOT NULL
     AND NEW.decided_by = (SELECT prepared_by FROM payout_batches WHERE batch_id = NEW.batch_id)
   BEGIN SELECT RAISE(ABORT, 'the preparer of a payout batch cannot decide it (maker-checker, R-PAY-2)'); END`,
  // R-PAY-3: every export of an approved batch, with the SHA-256 of the file written
  `CREATE TABLE payout_exports (
    export_id INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES payout_batches (batch_id),
    format TEXT NOT NULL CHECK (format IN ('csv', 'xlsx')),
    layout TEXT NOT NULL CHECK (layout IN ('bank', 'generic')),
    sha256 TEXT NOT NULL,
    rows INTEGER NOT NULL,
    total_fen INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    exported_by TEXT NOT NULL,
    exported_at INTEGER NOT NULL
  ) STRICT`,
  `CREATE INDEX payout_exports_batch ON payout_exports (batch_id, export_id)`,
  `CREATE TABLE imports (
    import_id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('file', 'api', 'demo')),
    file_name TEXT NOT NULL,
    sha256 TEXT,
    rows_added INTEGER NOT NULL DEFAULT 0,
    rows_updated INTEGER NOT NULL DEFAULT 0,
    rows_unchanged INTEGER NOT NULL DEFAULT 0,
    rows_rejected INTEGER NOT NULL DEFAULT 0,
    rows_dangling INTEGER NOT NULL DEFAULT 0,
    duration_ms INTEGER NOT NULL DEFAULT 0,
    operator_id TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('committed', 'cancelled', 'failed'))
  ) STRICT`,
  `CREATE TABLE import_rejections (
    import_id INTEGER NOT NULL,
    line INTEGER NOT NULL,
    column_name TEXT,
    value TEXT,
    code TEXT NOT NULL,
    message_zh TEXT NOT NULL,
    message_en TEXT NOT NULL
  ) STRICT`,
  `CREATE INDEX import_rejections_import ON import_rejections (import_id)`,
  `CREATE TABLE api_sources (
    source TEXT PRIMARY KEY,
    base_url TEXT NOT NULL,
    token_ref TEXT,
    cursor TEXT,
    last_pull_at INTEGER,
    last_status TEXT,
    last_error TEXT
  ) STRICT`,
];
