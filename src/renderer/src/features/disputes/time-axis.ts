/**
 * The time axis of the attribution timeline: a linear scale over epoch ms and ticks that fall on
 * Beijing calendar days or months (Asia/Shanghai has no daylight saving: UTC+8 all year).
 */
const BEIJING_OFFSET = 8 * 3_600_000;
const DAY = 86_400_000;

export interface Domain {
  from: number;
  until: number;
}

/** The instants to show, padded a little on both sides (at least a few days wide). */
export function paddedDomain(instants: readonly number[]): Domain {
  const finite = instants.filter((n) => Number.isFinite(n));
  if (finite.length === 0) {
    const now = Date.now();
    return { from: now - 7 * DAY, until: now + 7 * DAY };
  }
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (hi - lo < 6 * DAY) {
    const mid = (lo + hi) / 2;
    lo = mid - 3 * DAY;
    hi = mid + 3 * DAY;
  }
  const pad = Math.max((hi - lo) * 0.035, DAY / 2);
  return { from: lo - pad, until: hi + pad };
}

export function scale(domain: Domain, x0: number, x1: number): (ms: number) => number {
  const span = domain.until - domain.from || 1;
  return (ms) => x0 + ((ms - domain.from) / span) * (x1 - x0);
}

export interface Tick {
  at: number;
  /** a month (or year) tick, labelled with its month; else a day */
  month: boolean;
}

const beijingMidnight = (ms: number) => Math.floor((ms + BEIJING_OFFSET) / DAY) * DAY - BEIJING_OFFSET;

function monthStart(year: number, month: number): number {
  return Date.UTC(year, month, 1) - BEIJING_OFFSET;
}

/** Ticks on whole Beijing days (1, 2, 7 or 14) or months (1, 2, 3, 6, 12), at most `maxTicks`. */
export function ticks(domain: Domain, maxTicks: number): Tick[] {
  const span = domain.until - domain.from;
  const limit = Math.max(2, maxTicks);
  for (const days of [1, 2, 7, 14]) {
    if (span / (days * DAY) > limit) continue;
    let at = beijingMidnight(domain.from);
    if (days === 7) {
      // Mondays: the Beijing weekday of `at` (1970-01-01 was a Thursday)
      const weekday = (Math.floor((at + BEIJING_OFFSET) / DAY) + 3) % 7; // 0 = Monday
      at -= weekday * DAY;
    }
    const out: Tick[] = [];
    for (; at <= domain.until; at += days * DAY) if (at >= domain.from) out.push({ at, month: false });
    return out;
  }
  for (const months of [1, 2, 3, 6, 12]) {
    if (span / (months * 30.4 * DAY) > limit) continue;
    const first = new Date(domain.from + BEIJING_OFFSET);
    let y = first.getUTCFullYear();
    let m = first.getUTCMonth();
    m -= m % months;
    const out: Tick[] = [];
    for (let at = monthStart(y, m); at <= domain.until; at = monthStart(y, m)) {
      if (at >= domain.from) out.push({ at, month: true });
      m += months;
      if (m >= 12) {
        y += Math.floor(m / 12);
        m %= 12;
      }
    }
    return out;
  }
  return [];
}
