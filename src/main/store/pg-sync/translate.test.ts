import { describe, expect, it } from 'vitest';
import { translate, UnportableStatementError, type Catalog } from './translate';

const catalog: Catalog = {
  keys: new Map([
    ['product_lines', ['product_line']],
    ['login_ips', ['account_id', 'ip']],
  ]),
  identity: new Map([['imports', 'import_id']]),
};
const pg = (sql: string) => translate(sql, catalog);

describe("the store's statements on a team database (issue 13)", () => {
  it('numbers ? parameters in order, outside string literals and quoted names', () => {
    const t = pg(`SELECT '?' AS "a?", x FROM t WHERE a = ? AND b IN (?, ?) -- ? here too\n AND c = ?`);
    expect(t.text).toBe(
      `SELECT '?' AS "a?", x FROM t WHERE a = $1 AND b IN ($2, $3) -- ? here too\n AND c = $4`,
    );
    expect(t.binding).toEqual({ kind: 'positional', count: 4 });
  });

  it('binds @name parameters by name, one $n per name however often it is used', () => {
    const t = pg('UPDATE imports SET rows_added = @added WHERE import_id = @importId AND @added > 0');
    expect(t.text).toBe('UPDATE imports SET rows_added = $1 WHERE import_id = $2 AND $1 > 0');
    expect(t.binding).toEqual({ kind: 'named', names: ['added', 'importId'] });
  });

  it('reads an id list bound as one JSON array with jsonb_array_elements_text (its column is `value` too)', () => {
    expect(pg('SELECT a FROM t WHERE id IN (SELECT value FROM json_each(?))').text).toBe(
      'SELECT a FROM t WHERE id IN (SELECT value FROM jsonb_array_elements_text(CAST($1 AS jsonb)))',
    );
  });

  it('writes json_array as SQLite (and JSON.stringify) write it: no spaces between elements', () => {
    const t = pg("SELECT reasons_json || json_array(a, b, 'x, y') FROM t");
    expect(t.text).toContain("regexp_replace(CAST(json_build_array(a, b, 'x, y') AS text)");
  });

  it('INSERT OR IGNORE → ON CONFLICT DO NOTHING; INSERT OR REPLACE → an update of every non-key column', () => {
    expect(pg('INSERT OR IGNORE INTO login_ips (account_id, ip, seen_at) VALUES (?, ?, ?)').text).toBe(
      'INSERT INTO login_ips (account_id, ip, seen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    );
    expect(
      pg('INSERT OR REPLACE INTO product_lines (product_line, name, rebate_eligible) VALUES (?, ?, ?)').text,
    ).toBe(
      'INSERT INTO product_lines (product_line, name, rebate_eligible) VALUES ($1, $2, $3) ON CONFLICT ("product_line") DO UPDATE SET "name" = EXCLUDED."name", "rebate_eligible" = EXCLUDED."rebate_eligible"',
    );
  });

  it("SQLite's IS / IS NOT between any two values → IS [NOT] DISTINCT FROM; IS NULL stays", () => {
    expect(
      pg('SELECT 1 FROM t WHERE a IS NOT ? OR n.b IS NOT o.b OR c IS ? OR d IS NULL OR e IS NOT NULL').text,
    ).toBe(
      'SELECT 1 FROM t WHERE a IS DISTINCT FROM $1 OR n.b IS DISTINCT FROM o.b OR c IS NOT DISTINCT FROM $2 OR d IS NULL OR e IS NOT NULL',
    );
  });

  it('two-argument min / max → least / greatest; the aggregates stay; CAST AS INTEGER → bigint; ifnull → coalesce', () => {
    expect(pg('SELECT min(a, b), MAX(c), max(d, (e)), CAST(f AS INTEGER), ifnull(g, 0) FROM t').text).toBe(
      'SELECT least(a, b), MAX(c), greatest(d, (e)), CAST(f AS bigint), coalesce(g, 0) FROM t',
    );
  });

  it('keeps the case of a camelCase alias (PostgreSQL folds unquoted names); types and plain aliases stay', () => {
    expect(pg('SELECT p.partner_id AS partnerId, CAST(x AS INTEGER) AS n, y AS total FROM p').text).toBe(
      'SELECT p.partner_id AS "partnerId", CAST(x AS bigint) AS n, y AS total FROM p',
    );
  });

  it('an INSERT into a table with a store-numbered key returns the key (lastInsertRowid)', () => {
    const t = pg('INSERT INTO imports (source, started_at) VALUES (?, ?)');
    expect(t.text).toBe('INSERT INTO imports (source, started_at) VALUES ($1, $2) RETURNING "import_id"');
    expect(t.returnsKey).toBe('import_id');
  });

  it("refuses what PostgreSQL would read differently or not at all, naming it: SQLite's catalog, PRAGMAs, mixed parameters", () => {
    expect(() => pg("SELECT name FROM sqlite_master WHERE type = 'table'")).toThrow(UnportableStatementError);
    expect(() => pg('PRAGMA table_info(orders)')).toThrow(/catalog or PRAGMAs/);
    expect(() => pg('SELECT 1 FROM t WHERE a = ? AND b = @b')).toThrow(/both \? and @name/);
    expect(() => pg('INSERT OR REPLACE INTO unknown_table (a) VALUES (?)')).toThrow(/without a known key/);
  });
});
