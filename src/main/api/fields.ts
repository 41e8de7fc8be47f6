/**
 * Input fields every decision shares (R-OP-2, R-OP-3), one schema for the contract, the
 * decision dialog's form and the CLI. No Node imports.
 */
import { z } from 'zod';

/** R-OP-2: every decision needs a reason of at least 4 characters. */
export const reason = z
  .string()
  .trim()
  .min(4, '请填写至少 4 个字的原因 / a reason of at least 4 characters (R-OP-2)')
  .max(500);

/** R-OP-3: the instant a decision takes effect from (epoch ms); default: when it is recorded. */
export const effectiveAt = z.number().int().min(0).max(8_640_000_000_000_000).optional();

/** An instant given as epoch ms (a date filter, a range): 1970 to the end of year 9999, so weeks and days computed from it stay dates. */
export const instantField = z.number().int().min(0).max(253_402_300_799_999);

/** R-OP-4: a PIN asked again for approvals. */
export const confirmPin = z
  .string()
  .max(12)
  .regex(/^\d{4,12}$/, 'PIN 须为 4–12 位数字 / 4 to 12 digits')
  .optional();

/** Lists of a what-if or a decision's report are cut at this many rows (the totals count all). */
export const reportLimit = z.number().int().min(1).max(100_000).default(500);

/** An id of the store (order, customer, partner, group …): bounded like every input. */
export const idField = z.string().trim().min(1).max(200);
/** A search text. */
export const queryField = z.string().trim().max(200);
/** At most this many ids in one call (a list input is always bounded). */
export const MAX_IDS = 10_000;

/**
 * R-OP-1 / issue 12: an API source's token comes from an environment variable the user named, and
 * only from those under this prefix, so a page can never have another variable sent anywhere.
 */
export const TOKEN_ENV_PREFIX = 'YUNKE_TOKEN_';
export const tokenEnvField = z
  .string()
  .max(80)
  .regex(
    /^YUNKE_TOKEN_[A-Z0-9_]{1,64}$/,
    '须为名为 YUNKE_TOKEN_… 的环境变量（A–Z、0–9、_）/ an environment variable named YUNKE_TOKEN_… (A–Z, 0–9, _)',
  );

/** An API endpoint: https, or http to this machine only (tests, a local gateway); never file: or others. */
export const endpointField = z
  .string()
  .max(2000)
  .url()
  .refine((u) => {
    try {
      const url = new URL(u);
      if (url.username || url.password) return false;
      if (url.protocol === 'https:') return true;
      return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    } catch {
      return false;
    }
  }, '须为 https:// 地址，或指向 127.0.0.1、localhost 的 http:// 地址 / https://…, or http:// to 127.0.0.1 / localhost only');
