/**
 * R-OP-1, R-OP-4: wrong PINs in a row per operator, and the pause they started (operators/
 * operators.ts authenticate), kept in the store: a pause outlives the app's restart, and holds for
 * every process that opens the store (each command line run, every desk of a team database), so a
 * 4-digit PIN is not guessed by starting again. Instants are epoch ms. A row exists only between a
 * wrong PIN and the next right one.
 */
export const pinAttemptsSchema: string[] = [
  `CREATE TABLE pin_attempts (
    operator_id TEXT PRIMARY KEY,
    wrong INTEGER NOT NULL,
    paused_until INTEGER NOT NULL,
    pauses INTEGER NOT NULL
  ) STRICT`,
];

/**
 * A team database's form adds grants: the roles that may add operators (the desks' roles, granted
 * the tables before this one existed) may keep the count too; without, each desk's count would be
 * its process's only. Run by the migrating owner (or a member of the owning role).
 */
export const pinAttemptsGrants: string[] = [
  `DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
           WHERE table_schema = current_schema() AND table_name = 'operators' AND privilege_type = 'INSERT'
             AND grantee <> current_user
  LOOP
    IF r.grantee = 'PUBLIC' THEN
      EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON pin_attempts TO PUBLIC';
    ELSE
      EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON pin_attempts TO %I', r.grantee);
    END IF;
  END LOOP;
END $$`,
];
