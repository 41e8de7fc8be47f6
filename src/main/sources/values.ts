/**
 * Parsers for the cell values of DATA.md. Each returns the store value or an error code from
 * ./messages (never throws): amounts → integer fen, times → UTC epoch ms, booleans → 0/1.
 * Hand-written rather than regex-heavy because they run once per cell on million-row files.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; code: ValueErrorCode };
export type ValueErrorCode =
  | 'AMOUNT_INVALID'
  | 'AMOUNT_NEGATIVE'
  | 'AMOUNT_DECIMALS'
  | 'AMOUNT_TOO_LARGE'
  | 'TIME_INVALID'
  | 'BOOL_INVALID'
  | 'ENUM_INVALID';

const fail = (code: ValueErrorCode): Parsed<never> => ({ ok: false, code });

/** Largest amount accepted: 10^13 yuan keeps fen exact in a double (< 2^53). */
const MAX_YUAN_DIGITS = 13;

/**
 * Yuan text → integer fen, exactly (no float arithmetic): `1200`, `1200.5`, `1,200.50`,
 * `¥1200.00`, `￥ 1,200`. At most 2 decimals; thousands separators must group by 3.
 */
export function parseAmountFen(text: string): Parsed<number> {
  let s = text.trim();
  let negative = false;
  if (s.startsWith('-')) {
    negative = true;
    s = s.slice(1).trim();
  }
  if (s.startsWith('¥') || s.startsWith('￥')) s = s.slice(1).trim();
  if (s.startsWith('-')) {
    negative = true;
    s = s.slice(1).trim();
  }
  if (s.startsWith('+')) s = s.slice(1);
  const dot = s.indexOf('.');
  let intPart = dot === -1 ? s : s.slice(0, dot);
  const fracPart = dot === -1 ? '' : s.slice(dot + 1);
  if (intPart.includes(',')) {
    const groups = intPart.split(',');
    if (groups[0].length < 1 || groups[0].length > 3) return fail('AMOUNT_INVALID');
    for (let i = 1; i < groups.length; i++) if (groups[i].length !== 3) return fail('AMOUNT_INVALID');
    intPart = groups.join('');
  }
  if (intPart === '' && (dot === -1 || fracPart === '')) return fail('AMOUNT_INVALID');
  if (!isDigits(intPart, true) || !isDigits(fracPart, true)) return fail('AMOUNT_INVALID');
  if (dot !== -1 && fracPart === '') return fail('AMOUNT_INVALID');
  if (fracPart.length > 2) {
    // Trailing zeros beyond the fen are harmless ("1200.500"); real third decimals are not.
    if (!/^0*$/.test(fracPart.slice(2))) return fail('AMOUNT_DECIMALS');
  }
  const trimmedInt = intPart.replace(/^0+(?=\d)/, '');
  if (trimmedInt.length > MAX_YUAN_DIGITS) return fail('AMOUNT_TOO_LARGE');
  const fen = Number(trimmedInt || '0') * 100 + Number((fracPart + '00').slice(0, 2));
  if (negative && fen !== 0) return fail('AMOUNT_NEGATIVE');
  return { ok: true, value: fen };
}

