// Tables that mirror the sources of DATA.md. Times are UTC epoch milliseconds (INTEGER),
// money is integer fen, booleans are 0/1. Dangling references are allowed on purpose
// (DATA.md: exports arrive in any order), so there are no foreign keys between sources.
// `import_id` is the import that last changed the row (for history and incremental recompute:
// the `*_import` indexes find the rows of one import without scanning the table).
export const sourcesSchema: string[] = [
  `CREATE TABLE product_lines (
    product_line TEXT PRIMARY KEY,
    name TEXT,
    rebate_eligible INTEGER NOT NULL,
    import_id INTEGER
  ) STRICT`,
  `CREATE TABLE sales_subjects (
    subject_id TEXT PRIMARY KEY,
    owner TEXT,
    import_id INTEGER
  ) STRICT`,
  `CREATE TABLE partners (
    partner_id TEXT PRIMARY KEY,
    account_id TEXT,
    name TEXT,
    phone TEXT,
    id_number TEXT,
    status TEXT NOT NULL,
    verified_at INTEGER,
    joined_at INTEGER,
    payee_account TEXT,
    payee_name TEXT,
    payee_bank TEXT,
    import_id INTEGER
  ) STRICT`,
  `CREATE INDEX partners_import ON partners (import_id)`,
  // support finds a partner or a customer by phone number or name (查询)
  `CREATE INDEX partners_phone ON partners (phone)`,
  `CREATE INDEX partners_name ON partners (name)`,
  `CREATE TABLE customers (
    customer_id TEXT PRIMARY KEY,
    customer_type TEXT,
    name TEXT,
    phone TEXT,
    id_number TEXT,
    registered_at INTEGER NOT NULL,
    registration_ip TEXT,
    subject_id TEXT,
    channel TEXT,
    import_id INTEGER
  ) STRICT`,
  `CREATE INDEX customers_import ON customers (import_id)`,
  `CREATE INDEX customers_phone ON customers (phone)`,
  `CREATE INDEX customers_name ON customers (name)`,
  // R-SAME-4: the accounts seen on an IP (a shared-IP decision regroups only those accounts' groups)
  `CREATE INDEX customers_registration_ip ON customers (registration_ip, customer_id)`,
  `CREATE TABLE referral_events (
    event_id TEXT PRIMARY KEY,
    partner_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    occurred_at INTEGER NOT NULL,
    ip TEXT,
    import_id INTEGER
  ) STRICT`,
  `CREATE INDEX referral_events_customer ON referral_events (customer_id, occurred_at)`,
  `CREATE INDEX referral_events_partner ON referral_events (partner_id, occurred_at)`,
  `CREATE INDEX referral_events_import ON referral_events (import_id)`,
  `CREATE INDEX referral_events_ip ON referral_events (ip, customer_id)`,
  `CREATE TABLE orders (
    order_id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    product_line TEXT NOT NULL,
    billing TEXT NOT NULL,
    subscription INTEGER NOT NULL,
    paid_fen INTEGER NOT NULL,
    ordered_at INTEGER NOT NULL,
    import_id INTEGER
  ) STRICT`,
  `CREATE INDEX orders_customer ON orders (customer_id, ordered_at)`,
  `CREATE INDEX orders_import ON orders (import_id)`,
  `CREATE TABLE refunds (
    refund_id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    amount_fen INTEGER NOT NULL,
    refunded_at INTEGER NOT NULL,
    import_id INTEGER
  ) STRICT`,
  `CREATE INDEX refunds_order ON refunds (order_id)`,
  `CREATE INDEX refunds_import ON refunds (import_id)`,
  `CREATE TABLE login_ips (
    account_id TEXT NOT NULL,
    ip TEXT NOT NULL,
    seen_at INTEGER NOT NULL,
    import_id INTEGER,
    PRIMARY KEY (account_id, ip, seen_at)
  ) STRICT`,
  `CREATE INDEX login_ips_ip ON login_ips (ip)`,
  `CREATE INDEX login_ips_import ON login_ips (import_id)`,
];
