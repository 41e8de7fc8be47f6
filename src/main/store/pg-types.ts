/**
 * Numbers of a team database: every integer column is `bigint` (int8). node-pg hands int8 and
 * numeric (what SUM of a bigint gives) back as text, because JavaScript numbers hold integers
 * exactly only up to 2^53; a store parses them into numbers at the edge, per connection (never
 * through pg's global parsers), and refuses a value a number cannot hold exactly
 * (IntegerRangeError) instead of rounding it. Epoch milliseconds (~2^41) and fen sums (2^53 fen is
 * 90 trillion yuan) stay far below the bound.
 */
import pg from 'pg';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

export class IntegerRangeError extends RangeError {
  readonly code = 'STORE_INTEGER_RANGE';
  constructor(readonly text: string) {
    super(
      `The team database returned ${text}, beyond what Yunke Desk computes with exactly (2^53). ` +
        `/ 团队数据库返回的数值 ${text} 超出了云客工作台可精确计算的范围（2^53）。`,
    );
  }
}

/** int8 text → number; refuses one beyond ±(2^53 − 1). */
export function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new IntegerRangeError(text);
  return n;
}

/** numeric text → number; an integer beyond ±(2^53 − 1) is refused, a fraction (an AVG) is a double. */
export function parseNumeric(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || (/^-?\d+$/.test(text) && !Number.isSafeInteger(n)))
    throw new IntegerRangeError(text);
  return n;
}

/** The type parsers of a store's pool: int8 and numeric as numbers, the rest as node-pg does. */
export const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (format !== 'binary' && oid === INT8_OID) return parseInt8;
    if (format !== 'binary' && oid === NUMERIC_OID) return parseNumeric;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/**
 * Where libpq ends the user part of a URL's text (what follows `scheme://`): at the first @ before
 * any /; -1 when it has none.
 */
export function libpqUserPartEnd(rest: string): number {
  const at = rest.indexOf('@');
  const slash = rest.indexOf('/');
  return slash >= 0 && slash < at ? -1 : at;
}

/**
 * A connection URL with its password hidden (`user:***@`, `?password=***`), for messages and logs
 * (a mistyped `scheme:/…` or `scheme//…` too: open-port-store.ts notATeamUrl shows it).
 */
export function redactUrl(url: string): string {
  return withPasswordAs(url, ':***', '***');
}

/** A connection URL without its password (by its text, as redactUrl). */
export function urlWithoutPassword(url: string): string {
  return withPasswordAs(url, '', '');
}

function withPasswordAs(text: string, shown: string, shownInQuery: string): string {
  // a password given as a parameter (`?password=…`, as libpq takes it): its value up to the next
  // parameter, a # included (unencoded, it would otherwise show as the URL's fragment)
  const url = text.replace(/([?&]password=)[^&]*/gi, `$1${shownInQuery}`);
  // by its text, not a parser's reading: a password with an unencoded # / ? is read by a URL parser
  // as a port, a path or a fragment, and would then be shown (`postgres//…`, its colon left out, or
  // spaces before the scheme, are read the same way; a file path is left as it is)
  const m = /^\s*(?:[a-z][a-z0-9+.-]*:\/+|postgres(?:ql)?\/\/+)/i.exec(url);
  if (!m) return url;
  const rest = url.slice(m[0].length);
  // the reading that hides the most: up to the last @ (a password's unencoded @, / or ? is then
  // inside it; a URL with an @ in its query is shown with part of it masked, never its password)
  const at = rest.lastIndexOf('@');
  if (at < 0) return url;
  const colon = rest.indexOf(':');
  if (colon < 0 || colon > at) return url;
  return `${m[0]}${rest.slice(0, colon)}${shown}${rest.slice(at)}`;
}

/** The password of a URL with no host (`postgres://desk:secret@/yunke`) as written, or null. */
export function passwordOfHostless(url: string): string | null {
  const m = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url);
  if (!m) return null;
  const rest = url.slice(m[0].length);
  const at = rest.lastIndexOf('@'); // as node-pg reads it (see withPasswordAs)
  if (at < 0 || !/^(:\d*)?([/?#]|$)/.test(rest.slice(at + 1))) return null;
  const colon = rest.indexOf(':');
  return colon < 0 || colon > at ? null : rest.slice(colon + 1, at);
}

/**
 * The password of a URL as written: percent-decoded, a `%` not followed by two hex digits taken
 * as itself (as node-pg takes it), never a URIError.
 */
export function decodePassword(encoded: string): string {
  return decodeURIComponent(encoded.replace(/%(?![0-9a-fA-F]{2})/g, '%25'));
}
