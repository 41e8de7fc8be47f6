/**
 * Locale-aware formatting. Money arrives as integer fen (分) and is shown as ¥ with thousands
 * separators, computed with integers so no fen is ever lost to floating point. Times are UTC
 * epoch milliseconds, shown in Asia/Shanghai whatever the machine's time zone.
 */
const counts = new Map<string, Intl.NumberFormat>();

export function formatCount(n: number, locale: string): string {
  let f = counts.get(locale);
  if (!f) counts.set(locale, (f = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 })));
  return f.format(n);
}

export function formatFen(fen: number, locale: string): string {
  const negative = fen < 0;
  const abs = Math.abs(Math.trunc(fen));
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  return `${negative ? '-' : ''}¥${formatCount(yuan, locale)}.${cents}`;
}

export function formatPercent(ratio: number, locale: string): string {
  return new Intl.NumberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(ratio);
}

export const DISPLAY_TIME_ZONE = 'Asia/Shanghai';

const dateTimes = new Map<string, Intl.DateTimeFormat>();

export function formatDateTime(ms: number, locale: string): string {
  // a formatter is costly to build and long tables format thousands of times: one per locale
  let f = dateTimes.get(locale);
  if (!f)
    dateTimes.set(
      locale,
      (f = new Intl.DateTimeFormat(locale, {
        timeZone: DISPLAY_TIME_ZONE,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      })),
    );
  return f.format(ms);
}

/** The calendar day in Beijing time: `2026/07/05` (zh-CN), `07/05/2026` (en). */
export function formatDate(ms: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: DISPLAY_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(ms);
}

export function formatTime(ms: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: DISPLAY_TIME_ZONE,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(ms);
}

/** The last path segment of a file path (Windows or POSIX). */
export function baseName(file: string): string {
  const parts = file.split(/[\\/]/);
  return parts[parts.length - 1] || file;
}

/** `YYYY-MM-DDTHH:mm` (a datetime-local field) read as Beijing time → epoch ms; null if unreadable. */
export function beijingInputToMs(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return null;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0)) - 8 * 3_600_000;
  return Number.isNaN(ms) ? null : ms;
}

/** Epoch ms → `YYYY-MM-DDTHH:mm` in Beijing time (for a datetime-local field). */
export function msToBeijingInput(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16);
}
