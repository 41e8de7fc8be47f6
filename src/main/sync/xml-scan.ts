/**
 * A small streaming XML tokenizer for the parts of an XLSX (issue 12): the text is pushed in
 * chunks, complete tags and text runs go to a handler, an unfinished tag is carried to the next
 * chunk. Enough XML for SpreadsheetML — elements, attributes, text, entities, comments, CDATA,
 * processing instructions; a DOCTYPE (entity definitions: "billion laughs") is refused. Names
 * lose their namespace prefix (`x:row` is `row`).
 */

export interface XmlHandler {
  /** an element opens; read its attributes with attr(text, from, to, name) */
  open(name: string, text: string, from: number, to: number, selfClosing: boolean): void;
  close(name: string): void;
  /** a run of character data (entities still encoded), text.slice(from, to) */
  text(text: string, from: number, to: number): void;
  /** CDATA content: literal text */
  cdata(value: string): void;
}

export class XmlError extends Error {}

/** Longest tag accepted (attributes included): longer is not a spreadsheet. */
export const MAX_TAG_CHARS = 1 << 20;

function localName(text: string, from: number, to: number): string {
  let start = from;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 58) start = i + 1;
  return text.slice(start, to);
}

/** End of a name: whitespace, '/', '>' */
function nameEnd(text: string, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 47 || c === 62) break;
    i++;
  }
  return i;
}

/**
 * Feeds the complete tokens of `text` to the handler; returns where the unconsumed rest starts
 * (an unfinished tag, to be prefixed to the next chunk).
 */
export function scanXml(text: string, handler: XmlHandler): number {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const lt = text.indexOf('<', i);
    if (lt === -1) {
      handler.text(text, i, n);
      return n;
    }
    if (lt > i) handler.text(text, i, lt);
    i = lt;
    if (lt + 1 >= n) return lt;
    const c1 = text.charCodeAt(lt + 1);
    if (c1 === 33) {
      // <!-- comment -->, <![CDATA[ … ]]>, <!DOCTYPE …>
      if (text.startsWith('<!--', lt)) {
        const e = text.indexOf('-->', lt + 4);
        if (e === -1) return carry(text, lt);
        i = e + 3;
      } else if (text.startsWith('<![CDATA[', lt)) {
        const e = text.indexOf(']]>', lt + 9);
        if (e === -1) return carry(text, lt);
        handler.cdata(text.slice(lt + 9, e));
        i = e + 3;
      } else if (n - lt < 9) return lt;
      else throw new XmlError('a DOCTYPE or entity declaration is not allowed in a spreadsheet');
      continue;
    }
    if (c1 === 63) {
      const e = text.indexOf('?>', lt + 2);
      if (e === -1) return carry(text, lt);
      i = e + 2;
      continue;
    }
    // a tag: find its '>' outside quoted attribute values
    let gt = -1;
    for (let j = lt + 1; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === 62) {
        gt = j;
        break;
      }
      if (c === 34 || c === 39) {
        const q = text.indexOf(c === 34 ? '"' : "'", j + 1);
        if (q === -1) break;
        j = q;
      }
    }
    if (gt === -1) return carry(text, lt);
    if (c1 === 47) {
      const e = nameEnd(text, lt + 2, gt);
      handler.close(localName(text, lt + 2, e));
    } else {
      const e = nameEnd(text, lt + 1, gt);
      const selfClosing = text.charCodeAt(gt - 1) === 47;
      handler.open(localName(text, lt + 1, e), text, e, selfClosing ? gt - 1 : gt, selfClosing);
    }
    i = gt + 1;
  }
  return n;
}

function carry(text: string, at: number): number {
  if (text.length - at > MAX_TAG_CHARS) throw new XmlError('an XML tag or comment longer than 1 MB');
  return at;
}

/** The value of an attribute (by local name) in text[from, to), entities decoded; null when absent. */
export function attr(text: string, from: number, to: number, name: string): string | null {
  let i = from;
  while (i < to) {
    // skip whitespace
    let c = text.charCodeAt(i);
    while (i < to && (c === 32 || c === 9 || c === 10 || c === 13)) c = text.charCodeAt(++i);
    if (i >= to) break;
    const ns = i;
    for (; i < to; i++) {
      const d = text.charCodeAt(i);
      if (d === 61 || d === 32 || d === 9 || d === 10 || d === 13) break;
    }
    const attrName = localName(text, ns, i);
    while (i < to && text.charCodeAt(i) !== 61) i++;
    i++; // '='
    while (i < to && text.charCodeAt(i) !== 34 && text.charCodeAt(i) !== 39) i++;
    const quote = text.charCodeAt(i);
    const vs = i + 1;
    const ve = text.indexOf(quote === 34 ? '"' : "'", vs);
    if (ve === -1 || ve > to) return null;
    if (attrName === name) return decodeEntities(text.slice(vs, ve));
    i = ve + 1;
  }
  return null;
}

/** Whether an attribute with this exact qualified name (e.g. `r:id`) ends with `:local`. */
export function prefixedAttr(text: string, from: number, to: number, local: string): string | null {
  // r:id has a prefix that varies by file; any prefixed attribute named `local` will do
  const re = new RegExp(`\\s[A-Za-z_][\\w.-]*:${local}\\s*=\\s*("([^"]*)"|'([^']*)')`);
  const m = re.exec(text.slice(from, to));
  return m ? decodeEntities(m[2] ?? m[3] ?? '') : null;
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML character and entity references → text (an unknown one is kept as written). */
export function decodeEntities(s: string): string {
  if (s.indexOf('&') === -1) return s;
  return s.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/g, (m, ref: string) => {
    if (ref[0] !== '#') return NAMED[ref] ?? m;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

/** SpreadsheetML's own escape of characters XML cannot hold: `_x000D_` → CR (ECMA-376 ST_Xstring). */
export function decodeXstring(s: string): string {
  if (s.indexOf('_x') === -1) return s;
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
