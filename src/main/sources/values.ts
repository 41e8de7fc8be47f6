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
  | 'ENUM_INVALID'
  | 'IP_INVALID';

const fail = (code: ValueErrorCode): Parsed<never> => ({ ok: false, code });

/** Largest amount accepted: 10^13 yuan keeps fen exact in a double (< 2^53). */
const MAX_YUAN_DIGITS = 13;

/**
 * Yuan text → integer fen, exactly (no float arithmetic): `1200`, `1200.5`, `1,200.50`,
 * `¥1200.00`, `￥ 1,200`. At most 2 decimals; thousands separators must group by 3.
 */
export function parseAmountFen(text: string): Parsed<number> {
  const fast = amountFenFast(text);
  if (fast >= 0) return { ok: true, value: fast };
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

/**
 * Fast path of parseAmountFen for the common form only: 1–13 digits, optionally `.` and 1–2
 * digits (`1200`, `1200.5`, `0.01`). Returns the fen, or -1 for any other text (which then
 * goes through parseAmountFen's general rules: separators, ¥, blanks, errors).
 */
export function amountFenFast(s: string): number {
  const n = s.length;
  let int = 0;
  let i = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    int = int * 10 + c;
  }
  if (i === 0 || i > MAX_YUAN_DIGITS) return -1;
  if (i === n) return int * 100;
  if (s.charCodeAt(i) !== 46 || n - i < 2 || n - i > 3) return -1;
  const d1 = s.charCodeAt(i + 1) - 48;
  if (d1 < 0 || d1 > 9) return -1;
  if (n - i === 2) return int * 100 + d1 * 10;
  const d2 = s.charCodeAt(i + 2) - 48;
  if (d2 < 0 || d2 > 9) return -1;
  return int * 100 + d1 * 10 + d2;
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
  const fast = timeMsFast(text);
  if (fast === fast) return { ok: true, value: fast };
  const s = text.trim();
  const n = s.length;
  if (n < 8) return fail('TIME_INVALID');
  let i = 0;
  // a digit past the end of the text is NaN, which `c < 0 || c > 9` would let through: the
  // checks below are written as "not a digit" so that a cut-off time is refused, not NaN
  const num = (len: number): number => {
    let v = 0;
    for (let k = 0; k < len; k++) {
      const c = s.charCodeAt(i + k) - 48;
      if (!(c >= 0 && c <= 9)) return -1;
      v = v * 10 + c;
    }
    i += len;
    return v;
  };
  // Variable-width number (1–2 digits) for Excel-style dates like 2026/3/1 9:05.
  const num12 = (): number => {
    const a = s.charCodeAt(i) - 48;
    if (!(a >= 0 && a <= 9)) return -1;
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
        // minutes after a colon are required (`+05:` is cut off, not +05:00); `+05` and `+0530` as ISO 8601
        let om = 0;
        if (s[i] === ':') {
          i++;
          om = num(2);
        } else if (i < n) om = num(2);
        if (om < 0 || oh > 14 || om > 59) return fail('TIME_INVALID');
        offsetMs = (z === '-' ? -1 : 1) * (oh * 3600_000 + om * 60_000);
      }
      if (i !== n) return fail('TIME_INVALID');
    }
  }
  const local = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (year < 100) return fail('TIME_INVALID'); // Date.UTC maps 0–99 to 19xx
  const value = local - (offsetMs ?? SHANGHAI_OFFSET_MS);
  if (!Number.isSafeInteger(value)) return fail('TIME_INVALID');
  return { ok: true, value };
}

const digit2 = (s: string, i: number): number => {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
};

/**
 * Fast path of parseTimeMs for the common form only: exactly `YYYY-MM-DD HH:mm:ss` (or with
 * `T`), Asia/Shanghai, year ≥ 100, hour 00–23. Returns UTC epoch ms, or NaN for any other text
 * (which then goes through parseTimeMs's general rules: offsets, fractions, Excel dates, errors).
 */