function isDigits(s: string, allowEmpty: boolean): boolean {
  if (s.length === 0) return allowEmpty;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Asia/Shanghai has had no daylight saving since 1991: a fixed +08:00. */
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * ISO 8601 (`2026-03-01T10:00:00+08:00`, `…Z`, `…T10:00:00.123`), `YYYY-MM-DD HH:mm:ss`,
 * Excel's `YYYY/MM/DD HH:mm[:ss]` and a bare date → UTC epoch ms. Without an offset the time
 * is Asia/Shanghai (DATA.md, RULES.md "Times are instants").
 */
export function parseTimeMs(text: string): Parsed<number> {
  const s = text.trim();
  const n = s.length;
  if (n < 8) return fail('TIME_INVALID');
  let i = 0;
  const num = (len: number): number => {
    let v = 0;
    for (let k = 0; k < len; k++) {
      const c = s.charCodeAt(i + k) - 48;
      if (c < 0 || c > 9) return -1;
      v = v * 10 + c;
    }
    i += len;
    return v;
  };
  // Variable-width number (1–2 digits) for Excel-style dates like 2026/3/1 9:05.
  const num12 = (): number => {
    const a = s.charCodeAt(i) - 48;
    if (a < 0 || a > 9) return -1;
    const b = s.charCodeAt(i + 1) - 48;
    if (i + 1 < n && b >= 0 && b <= 9) {
      i += 2;
      return a * 10 + b;
    }
    i += 1;
    return a;
  };
  const year = num(4);
  if (year < 0) return fail('TIME_INVALID');
  const sep = s[i];
  if (sep !== '-' && sep !== '/') return fail('TIME_INVALID');
  i++;
  const month = sep === '/' ? num12() : num(2);
  if (month < 0 || s[i] !== sep) return fail('TIME_INVALID');
  i++;
  const day = sep === '/' ? num12() : num(2);
  if (day < 0) return fail('TIME_INVALID');
  if (month < 1 || month > 12) return fail('TIME_INVALID');
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (day < 1 || day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1])) return fail('TIME_INVALID');
  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  let offsetMs: number | null = null;
  if (i < n) {
    const t = s[i];
    if (t !== 'T' && t !== ' ') return fail('TIME_INVALID');
    i++;
    while (s[i] === ' ') i++;
    hour = sep === '/' ? num12() : num(2);
    if (hour < 0 || s[i] !== ':') return fail('TIME_INVALID');
    i++;
    minute = num(2);
    if (minute < 0) return fail('TIME_INVALID');
    if (s[i] === ':') {
      i++;
      second = num(2);
      if (second < 0) return fail('TIME_INVALID');
      if (s[i] === '.' || s[i] === ',') {
        i++;
        const start = i;
        while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
        if (i === start) return fail('TIME_INVALID');
        ms = Math.floor(Number('0.' + s.slice(start, i)) * 1000 + 1e-6);
      }
    }
    if (hour > 24 || minute > 59 || second > 59) return fail('TIME_INVALID');
    if (hour === 24 && (minute !== 0 || second !== 0 || ms !== 0)) return fail('TIME_INVALID');
    if (i < n) {
      while (s[i] === ' ') i++;
      const z = s[i];
      if (z === 'Z' || z === 'z') {
        offsetMs = 0;
        i++;
      } else if (z === '+' || z === '-') {
        i++;
        const oh = num(2);
        if (oh < 0) return fail('TIME_INVALID');
        if (s[i] === ':') i++;
        const om = i < n ? num(2) : 0;
        if (om < 0 || oh > 14 || om > 59) return fail('TIME_INVALID');
        offsetMs = (z === '-' ? -1 : 1) * (oh * 3600_000 + om * 60_000);
      }
      if (i !== n) return fail('TIME_INVALID');
    }
  }
  const local = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (year < 100) return fail('TIME_INVALID'); // Date.UTC maps 0–99 to 19xx
  return { ok: true, value: local - (offsetMs ?? SHANGHAI_OFFSET_MS) };
}

/** Wall-clock fields of an XLSX date cell (exceljs gives them as UTC fields) → Shanghai text. */
export function excelDateToText(d: Date): string {
  const p = (v: number, w = 2) => String(v).padStart(w, '0');
  return (
    `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}` +
    (d.getUTCMilliseconds() ? `.${p(d.getUTCMilliseconds(), 3)}` : '')
  );
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'y', '是', 't']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'n', '否', 'f']);

/** `true/false`, `1/0`, `yes/no`, `是/否` (any case) → 1/0. */
export function parseBool(text: string): Parsed<number> {
  const s = text.trim().toLowerCase();
  if (TRUE_WORDS.has(s)) return { ok: true, value: 1 };
  if (FALSE_WORDS.has(s)) return { ok: true, value: 0 };
  return fail('BOOL_INVALID');
}

/** One of a fixed list, compared case-insensitively; stored in lower case. */
export function parseEnum<T extends string>(text: string, values: readonly T[]): Parsed<T> {
  const s = text.trim().toLowerCase();
  return (values as readonly string[]).includes(s) ? { ok: true, value: s as T } : fail('ENUM_INVALID');
}
