/**
 * The store's statements are written in the subset of SQLite's dialect listed in sql-port.ts;
 * this turns one into PostgreSQL's, once per prepared statement. Anything outside the subset
 * that PostgreSQL would read differently is refused here, by name, rather than run wrongly.
 *
 * - parameters: `?` and `@name` → `$1, $2 …` (a name used twice binds one parameter);
 * - `json_each(?)` (an id list bound as one JSON array) → `jsonb_array_elements_text(?::jsonb)`,
 *   whose column is also called `value`;
 * - `json_array(a, b …)` → the same JSON text SQLite writes (no spaces);
 * - `INSERT OR IGNORE` → `… ON CONFLICT DO NOTHING`; `INSERT OR REPLACE` → `… ON CONFLICT (key)
 *   DO UPDATE` of every column inserted (the key from the catalog);
 * - `a IS ?` / `a IS NOT ?` → `IS [NOT] DISTINCT FROM` (SQLite's IS compares any two values);
 * - `CAST(… AS INTEGER)` → `bigint` (epoch ms and fen do not fit PostgreSQL's 32-bit integer);
 * - a camelCase alias (`AS partnerId`) is quoted, as SQLite keeps its case and PostgreSQL would not.
 */
export interface Translated {
  text: string;
  /** how to build the positional parameters from the caller's arguments */
  binding: { kind: 'positional'; count: number } | { kind: 'named'; names: string[] };
  /** INSERT into a table with a store-numbered key: the key column RETURNING gives (lastInsertRowid) */
  returnsKey: string | null;
}

export interface Catalog {
  /** primary-key columns per table */
  keys: Map<string, string[]>;
  /** the identity column per table (store-numbered keys) */
  identity: Map<string, string>;
}

export class UnportableStatementError extends Error {
  readonly code = 'STORE_UNPORTABLE_SQL';
  constructor(what: string, sql: string) {
    super(`A statement uses ${what}, which has no PostgreSQL form in the store's port: ${sql.slice(0, 200)}`);
  }
}

/** Positions outside string literals, quoted identifiers and comments. */
function codeMask(sql: string): boolean[] {
  const code = new Array<boolean>(sql.length).fill(true);
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === c) {
          if (sql[j + 1] === c) j += 2;
          else break;
        } else j++;
      }
      for (let k = i; k <= j && k < sql.length; k++) code[k] = false;
      i = j + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      let j = i;
      while (j < sql.length && sql[j] !== '\n') code[j++] = false;
      i = j;
    } else i++;
  }
  return code;
}

/** Applies `re` (global) only where its match starts in code. */
function replaceInCode(sql: string, re: RegExp, fn: (m: RegExpExecArray) => string): string {
  const code = codeMask(sql);
  let out = '';
  let last = 0;
  for (let m = re.exec(sql); m; m = re.exec(sql)) {
    if (!code[m.index]) continue;
    out += sql.slice(last, m.index) + fn(m);
    last = m.index + m[0].length;
  }
  return out + sql.slice(last);
}

/** Index of the parenthesis closing the one opened at `open`. */
function closingParen(sql: string, open: number): number {
  const code = codeMask(sql);
  let depth = 0;
  for (let i = open; i < sql.length; i++) {
    if (!code[i]) continue;
    if (sql[i] === '(') depth++;
    else if (sql[i] === ')' && --depth === 0) return i;
  }
  throw new UnportableStatementError('an unbalanced parenthesis', sql);
}

