import type { z } from 'zod';
import type { Role } from '../store/admin.table';
import type { TableName } from '../store/database';

export type { Role };
/** Who calls: an operator's role, or `system` (a script without --as: DATA.md's data commands). */
export type Caller = Role | 'system';
/**
 * Who may call a method (R-OP-1). `public`: callable before anyone has signed in (start-up,
 * sign-in, the first operator); everything else names the callers it serves.
 */
export type Access = 'public' | readonly Caller[];

/** Reading is open to every role (support reads everything, R-OP-1). */
export const READERS = ['admin', 'finance', 'support', 'system'] as const satisfies readonly Caller[];
/** Imports and pulls: admins and finance, and scheduled scripts. */
export const IMPORTERS = ['admin', 'finance', 'system'] as const satisfies readonly Caller[];
export const ADMINS = ['admin'] as const satisfies readonly Caller[];

/** Declares one contract method; `output` is a phantom type carrier, never read at run time. */
export function method<O>() {
  return <I extends z.ZodType>(input: I, access: Access, writes: TableName[] = []) => ({
    input,
    access,
    writes,
    output: undefined as unknown as O,
  });
}