export function timeMsFast(s: string): number {
  if (s.length !== 19) return NaN;
  const c10 = s.charCodeAt(10);
  if (
    s.charCodeAt(4) !== 45 ||
    s.charCodeAt(7) !== 45 ||
    (c10 !== 32 && c10 !== 84) ||
    s.charCodeAt(13) !== 58 ||
    s.charCodeAt(16) !== 58
  )
    return NaN;
  const hi = digit2(s, 0);
  const lo = digit2(s, 2);
  const month = digit2(s, 5);
  const day = digit2(s, 8);
  const hour = digit2(s, 11);
  const minute = digit2(s, 14);
  const second = digit2(s, 17);
  if (hi < 1 || lo < 0 || month < 1 || month > 12 || day < 1) return NaN;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return NaN;
  const year = hi * 100 + lo;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1])) return NaN;
  return (
    daysFromCivil(year, month, day) * 86_400_000 +
    hour * 3600_000 +
    minute * 60_000 +
    second * 1000 -
    SHANGHAI_OFFSET_MS
  );
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
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

/** Exact spellings parseBool accepts without trimming or lower-casing (TRUE is how Excel writes it). */
export const BOOL_FAST: ReadonlyMap<string, number> = new Map(
  [...[...TRUE_WORDS].map((w) => [w, 1] as const), ...[...FALSE_WORDS].map((w) => [w, 0] as const)].flatMap(
    ([w, v]) => [
      [w, v],
      [w.toUpperCase(), v],
      [w.charAt(0).toUpperCase() + w.slice(1), v],
    ],
  ),
);

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

/**
 * An IPv4 address in dotted-quad form between `from` and `to`: four numbers 0–255, no leading
 * zeros (`010` could mean octal to some tools, so it is refused rather than guessed).
 */
function isIpv4(s: string, from: number, to: number): boolean {
  let parts = 0;
  let i = from;
  while (parts < 4) {
    const start = i;
    let v = 0;
    while (i < to) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
      i++;
    }
    const len = i - start;
    if (len === 0 || len > 3 || v > 255 || (len > 1 && s.charCodeAt(start) === 48)) return false;
    parts++;
    if (parts < 4) {
      if (i >= to || s.charCodeAt(i) !== 46) return false;
      i++;
    }
  }
  return i === to;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

/**
 * An IPv6 address (RFC 4291 text forms): eight groups of 1–4 hex digits, at most one `::`
 * standing for one or more zero groups, and the last 32 bits optionally as dotted IPv4
 * (`::ffff:192.0.2.128`). No zone id (`%eth0`), no brackets, no prefix length.
 */
function isIpv6(s: string): boolean {
  const n = s.length;
  if (n < 2 || n > 45) return false;
  let groups = 0;
  let compressed = false;
  let i = 0;
  if (s.charCodeAt(0) === 58) {
    if (s.charCodeAt(1) !== 58) return false;
    compressed = true;
    i = 2;
    if (i === n) return true; // "::"
  }
  for (;;) {
    const start = i;
    while (i < n && i - start < 5 && hexValue(s.charCodeAt(i)) !== -1) i++;
    const len = i - start;
    if (i < n && s.charCodeAt(i) === 46) {
      // the dotted IPv4 tail: the last 32 bits, two groups
      if (!isIpv4(s, start, n)) return false;
      groups += 2;
      break;
    }
    if (len === 0 || len > 4) return false;
    groups++;
    if (i === n) break;
    if (s.charCodeAt(i) !== 58) return false;
    i++;
    if (s.charCodeAt(i) === 58) {
      if (compressed) return false;
      compressed = true;
      i++;
      if (i === n) break;
    } else if (i === n) return false; // a single trailing colon
    if (groups > 8) return false;
  }
  return compressed ? groups <= 7 : groups === 8;
}

/** Whether the text (already trimmed) is an IPv4 or IPv6 address. */
export function isIpAddress(s: string): boolean {
  if (s.length === 0) return false;
  return s.indexOf(':') === -1 ? isIpv4(s, 0, s.length) : isIpv6(s);
}

/** An IP address cell: trimmed, kept as written (IPv4 or IPv6). */
export function parseIp(text: string): Parsed<string> {
  const s = text.trim();
  return isIpAddress(s) ? { ok: true, value: s } : fail('IP_INVALID');
}
