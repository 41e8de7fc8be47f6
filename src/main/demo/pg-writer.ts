/**
 * The demo's bulk writer on a team database (issue 13): the same rows and counts as
 * SqliteDemoWriter, written with COPY. Each transaction's rows of a table are copied into a temp
 * stage table, then inserted by key in one statement with the SQLite statement's semantics:
 * `INSERT OR IGNORE` keeps the first row of a key (counted when new), `INSERT OR REPLACE` the last
 * (every row counted, as SQLite counts a replacement as a change). Counts move with each insert,
 * as on SQLite: the generator reads them.
 */
import { copyValue, PgSyncPort } from '../store/pg-sync/pg-sync-port';
import { DEMO_SQL, SOURCE_TABLES, type SourceTable } from './sqlite-writer';

type Value = string | number | null;

interface Shape {
  columns: string[];
  replace: boolean;
  /** the table's key columns, and where they stand in `columns` */
  key: string[];
  keyAt: number[];
}

function shapeOf(sql: string, keyOf: (table: string) => string[]): Shape {
  const m = /^INSERT OR (IGNORE|REPLACE) INTO (\w+) \(([^)]*)\)/.exec(sql);
  if (!m) throw new Error(`not a demo insert: ${sql}`);
  const columns = m[3].split(',').map((c) => c.trim());
  const key = keyOf(m[2]);
  return { columns, replace: m[1] === 'REPLACE', key, keyAt: key.map((c) => columns.indexOf(c)) };
}

export class PgDemoWriter {
  readonly counts: Record<SourceTable, number>;
  private readonly shapes: Record<SourceTable, Shape>;
  private readonly data = new Map<SourceTable, string[]>();
  private pending = 0;

  constructor(
    private readonly port: PgSyncPort,
    private readonly importIds: Record<SourceTable, number>,
    private readonly batchRows = 50_000,
  ) {
    this.counts = Object.fromEntries(SOURCE_TABLES.map((t) => [t, 0])) as Record<SourceTable, number>;
    this.shapes = Object.fromEntries(
      SOURCE_TABLES.map((t) => [t, shapeOf(DEMO_SQL[t], (table) => port.catalogOf().keys.get(table)!)]),
    ) as Record<SourceTable, Shape>;
  }

  /** keys written so far, for the tables that ignore a repeated key (their count is of new rows) */
  private readonly seen = new Map<SourceTable, Set<string>>();

  insert(table: SourceTable, values: Value[]): void {
    // counted at once, as SQLite counts each statement's change (the generator reads the counts)
    const { replace, keyAt } = this.shapes[table];
    if (replace) this.counts[table]++;
    else {
      const k = JSON.stringify(keyAt.map((i) => values[i]));
      const seen = this.seen.get(table) ?? new Set<string>();
      this.seen.set(table, seen);
      if (!seen.has(k)) {
        seen.add(k);
        this.counts[table]++;
      }
    }
    values.push(this.importIds[table]);
    let line = copyValue(values[0]);
    for (let i = 1; i < values.length; i++) line += '\t' + copyValue(values[i]);
    const list = this.data.get(table) ?? [];
    list.push(line);
    this.data.set(table, list);
    this.pending++;
  }

  get full(): boolean {
    return this.pending >= this.batchRows;
  }

  commit(): void {
    if (this.pending === 0) return;
    this.port.transaction(() => {
      for (const table of SOURCE_TABLES) {
        const lines = this.data.get(table);
        if (!lines?.length) continue;
        const { columns, replace, key } = this.shapes[table];
        const stage = `yk_demo_${table}`;
        this.port.query(
          `CREATE TEMP TABLE IF NOT EXISTS ${stage} AS SELECT ${columns.join(', ')} FROM ${table} WITH NO DATA`,
        );
        this.port.query(
          `ALTER TABLE ${stage} ADD COLUMN IF NOT EXISTS yk_seq bigint GENERATED ALWAYS AS IDENTITY`,
        );
        this.port.query(`TRUNCATE ${stage}`);
        this.port.copyIn(stage, columns, lines.join('\n') + '\n');
        const rest = columns.filter((c) => !key.includes(c));
        this.port.query(
          `INSERT INTO ${table} (${columns.join(', ')})
           SELECT DISTINCT ON (${key.join(', ')}) ${columns.join(', ')} FROM ${stage}
           ORDER BY ${key.join(', ')}, yk_seq ${replace ? 'DESC' : 'ASC'}
           ON CONFLICT (${key.join(', ')}) ${
             replace ? `DO UPDATE SET ${rest.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}` : 'DO NOTHING'
           }`,
        );
      }
    })();
    this.data.clear();
    this.pending = 0;
  }

  rollback(): void {
    this.data.clear();
    this.pending = 0;
  }
}
