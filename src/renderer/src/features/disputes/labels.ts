/**
 * Colours and small formatting helpers of the dispute desk and the attribution timeline. Colours
 * are Mantine palette names, used through CSS variables so they follow the light or dark scheme.
 */
import type { MantineColor } from '@mantine/core';
import type {
  DisputeStatus,
  DisputeStake,
  TimelineOutcome,
} from '../../../../main/api/methods/disputes.contract';

export const STATUS_COLORS: Record<DisputeStatus, MantineColor> = {
  open: 'yellow',
  upheld: 'teal',
  rejected: 'gray',
  revoked: 'orange',
};

/**
 * Partners on a timeline, in order of first appearance; red and orange stay for failures, the
 * brand blue for the instant claimed.
 */
const PARTNER_PALETTE: MantineColor[] = [
  'teal',
  'grape',
  'cyan',
  'pink',
  'indigo',
  'lime',
  'violet',
  'yellow',
];

export function partnerColors(partnerIds: readonly string[]): Map<string, MantineColor> {
  const out = new Map<string, MantineColor>();
  for (const id of partnerIds)
    if (!out.has(id)) out.set(id, PARTNER_PALETTE[out.size % PARTNER_PALETTE.length]);
  return out;
}

export const OUTCOME_COLORS: Record<TimelineOutcome, MantineColor> = {
  created: 'teal',
  renewed: 'blue',
  replaced: 'grape',
  failed: 'red',
  dissolved: 'orange',
  evidence: 'gray',
  after_as_of: 'gray',
};

export const STAKE_COLORS: Record<DisputeStake['basis'], MantineColor> = {
  earned_by_other: 'orange',
  earned_by_claimant: 'teal',
  unattributed: 'yellow',
  none: 'gray',
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A waiting time in whole days and hours (minutes under an hour): the parts for i18n. */
export function durationParts(ms: number): { days: number; hours: number; minutes: number } {
  const clamped = Math.max(0, ms);
  const days = Math.floor(clamped / DAY);
  const hours = Math.floor((clamped % DAY) / HOUR);
  const minutes = Math.floor((clamped % HOUR) / 60_000);
  return { days, hours, minutes };
}

/** How urgent a wait looks: a week is long, two are too long. */
export function waitColor(ms: number): MantineColor | undefined {
  if (ms >= 14 * DAY) return 'red';
  if (ms >= 7 * DAY) return 'orange';
  return undefined;
}

/** `dispute:12` → 12. */
export function disputeOf(attributionId: string | null): number | null {
  if (!attributionId?.startsWith('dispute:')) return null;
  const n = Number(attributionId.slice('dispute:'.length));
  return Number.isInteger(n) ? n : null;
}