function jsonArrays(sql: string): string {
  for (;;) {
    const code = codeMask(sql);
    const re = /\bjson_array\s*\(/gi;
    let m: RegExpExecArray | null;
    let at = -1;
    while ((m = re.exec(sql)))
      if (code[m.index]) {
        at = m.index;
        break;
      }
    if (at < 0) return sql;
    const open = sql.indexOf('(', at);
    const close = closingParen(sql, open);
    const args = sql.slice(open + 1, close);
    // jsonb's text puts a space after each comma and colon; SQLite (and JSON.stringify) do not
    sql = `${sql.slice(0, at)}regexp_replace(CAST(json_build_array(${args}) AS text), ', (?=(?:[^"]*"[^"]*")*[^"]*$)', ',', 'g')${sql.slice(close + 1)}`;
  }
}

/** SQLite's two-argument min(a, b) / max(a, b) → least / greatest (the aggregates stay). */
function scalarMinMax(sql: string): string {
  const code = codeMask(sql);
  const re = /\b(min|max)\s*\(/gi;
  const hits: { at: number; open: number; fn: string }[] = [];
  for (let m = re.exec(sql); m; m = re.exec(sql))
    if (code[m.index]) hits.push({ at: m.index, open: m.index + m[0].length - 1, fn: m[1] });
  for (const h of hits.reverse()) {
    const close = closingParen(sql, h.open);
    let depth = 0;
    let comma = false;
    for (let i = h.open + 1; i < close; i++) {
      if (!code[i]) continue;
      if (sql[i] === '(') depth++;
      else if (sql[i] === ')') depth--;
      else if (sql[i] === ',' && depth === 0) comma = true;
    }
    if (comma)
      sql = `${sql.slice(0, h.at)}${h.fn.toLowerCase() === 'min' ? 'least' : 'greatest'}${sql.slice(h.open)}`;
  }
  return sql;
}

const INSERT_OR = /^\s*INSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\s+("?[\w]+"?)\s*(\(([^)]*)\))?/i;
const INSERT_INTO = /^\s*INSERT\s+INTO\s+("?[\w]+"?)/i;

const unquote = (name: string) => name.replace(/^"|"$/g, '');

export function translate(sql: string, catalog: Catalog): Translated {
  if (/\bsqlite_(master|schema|temp_master)\b|\bPRAGMA\b|\bATTACH\b|\bglob\b/i.test(sql))
    throw new UnportableStatementError("SQLite's catalog or PRAGMAs", sql);
  let text = sql;
  let conflict = '';
  const or = INSERT_OR.exec(text);
  if (or) {
    const table = unquote(or[2]);
    text = text.replace(/^\s*INSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO/i, 'INSERT INTO');
    if (or[1].toUpperCase() === 'IGNORE') conflict = ' ON CONFLICT DO NOTHING';
    else {
      const key = catalog.keys.get(table);
      if (!key || !or[4])
        throw new UnportableStatementError('INSERT OR REPLACE without a known key or column list', sql);
      const cols = or[4].split(',').map((c) => unquote(c.trim()));
      const set = cols.filter((c) => !key.includes(c));
      conflict =
        ` ON CONFLICT (${key.map((k) => `"${k}"`).join(', ')}) ` +
        (set.length
          ? `DO UPDATE SET ${set.map((c) => `"${c}" = EXCLUDED."${c}"`).join(', ')}`
          : 'DO NOTHING');
    }
  }
  text = replaceInCode(
    text,
    /\bjson_each\s*\(\s*(\?|@\w+)\s*\)/gi,
    (m) => `jsonb_array_elements_text(CAST(${m[1]} AS jsonb))`,
  );
  text = jsonArrays(text);
  text = replaceInCode(
    text,
    /\bIS\s+NOT\s+(?!NULL\b|TRUE\b|FALSE\b|DISTINCT\b)/gi,
    () => 'IS DISTINCT FROM ',
  );
  text = replaceInCode(
    text,
    /\bIS\s+(?!NOT\b|NULL\b|TRUE\b|FALSE\b|DISTINCT\b)/gi,
    () => 'IS NOT DISTINCT FROM ',
  );
  text = scalarMinMax(text);
  text = replaceInCode(text, /\bAS\s+INTEGER\s*\)/gi, () => 'AS bigint)');
  text = replaceInCode(text, /\bifnull\s*\(/gi, () => 'coalesce(');
  // PostgreSQL folds an unquoted name to lower case; SQLite keeps a camelCase alias as written
  text = replaceInCode(text, /\bAS\s+([A-Za-z_]\w*)\b/g, (m) =>
    /[a-z]/.test(m[1]) && /[A-Z]/.test(m[1]) ? `AS "${m[1]}"` : m[0],
  );
  if (conflict) {
    const ret = /\bRETURNING\b/i.exec(text);
    text = ret
      ? `${text.slice(0, ret.index)}${conflict} ${text.slice(ret.index)}`
      : `${text.trimEnd().replace(/;$/, '')}${conflict}`;
  }
  // parameters
  const names: string[] = [];
  let positional = 0;
  let named = false;
  text = replaceInCode(text, /\?|@(\w+)/g, (m) => {
    if (m[0] === '?') {
      if (named) throw new UnportableStatementError('both ? and @name parameters', sql);
      return `$${++positional}`;
    }
    if (positional) throw new UnportableStatementError('both ? and @name parameters', sql);
    named = true;
    let i = names.indexOf(m[1]);
    if (i < 0) i = names.push(m[1]) - 1;
    return `$${i + 1}`;
  });
  let returnsKey: string | null = null;
  const ins = INSERT_INTO.exec(text);
  if (ins && !/\bRETURNING\b/i.test(text)) {
    const id = catalog.identity.get(unquote(ins[1]));
    if (id) {
      returnsKey = id;
      text = `${text.trimEnd().replace(/;$/, '')} RETURNING "${id}"`;
    }
  }
  return {
    text,
    binding: named ? { kind: 'named', names } : { kind: 'positional', count: positional },
    returnsKey,
  };
}
