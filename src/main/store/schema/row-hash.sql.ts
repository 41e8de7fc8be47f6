// Migration 4 (a team database only): each row of the result tables a full recompute writes carries
// the digest of the line the run wrote it from (`row_hash`, bytea: two 32-bit hashes and the
// line's length, store/pg-sync/row-diff.ts). The next full run reads each stored row's ctid and
// digest instead of the whole row to find what changed (engine/pg-full-write.ts, issue 13): a fifth
// of the bytes for the server to format and send, and nothing for the driver thread to hash again.
//
// A digest says what the row was when a run wrote it, so a row written otherwise must have none.
// The store's runs (full, incremental, a decision's) copy every row with its digest and say so for
// their transaction (`yunke.row_digests`, set by the driver thread before each such COPY); any other
// insert has its digest cleared (a row copied by hand from another keeps none), and so has an
// update that leaves the digest as it was (any update: a run writes a whole row only by inserting
// it), by the triggers below. A row without a digest matches no new row: the next full run writes it again. A store
// file has no such column: its full run rewrites every row (engine/persist.ts). A tool that writes
// the result tables with triggers off (session_replication_role = replica) must clear row_hash
// itself; a full run trusts the digests only while both triggers of a table are there and enabled
// (engine/pg-full-write.ts). An update of a column another tool added clears the digest too: the
// next full run writes that row again, and the other column takes its default, as in any row the
// run writes. The insert trigger makes PostgreSQL copy rows into the table one at a time (a BEFORE
// ROW trigger): about 5 % slower for 800,000 rows into result_orders with its indexes; a full run
// copies into fresh tables without triggers, or only its changed rows.
//
// Frozen as released: a change is a new migration.

/** The column of a result row's digest. */
export const ROW_HASH = 'row_hash';

/** Names of the digest triggers start so (pg-result-swap.ts makes them again on the swapped tables). */
export const ROW_HASH_TRIGGER_PREFIX = 'yunke_hash_';

/**
 * The result tables whose rows carry a digest: those a full recompute writes (persist.ts
 * RESULT_TABLES), as migration 4 made them. Frozen with it: a result table added later needs a
 * migration of its own (postgres.test.ts checks that both lists agree).
 */
export const DIGESTED_TABLES = [
  'result_attributions',
  'result_orders',
  'result_experience',
  'result_partners',
  'result_payouts',
  'result_levels',
  'result_same_person',
  'result_same_person_edges',
  'result_investigation',
  'result_investigation_partners',
] as const;

/** The setting a run's transaction turns on to keep the digests it writes. */
export const ROW_DIGESTS_SETTING = 'yunke.row_digests';

/** The digest triggers of a result table: on insert, on update. */
export const rowHashTriggers = (table: string): [string, string] => [
  `${ROW_HASH_TRIGGER_PREFIX}${table}_i`,
  `${ROW_HASH_TRIGGER_PREFIX}${table}_u`,
];

/** The statements of migration 4. */
export function rowHashes(): string[] {
  return [
    `CREATE FUNCTION yunke_row_hash_unset() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN NEW.${ROW_HASH} := NULL; RETURN NEW; END $$`,
    ...DIGESTED_TABLES.flatMap((t) => {
      const [onInsert, onUpdate] = rowHashTriggers(t);
      return [
        `ALTER TABLE ${t} ADD COLUMN ${ROW_HASH} bytea`,
        // (each WHEN keeps the function out of a row it has nothing to do to)
        `CREATE TRIGGER ${onInsert} BEFORE INSERT ON ${t} FOR EACH ROW
         WHEN (NEW.${ROW_HASH} IS NOT NULL AND current_setting('${ROW_DIGESTS_SETTING}', true) IS DISTINCT FROM 'on')
         EXECUTE FUNCTION yunke_row_hash_unset()`,
        `CREATE TRIGGER ${onUpdate} BEFORE UPDATE ON ${t} FOR EACH ROW
         WHEN (OLD.${ROW_HASH} IS NOT NULL AND NEW.${ROW_HASH} IS NOT DISTINCT FROM OLD.${ROW_HASH})
         EXECUTE FUNCTION yunke_row_hash_unset()`,
      ];
    }),
  ];
}
