// Migration 4 (a team database only): each row of the result tables a full recompute writes carries
// the digest of the line the run wrote it from (`row_hash`, bytea: two 32-bit hashes and the
// line's length, store/pg-sync/row-diff.ts). The next full run reads each stored row's ctid and
// digest instead of the whole row to find what changed (engine/pg-full-write.ts, issue 13): a fifth
// of the bytes for the server to format and send, and nothing for the driver thread to hash again.
//
// A digest says what the row was when the run wrote it, so a row written otherwise must have none:
// an incremental or a decision's run inserts without one (the column's default, NULL); an update
// that leaves the digest as it was (every update but a full run's, which only inserts) clears it,
// by the trigger below. A row without a digest matches no new row: the next full run writes it
// again. A store file has no such column: its full run rewrites every row (engine/persist.ts).
//
// Frozen as released: a change is a new migration.

/** The column of a result row's digest. */
export const ROW_HASH = 'row_hash';

/** Names of the digest triggers start so (pg-result-swap.ts makes them again on the swapped tables). */
export const ROW_HASH_TRIGGER_PREFIX = 'yunke_hash_';

/** The result tables whose rows carry a digest: those a full recompute writes (persist.ts). */
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

/** The statements of migration 4. */
export function rowHashes(): string[] {
  return [
    `CREATE FUNCTION yunke_row_hash_stale() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN NEW.${ROW_HASH} := NULL; RETURN NEW; END $$`,
    ...DIGESTED_TABLES.flatMap((t) => [
      `ALTER TABLE ${t} ADD COLUMN ${ROW_HASH} bytea`,
      // (the WHEN keeps the function out of an update of a row already without one)
      `CREATE TRIGGER ${ROW_HASH_TRIGGER_PREFIX}${t} BEFORE UPDATE ON ${t} FOR EACH ROW
       WHEN (OLD.${ROW_HASH} IS NOT NULL AND NEW.${ROW_HASH} IS NOT DISTINCT FROM OLD.${ROW_HASH})
       EXECUTE FUNCTION yunke_row_hash_stale()`,
    ]),
  ];
}
