// Migration 2 (a team database only): the result tables' capture triggers, made once by the role
// that sets the database up, so that a decision on any desk needs no DDL (engine/capture.ts).
//
// Before, a decision created plpgsql functions and triggers on the result tables inside its own
// transaction and dropped them before its end. Dropping a trigger is for the table's owner only,
// so every desk had to connect as the owning role to decide anything.
//
// Now the triggers are always there and do nothing unless their session says so: a table's fire
// only WHEN the setting `yunke.capture_<name>` is 'on', which a decision sets for its own
// transaction (SET LOCAL) after making its session's capture tables (pg_temp.cap_<name>, temp tables: the other
// sessions neither see nor fill them). The rows a trigger keeps are those the SQLite store's temp
// triggers keep: the first old value of each key, or the key alone (existed = 0) for a new row.
//
// Frozen as released: a change to the captured columns is a new migration. capture.test.ts checks
// that these columns are engine/capture.ts's CAPTURED.

/** The captured tables and columns as migration 2 made their triggers. */
export const CAPTURE_TRIGGERS_V2 = {
  orders: {
    table: 'result_orders',
    key: ['order_id'],
    cols: [
      'customer_id',
      'partner_id',
      'status',
      'reasons_json',
      'rebate_fen',
      'rebate_status',
      'level',
      'ratio_bp',
      'cycle_key',
    ],
  },
  partners: {
    table: 'result_partners',
    key: ['partner_id'],
    cols: [
      'level',
      'experience',
      'blacklisted',
      'pending_fen',
      'confirmed_fen',
      'frozen_fen',
      'negative_balance_fen',
      'risk_flag',
      'risk_status',
    ],
  },
  payouts: {
    table: 'result_payouts',
    key: ['partner_id', 'cycle_key'],
    cols: ['confirmed_fen', 'amount_fen', 'status'],
  },
  attributions: {
    table: 'result_attributions',
    key: ['event_id'],
    cols: ['customer_id', 'partner_id', 'status', 'reasons_json'],
  },
  members: {
    table: 'result_same_person',
    key: ['member_kind', 'member_id'],
    cols: ['group_id'],
  },
} as const;

/** The setting that turns a session's capture of one table on (engine/capture.ts sets it per
 * transaction). */
export const captureSetting = (name: string): string => `yunke.capture_${name}`;

/** Names of the capture triggers start so (pg-result-swap.ts rebuilds them on the swapped tables). */
export const CAPTURE_TRIGGER_PREFIX = 'yunke_cap_';

/** The functions and triggers of migration 2, per captured table. */
export function captureTriggers(defs: typeof CAPTURE_TRIGGERS_V2): string[] {
  // the functions earlier builds' decisions made and left behind (their triggers they dropped);
  // kept when this role may not drop them
  const out: string[] = [
    `DO $$ BEGIN
       DROP FUNCTION IF EXISTS ${Object.keys(defs)
         .flatMap((name) => ['u', 'd', 'i'].map((t) => `yk_cap_${name}_${t}()`))
         .join(', ')};
     EXCEPTION WHEN insufficient_privilege THEN NULL; END $$`,
  ];
  for (const [name, c] of Object.entries(defs)) {
    const when = `WHEN (current_setting('${captureSetting(name)}', true) = 'on')`;
    const all = [...c.key, ...c.cols].join(', ');
    const keep = (row: 'OLD' | 'NEW', existed: 0 | 1) =>
      `INSERT INTO pg_temp.cap_${name} (${all}, existed) VALUES (${[
        ...c.key.map((k) => `${row}.${k}`),
        ...c.cols.map((col) => (existed ? `${row}.${col}` : 'NULL')),
      ].join(', ')}, ${existed}) ON CONFLICT DO NOTHING`;
    const fn = `${CAPTURE_TRIGGER_PREFIX}${name}`;
    // the first old value of a row updated or deleted (a BEFORE UPDATE trigger returns the NEW row:
    // returning OLD would undo the update; a BEFORE DELETE the OLD one)
    out.push(
      `CREATE FUNCTION ${fn}_old() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN ${keep('OLD', 1)}; IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$`,
    );
    // a new row: its key alone (an AFTER trigger's return is ignored)
    out.push(
      `CREATE FUNCTION ${fn}_new() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN ${keep('NEW', 0)}; RETURN NEW; END $$`,
    );
    out.push(
      `CREATE TRIGGER ${fn}_u BEFORE UPDATE OF ${c.cols.join(', ')} ON ${c.table} FOR EACH ROW ${when} EXECUTE FUNCTION ${fn}_old()`,
    );
    out.push(
      `CREATE TRIGGER ${fn}_d BEFORE DELETE ON ${c.table} FOR EACH ROW ${when} EXECUTE FUNCTION ${fn}_old()`,
    );
    out.push(
      `CREATE TRIGGER ${fn}_i AFTER INSERT ON ${c.table} FOR EACH ROW ${when} EXECUTE FUNCTION ${fn}_new()`,
    );
  }
  return out;
}
