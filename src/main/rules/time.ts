/**
 * Time helpers of the rule engine. Instants are UTC epoch milliseconds; calendar questions
 * (cycles, "YYYY-MM-DD HH:mm:ss" input) are answered in Asia/Shanghai, which has had a fixed
 * +08:00 offset without daylight saving since 1991.
 */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;

/** "30 days" in RULES.md: 30 × 24 h from the instant named, end-exclusive. */
export function days(n: number): number {
  return n * DAY_MS;
}

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;
const OFFSET_RE = /(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Parses an instant: ISO 8601 with an offset, or `YYYY-MM-DD[ HH:mm[:ss]]` read as Asia/Shanghai
 * (RULES.md: "an input without an offset is Asia/Shanghai"). Returns null when unreadable.
 */
export function parseInstant(text: string): number | null {
  const s = text.trim();
  if (OFFSET_RE.test(s) && /^\d{4}-\d{2}-\d{2}T/.test(s)) {
    const t = Date.parse(s);
    return Number.isNaN(t) ? null : t;
  }
  const m = LOCAL_RE.exec(s);
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', se = '0', ms = '0'] = m;
  const utc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +se, +ms.padEnd(3, '0'));
  const back = new Date(utc);
  if (back.getUTCMonth() !== +mo - 1 || back.getUTCDate() !== +d || +h > 23 || +mi > 59 || +se > 59)
    return null;
  return utc - SHANGHAI_OFFSET_MS;
}

/** `2026-03-01T10:00:00+08:00`: an instant shown in Asia/Shanghai. */
export function formatInstant(t: number): string {
  const d = new Date(t + SHANGHAI_OFFSET_MS);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}+08:00`
  );
}

/** `2026-03-01 10:00` in Asia/Shanghai, for sentences. */
export function formatLocal(t: number): string {
  return formatInstant(t).slice(0, 16).replace('T', ' ');
}

export type CycleKind = 'monthly' | 'semi-monthly' | 'weekly';

export interface Cycle {
  key: string;
  kind: CycleKind;
  start: number;
  /** exclusive */
  end: number;
}

/** Shanghai midnight of a local calendar date, as an instant. */
function localMidnight(y: number, m0: number, d: number): number {
  return Date.UTC(y, m0, d) - SHANGHAI_OFFSET_MS;
}

/**
 * The payout cycle containing instant t (R-LVL-1): calendar month; days 1–15 / 16–end;
 * Monday–Sunday. Keys as DATA.md spells them: `2026-03`, `2026-03a` (days 1–15) / `2026-03b`
 * (16–end), `2026-W11` (ISO week: the week with the year's first Thursday is week 1).
 */
export function cycleOf(kind: CycleKind, t: number): Cycle {
  const d = new Date(t + SHANGHAI_OFFSET_MS);
  const y = d.getUTCFullYear();
  const m0 = d.getUTCMonth();
  const day = d.getUTCDate();
  const mm = String(m0 + 1).padStart(2, '0');
  if (kind === 'monthly') {
    return { key: `${y}-${mm}`, kind, start: localMidnight(y, m0, 1), end: localMidnight(y, m0 + 1, 1) };
  }
  if (kind === 'semi-monthly') {
    return day <= 15
      ? { key: `${y}-${mm}a`, kind, start: localMidnight(y, m0, 1), end: localMidnight(y, m0, 16) }
      : { key: `${y}-${mm}b`, kind, start: localMidnight(y, m0, 16), end: localMidnight(y, m0 + 1, 1) };
  }
  const dow = (d.getUTCDay() + 6) % 7; // Monday = 0
  const start = localMidnight(y, m0, day - dow);
  // ISO week: the week belongs to the year of its Thursday.
  const thursday = new Date(Date.UTC(y, m0, day - dow + 3));
  const wy = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(wy, 0, 1)) / DAY_MS / 7) + 1;
  return { key: `${wy}-W${String(week).padStart(2, '0')}`, kind, start, end: start + 7 * DAY_MS };
}

/**
 * Parses a cycle key of `cycleOf` back into its cycle (`payouts prepare --cycle KEY`): `2026-04`,
 * `2026-04a` / `2026-04b`, `2026-W15`. Null for anything else, including a month 13 or a week 53
 * of a year that has only 52.
 */
export function cycleFromKey(key: string): Cycle | null {
  let m = /^(\d{4})-(\d{2})([ab])?$/.exec(key);
  if (m) {
    const [y, mo] = [+m[1], +m[2]];
    if (mo < 1 || mo > 12) return null;
    if (!m[3]) return cycleOf('monthly', localMidnight(y, mo - 1, 1));
    return cycleOf('semi-monthly', localMidnight(y, mo - 1, m[3] === 'a' ? 1 : 16));
  }
  m = /^(\d{4})-W(\d{2})$/.exec(key);
  if (m) {
    // ISO week: the week with 4 January is week 1
    const jan4 = Date.UTC(+m[1], 0, 4);
    const dow = (new Date(jan4).getUTCDay() + 6) % 7;
    const monday = jan4 - dow * DAY_MS + (+m[2] - 1) * 7 * DAY_MS;
    const c = cycleOf('weekly', monday - SHANGHAI_OFFSET_MS);
    return +m[2] >= 1 && c.key === key ? c : null;
  }
  return null;
}
