/**
 * Guards for JSON read from files and APIs (issue 12). JSON.parse itself copes with any nesting,
 * but what comes after it (JSON.stringify of a value for a message, structuredClone to the app)
 * recurses and dies with "Maximum call stack size exceeded" — without a file, line or column. A
 * source value is a scalar, so nesting beyond a few levels is never data: a line is scanned
 * before it is parsed, and refused past MAX_JSON_DEPTH levels.
 */

/** Deepest nesting of a JSONL line or an API item (the object itself is level 1). */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

export interface JsonLineScan {
  /** 0-based position where the nesting went past the limit, or -1 */
  tooDeepAt: number;
  /** the key (as written, quotes included) of the top-level member holding that position */
  tooDeepKey: string | null;
  /** members of the top-level object, counted in the text (JSON.parse keeps one of a repeated key) */
  topKeys: number;
}

/**
 * One pass over a line's text (a JS string: GBK trail bytes may look like `\` or `[`, decoded
 * text has no such ambiguity): nesting depth, the key it happens under, and the top-level keys.
 */
export function scanJsonLine(text: string, maxDepth = MAX_JSON_DEPTH): JsonLineScan {
  const n = text.length;
  let depth = 0;
  let keys = 0;
  let strStart = -1;
  let strEnd = -1;
  let keyStart = -1;
  let keyEnd = -1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const s = i;
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) i++;
        else if (d === QUOTE) break;
      }
      if (depth === 1) {
        strStart = s;
        strEnd = i + 1;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth)
        return {
          tooDeepAt: i,
          tooDeepKey: keyStart === -1 ? null : text.slice(keyStart, keyEnd),
          topKeys: keys,
        };
    } else if (c === 0x7d || c === 0x5d) depth--;
    else if (c === COLON && depth === 1) {
      keys++;
      keyStart = strStart;
      keyEnd = strEnd;
    }
  }
  return { tooDeepAt: -1, tooDeepKey: null, topKeys: keys };
}

/** A key as written (`"order_id"`) → its text; as written when it is not valid JSON. */
export function keyText(written: string): string {
  try {
    const k: unknown = JSON.parse(written);
    return typeof k === 'string' ? k : written;
  } catch {
    return written;
  }
}

/**
 * The members of a line's top-level object as written, in order: [key, value text]. Only for the
 * rare line whose keys repeat (to name them); the scan above already knows the line is well nested.
 */
export function topLevelMembers(text: string): [string, string][] {
  const out: [string, string][] = [];
  const n = text.length;
  let depth = 0;
  let strStart = -1;
  let strEnd = -1;
  let key: string | null = null;
  let valueStart = -1;
  const close = (end: number) => {
    if (key !== null && valueStart !== -1) out.push([key, text.slice(valueStart, end).trim()]);
    key = null;
    valueStart = -1;
  };
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const s = i;
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) i++;
        else if (d === QUOTE) break;
      }
      if (depth === 1 && key === null) {
        strStart = s;
        strEnd = i + 1;
      }
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (depth === 1) close(i);
      depth--;
    } else if (depth === 1 && c === COLON && key === null) {
      key = keyText(text.slice(strStart, strEnd));
      valueStart = i + 1;
    } else if (depth === 1 && c === 0x2c) close(i);
  }
  return out;
}

/** Whether a parsed JSON value nests deeper than `max` levels (iterative: no stack to overflow). */
export function jsonDepthOver(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: { v: object; d: number }[] = [];
  if (value !== null && typeof value === 'object') stack.push({ v: value, d: 1 });
  while (stack.length) {
    const { v, d } = stack.pop()!;
    if (d > max) return true;
    for (const x of Object.values(v))
      if (x !== null && typeof x === 'object') stack.push({ v: x as object, d: d + 1 });
  }
  return false;
}

/** A value as JSON text for a message, never throwing on a value nested too deeply. */
export function shownJson(value: unknown): string {
  if (jsonDepthOver(value)) return `[nested more than ${MAX_JSON_DEPTH} levels]`;
  return JSON.stringify(value) ?? String(value);
}

/** Whether text holds a control character (C0 but tab, LF and CR; DEL): never data. */
export function hasControlChar(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return true;
  }
  return false;
}
