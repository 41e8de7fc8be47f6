/**
 * Input fields every decision shares (R-OP-2, R-OP-3), one schema for the contract, the
 * decision dialog's form and the CLI. No Node imports.
 */
import { z } from 'zod';

/** R-OP-2: every decision needs a reason of at least 4 characters. */
export const reason = z.string().trim().min(4, 'a reason of at least 4 characters (R-OP-2)').max(500);

/** R-OP-3: the instant a decision takes effect from (epoch ms); default: when it is recorded. */
export const effectiveAt = z.number().int().min(0).max(8_640_000_000_000_000).optional();

/** R-OP-4: a PIN asked again for approvals. */
export const confirmPin = z
  .string()
  .regex(/^\d{4,12}$/, '4 to 12 digits')
  .optional();

/** Lists of a what-if or a decision's report are cut at this many rows (the totals count all). */
export const reportLimit = z.number().int().min(1).max(100_000).default(500);
