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
