/**
 * The demo's time line: every generated instant lies in [DEMO_FROM, DEMO_UNTIL), i.e.
 * 2026-01-01 00:00 … 2026-11-20 23:59:59 Asia/Shanghai, in whole seconds (what an export carries).
 */
import { Rng, Weighted } from './prng';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** 2026-01-01T00:00:00+08:00 */
export const DEMO_FROM = Date.UTC(2025, 11, 31, 16, 0, 0);
/** 2026-11-21T00:00:00+08:00 (exclusive) */
export const DEMO_UNTIL = Date.UTC(2026, 10, 20, 16, 0, 0);
export const DEMO_DAYS = Math.round((DEMO_UNTIL - DEMO_FROM) / DAY);

/** Instant of a Shanghai-local date in 2026 (month 1–12). */
export function shanghai(month: number, day: number, hour = 0, minute = 0): number {
  return Date.UTC(2026, month - 1, day, hour - 8, minute, 0);
}

// Share of activity by Shanghai hour of day: quiet at night, peaks late morning, afternoon, evening.
const HOURS = new Weighted<number>(
  [2, 1.2, 0.7, 0.4, 0.3, 0.4, 0.8, 1.6, 3, 5, 6.2, 6, 4.2, 5, 6, 6, 5.6, 5, 4.4, 5, 6, 6.4, 5, 3.4].map(
    (w, h) => [h, w] as const,
  ),
);

/** A random instant on Shanghai-local day `day` (0 = 2026-01-01), following the daily rhythm. */
export function instantOnDay(rng: Rng, day: number): number {
  const h = HOURS.sample(rng);
  return DEMO_FROM + day * DAY + h * HOUR + rng.int(0, 3599) * 1000;
}

/** Rounds to the second and keeps the instant inside the demo range (null when past the end). */
export function clampSecond(t: number): number | null {
  const s = Math.floor(t / 1000) * 1000;
  if (s >= DEMO_UNTIL) return null;
  return s < DEMO_FROM ? DEMO_FROM : s;
}
