/**
 * Order statuses, reason codes and rebate statuses as the lookup screen shows them. The code → rule
 * table is RULES.md's "Order status and reason codes" table: support cites these ids.
 */
import type { MantineColor } from '@mantine/core';

export type OrderStatus = 'valid' | 'not_first' | 'not_attributed' | 'excluded' | 'ineligible';

/** In the order the engine checks them (RULES.md), valid first. */
export const ORDER_STATUSES: readonly OrderStatus[] = [
  'valid',
  'not_first',
  'not_attributed',
  'excluded',
  'ineligible',
];

/** The same colours as the dashboard's decision breakdown. */
export const STATUS_COLORS: Record<string, MantineColor> = {
  valid: 'teal',
  not_first: 'blue',
  not_attributed: 'yellow',
  excluded: 'red',
  ineligible: 'gray',
};

export const REBATE_STATUS_COLORS: Record<string, MantineColor> = {
  pending: 'yellow',
  confirmed: 'teal',
  frozen: 'red',
  clawed_back: 'orange',
  capped: 'grape',
};

/** RULES.md: reason code → the rules it rests on. */
export const REASON_RULES: Record<string, readonly string[]> = {
  PARTNER_NOT_ACTIVE: ['R-JOIN-1', 'R-ATTR-4e'],
  SAME_PERSON_AS_PARTNER: ['R-ATTR-4a', 'R-EXCL-3', 'R-SAME-2'],
  LOCKED_BY_OTHER_PARTNER: ['R-ATTR-1', 'R-ATTR-4b'],
  SALES_OWNED: ['R-ATTR-4c'],
  PARTNER_BLACKLISTED: ['R-ATTR-4d', 'R-BL-2'],
  NOT_ATTRIBUTED: ['R-ORDER-1b'],
  NOT_ELIGIBLE_PRODUCT: ['R-EXCL-2', 'R-ORDER-3'],
  NOT_PREPAID: ['R-ORDER-3'],
  ZERO_AMOUNT: ['R-ORDER-3'],
  PRIOR_PROGRAM_ORDER: ['R-EXCL-1', 'R-ORDER-4'],
  NOT_FIRST_ORDER: ['R-ORDER-1a', 'R-ORDER-4'],
  CHANNEL_OWNED: ['R-EXCL-4'],
  PARTNER_FROZEN: ['R-EXCL-5', 'R-BL-1'],
  CLAWED_BACK: ['R-CLAW-1'],
  CAPPED: ['R-REB-2'],
};

/** Reasons that only reduce a valid order's rebate are informational, the others explain a refusal. */
export function reasonColor(code: string): MantineColor {
  if (code === 'CLAWED_BACK' || code === 'CAPPED') return 'orange';
  if (code === 'PARTNER_FROZEN' || code === 'PARTNER_BLACKLISTED') return 'red';
  return 'gray';
}
