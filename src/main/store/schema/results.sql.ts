// Results of the rule engine (R-RECALC-1): a pure function of sources, admin decisions and
// the rule config. Each run records the config version and as-of it used (engine_runs); the
// result tables hold the latest run. Rows carry group_id so that an incremental recompute can
// replace one same-person group's rows.
// Keys are UNIQUE indexes rather than PRIMARY KEYs on the big tables, so that a full recompute
// can drop them for its bulk insert and build them once, sorted, afterwards (engine/persist.ts).
export const resultsSchema: string[] = [
  `CREATE TABLE engine_runs (
    run_id INTEGER PRIMARY KEY,
    config_version INTEGER NOT NULL,
    as_of INTEGER NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('full', 'incremental')),
    started_at INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    stats_json TEXT NOT NULL DEFAULT '{}'
  ) STRICT`,
  `CREATE TABLE result_attributions (
    event_id TEXT NOT NULL,
    group_id TEXT NOT NULL,
    partner_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    from_at INTEGER NOT NULL,
    until_at INTEGER,
    locked INTEGER NOT NULL,
    status TEXT NOT NULL,
    reasons_json TEXT NOT NULL DEFAULT '[]'
  ) STRICT`,
  `CREATE UNIQUE INDEX result_attributions_event ON result_attributions (event_id)`,
  // no customer_id index: no query reads attributions by customer (explain reads result_orders,
  // incremental scopes by group_id), and a full recompute would rebuild it for nothing
  `CREATE INDEX result_attributions_group ON result_attributions (group_id)`,
  `CREATE TABLE result_orders (
    order_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    group_id TEXT NOT NULL,
    partner_id TEXT,
    status TEXT NOT NULL,
    reasons_json TEXT NOT NULL DEFAULT '[]',
    ordered_at INTEGER NOT NULL,
    paid_fen INTEGER NOT NULL,
    net_fen INTEGER NOT NULL,
    clawed INTEGER NOT NULL DEFAULT 0,
    rebate_fen INTEGER NOT NULL DEFAULT 0,
    gross_rebate_fen INTEGER NOT NULL DEFAULT 0,
    capped_fen INTEGER NOT NULL DEFAULT 0,
    rebate_status TEXT,
    experience INTEGER NOT NULL DEFAULT 0,
    level TEXT,
    ratio_bp INTEGER,
    cycle_key TEXT,
    confirm_at INTEGER,
    attribution_event_id TEXT,
    clawed_at INTEGER
  ) STRICT`,
  `CREATE UNIQUE INDEX result_orders_order ON result_orders (order_id)`,
  `CREATE INDEX result_orders_partner ON result_orders (partner_id, status)`,
  `CREATE INDEX result_orders_customer ON result_orders (customer_id)`,
  // the valid orders alone (about one in eight), with what payouts, statements and the dashboard's
  // trends read of them: those read the index, never the table (queries name status = 'valid' as
  // a literal, so that the planner may use a partial index)
  `CREATE INDEX result_orders_valid ON result_orders (partner_id, cycle_key, ordered_at, order_id, rebate_fen,
    rebate_status, confirm_at, capped_fen, clawed, paid_fen, net_fen, ratio_bp, gross_rebate_fen) WHERE status = 'valid'`,
  // no group_id index: a group's orders are found through its customers (the members stored in
  // result_same_person), and a full recompute does not build a fourth index of 800k rows
  `CREATE TABLE result_experience (
    group_id TEXT NOT NULL,
    partner_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    order_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    delta INTEGER NOT NULL,
    source_id TEXT NOT NULL
  ) STRICT`,
  `CREATE INDEX result_experience_partner ON result_experience (partner_id)`,
  `CREATE INDEX result_experience_group ON result_experience (group_id)`,
  `CREATE TABLE result_partners (
    partner_id TEXT PRIMARY KEY,
    experience INTEGER NOT NULL,
    level TEXT NOT NULL,
    blacklisted INTEGER NOT NULL,
    pending_fen INTEGER NOT NULL,
    confirmed_fen INTEGER NOT NULL,
    frozen_fen INTEGER NOT NULL,
    negative_balance_fen INTEGER NOT NULL DEFAULT 0,
    risk_flag INTEGER NOT NULL DEFAULT 0,
    details_json TEXT NOT NULL DEFAULT '{}',
    risk_valid_orders INTEGER NOT NULL DEFAULT 0,
    risk_clawed_orders INTEGER NOT NULL DEFAULT 0,
    risk_rate_bp INTEGER NOT NULL DEFAULT 0,
    risk_status TEXT CHECK (risk_status IN ('open', 'dismissed', 'blacklisted'))
  ) STRICT`,
  // R-LVL-1 / R-LVL-2: each partner's level over time, a row where it changes (from `at` on,
  // after the experience credited at `at`): the level history of a partner, and partners per
  // level in the dashboard's trends
  `CREATE TABLE result_levels (
    partner_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    level TEXT NOT NULL,
    experience INTEGER NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('experience', 'override')),
    override_id INTEGER,
    PRIMARY KEY (partner_id, at)
  ) STRICT`,
  // the dashboard's weekly trends (dashboard/trends.ts), computed once per engine run and state of
  // the paid lines (result_trend_state) for every week of the store's span, read by range
  `CREATE TABLE result_trend_weeks (
    week_start INTEGER PRIMARY KEY,
    valid_orders INTEGER NOT NULL,
    pending_fen INTEGER NOT NULL,
    confirmed_fen INTEGER NOT NULL,
    paid_fen INTEGER NOT NULL,
    frozen_fen INTEGER NOT NULL,
    clawed_orders INTEGER NOT NULL,
    clawed_fen INTEGER NOT NULL,
    levels_json TEXT NOT NULL
  ) STRICT`,
  `CREATE TABLE result_trend_state (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    run_id INTEGER NOT NULL,
    paid_lines INTEGER NOT NULL,
    from_week INTEGER NOT NULL,
    until_week INTEGER NOT NULL
  ) STRICT`,
  `CREATE TABLE result_payouts (
    partner_id TEXT NOT NULL,
    cycle_key TEXT NOT NULL,
    cycle_start INTEGER NOT NULL,
    cycle_end INTEGER NOT NULL,
    confirmed_fen INTEGER NOT NULL,
    paid_fen INTEGER NOT NULL,
    carried_fen INTEGER NOT NULL,
    amount_fen INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'due', 'closed')),
    PRIMARY KEY (partner_id, cycle_key)
  ) STRICT`,
  `CREATE TABLE result_same_person (
    member_kind TEXT NOT NULL CHECK (member_kind IN ('partner', 'customer')),
    member_id TEXT NOT NULL,
    group_id TEXT NOT NULL,
    PRIMARY KEY (member_kind, member_id)
  ) STRICT`,
  `CREATE INDEX result_same_person_group ON result_same_person (group_id)`,
  `CREATE TABLE result_same_person_edges (
    group_id TEXT NOT NULL,
    a_kind TEXT NOT NULL,
    a_id TEXT NOT NULL,
    b_kind TEXT NOT NULL,
    b_id TEXT NOT NULL,
    evidence TEXT NOT NULL CHECK (evidence IN ('account', 'phone', 'id_number_name', 'ip')),
    value TEXT NOT NULL
  ) STRICT`,
  // (group_id, then the order evidence is listed in): a group's first edges without sorting them all
  `CREATE INDEX result_same_person_edges_group ON result_same_person_edges (group_id, a_kind, a_id, b_kind, b_id)`,
  // 同人调查: the investigation queue (rules/investigation.ts), one row per same-person group of two or
  // more accounts that touches a partner (a partner account in the group, or a member referred by a
  // partner), with the money at stake that ranks it. Written by full and incremental runs alike.
  `CREATE TABLE result_investigation (
    group_id TEXT NOT NULL,
    size INTEGER NOT NULL,
    customers INTEGER NOT NULL,
    partners INTEGER NOT NULL,
    referrers INTEGER NOT NULL,
    orders INTEGER NOT NULL,
    valid_orders INTEGER NOT NULL,
    denied_orders INTEGER NOT NULL,
    denied_fen INTEGER NOT NULL,
    confirmed_fen INTEGER NOT NULL,
    pending_fen INTEGER NOT NULL,
    frozen_fen INTEGER NOT NULL,
    stake_fen INTEGER NOT NULL,
    ev_account INTEGER NOT NULL,
    ev_phone INTEGER NOT NULL,
    ev_id_name INTEGER NOT NULL,
    ev_ip INTEGER NOT NULL,
    largest_share INTEGER NOT NULL
  ) STRICT`,
  `CREATE UNIQUE INDEX result_investigation_group ON result_investigation (group_id)`,
  // the queue's first page in the order of money at stake, or of size, without sorting the table
  `CREATE INDEX result_investigation_stake ON result_investigation (stake_fen DESC, group_id)`,
  `CREATE INDEX result_investigation_size ON result_investigation (size DESC, group_id)`,
  // the partners a queued group touches: a member (the partner's own account) or a referrer
  `CREATE TABLE result_investigation_partners (
    group_id TEXT NOT NULL,
    partner_id TEXT NOT NULL,
    member INTEGER NOT NULL,
    referrer INTEGER NOT NULL
  ) STRICT`,
  `CREATE UNIQUE INDEX result_investigation_partners_key ON result_investigation_partners (partner_id, group_id)`,
  `CREATE INDEX result_investigation_partners_group ON result_investigation_partners (group_id)`,
];
