/** A payout operation refused for a reason the user can act on (zh / en message, details). */
export class PayoutError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** A unique index refused a row (SQLite or PostgreSQL). */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown };
  return (
    err?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    err?.code === '23505' ||
    (typeof err?.message === 'string' && /UNIQUE constraint failed/.test(err.message))
  );
}
