/**
 * A team database's customers' phones and ID numbers + names, written from the bytes of COPY
 * (CopyRow) into the grouping's NodeValues, exactly as normalizePhone and normalizeIdName
 * normalize their text (R-SAME-1), without a string per value (issue 13: rules/node-values.ts says
 * why). The common value is read straight from its bytes: a phone of digits only, an ID number of
 * ASCII with a name, neither with whitespace at its ends. Any other (an escape, a space to trim, a
 * phone written with "+" or "-") is normalized from its text, as before.
 */
import type { CopyRow } from '../store/pg-sync/copy-out';
import type { NodeValues } from '../rules/node-values';
import { normalizeIdName, normalizePhone } from '../rules/same-person';

/** The next node's phone: field `i` as normalizePhone gives it. */
export function pushPhone(values: NodeValues, r: CopyRow, i: number): void {
  if (r.isNull(i)) {
    values.none();
    return;
  }
  if (r.plain(i)) {
    const buf = r.buf;
    let a = r.start[i];
    const e = r.end[i];
    let digits = true;
    for (let k = a; k < e && digits; k++) digits = buf[k] >= 48 && buf[k] <= 57;
    if (digits) {
      // 86 and eleven digits: the mobile number without its country code
      if (e - a === 13 && buf[a] === 56 && buf[a + 1] === 54) a += 2;
      if (e - a < 5) values.none();
      else {
        values.begin(e - a);
        values.write(buf, a, e, false);
        values.end();
      }
      return;
    }
  }
  values.push(normalizePhone(r.text(i)));
}

/** The next node's ID number + name: fields `id` and `name` as normalizeIdName gives them. */
export function pushIdName(values: NodeValues, r: CopyRow, id: number, name: number): void {
  if (r.isNull(id) || r.isNull(name)) {
    values.none();
    return;
  }
  const buf = r.buf;
  const ia = r.start[id];
  const ie = r.end[id];
  const na = r.start[name];
  const ne = r.end[name];
  if (
    r.plain(id) &&
    r.plain(name) &&
    ie > ia &&
    ne > na &&
    asciiUntrimmed(buf, ia, ie) &&
    untrimmed(buf, na, ne)
  ) {
    values.begin(ie - ia + 1 + ne - na);
    values.write(buf, ia, ie, true); // toUpperCase() of ASCII: a–z only
    values.writeByte(124); // '|'
    values.write(buf, na, ne, false);
    values.end();
    return;
  }
  values.push(normalizeIdName(r.text(id), r.text(name)));
}

/** ASCII whitespace as String.prototype.trim removes it: TAB, LF, VT, FF, CR, space. */
const asciiSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

/**
 * Lead bytes of every character beyond ASCII that trim removes (U+00A0 under 0xC2, U+1680 under
 * 0xE1, U+2000–U+205F under 0xE2, U+3000 under 0xE3, U+FEFF under 0xEF): a value that begins or
 * ends with a character of one of those lead bytes, whitespace or not, is trimmed from its text.
 */
const mayBeSpace = (c: number) =>
  asciiSpace(c) || c === 0xc2 || c === 0xe1 || c === 0xe2 || c === 0xe3 || c === 0xef;

/** Bytes [a, e) of ASCII only, with no whitespace at either end (trim leaves them as they are). */
function asciiUntrimmed(buf: Uint8Array, a: number, e: number): boolean {
  if (asciiSpace(buf[a]) || asciiSpace(buf[e - 1])) return false;
  for (let k = a; k < e; k++) if (buf[k] >= 128) return false;
  return true;
}

/** UTF-8 bytes [a, e) whose first and last characters are certainly not whitespace. */
function untrimmed(buf: Uint8Array, a: number, e: number): boolean {
  if (mayBeSpace(buf[a])) return false;
  // the last character's first byte (continuation bytes are 10xxxxxx)
  let k = e - 1;
  while (k > a && (buf[k] & 0xc0) === 0x80) k--;
  return !mayBeSpace(buf[k]);
}
