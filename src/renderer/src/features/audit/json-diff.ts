/**
 * A readable difference of an audit entry's before and after: leaf by leaf, as dotted paths
 * (`config.levels.L1.ratio_bp`). Array items that carry an `id` are matched by it (levels, lines),
 * others by position, so a reordered level table does not read as every level changed.
 */
export interface JsonDiffLine {
  path: string;
  kind: 'changed' | 'added' | 'removed';
  before: unknown;
  after: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function keyed(list: unknown[]): Map<string, unknown> {
  const byId = list.every((v) => isObject(v) && (typeof v.id === 'string' || typeof v.id === 'number'));
  return new Map(list.map((v, i) => [byId ? String((v as { id: unknown }).id) : String(i), v]));
}

export function diffJson(before: unknown, after: unknown): JsonDiffLine[] {
  const out: JsonDiffLine[] = [];
  const walk = (path: string, x: unknown, y: unknown, hasX: boolean, hasY: boolean) => {
    if (Array.isArray(x) && Array.isArray(y)) {
      const xs = keyed(x);
      const ys = keyed(y);
      for (const k of new Set([...xs.keys(), ...ys.keys()]))
        walk(join(path, k), xs.get(k), ys.get(k), xs.has(k), ys.has(k));
      return;
    }
    if (isObject(x) && isObject(y)) {
      for (const k of new Set([...Object.keys(x), ...Object.keys(y)]))
        walk(join(path, k), x[k], y[k], k in x, k in y);
      return;
    }
    if (!hasX) out.push({ path, kind: 'added', before: undefined, after: y });
    else if (!hasY) out.push({ path, kind: 'removed', before: x, after: undefined });
    else if (JSON.stringify(x) !== JSON.stringify(y))
      out.push({ path, kind: 'changed', before: x, after: y });
  };
  walk('', before, after, true, true);
  return out;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** Parses a stored JSON column; null stays null, unreadable text is shown as it is. */
export function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A leaf value in one line: strings as they are, everything else as compact JSON. */
export function leafText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}
