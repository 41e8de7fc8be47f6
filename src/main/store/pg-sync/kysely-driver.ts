/**
 * Kysely over a team database's SQL port: PostgreSQL's adapter, compiler and introspector, and a
 * driver whose one connection is the port's. So a store's typed queries and its engine statements
 * run on the same connection, in the same transaction, as on a SQLite store. A Kysely transaction
 * takes the store's write lock first (pg-sync-port.ts), without blocking the thread: the driver
 * thread waits for it.
 */
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type { PgSyncPort } from './pg-sync-port';

const WRITES = /^\s*(WITH\b[\s\S]*?\)\s*)?(INSERT|UPDATE|DELETE)\b/i;

class PortConnection implements DatabaseConnection {
  constructor(private readonly port: PgSyncPort) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const write = WRITES.test(query.sql) && !this.port.inTransaction && !this.port.locked;
    if (write) await this.port.lockForWrite();
    try {
      const r = await this.port.queryAsync(query.sql, [...query.parameters]);
      const rows = r.rows.map((row) => {
        const o: Record<string, unknown> = {};
        for (let i = 0; i < r.fields.length; i++) o[r.fields[i]] = row[i];
        return o as R;
      });
      const command = query.sql.trimStart().slice(0, 6).toUpperCase();
      return {
        rows,
        numAffectedRows: ['INSERT', 'UPDATE', 'DELETE'].includes(command) ? BigInt(r.rowCount) : undefined,
      };
    } finally {
      if (write) await this.port.unlockForWrite();
    }
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streamQuery is not supported on a team database store');
  }
}

class PortDriver implements Driver {
  private readonly connection: PortConnection;
  /** one connection: one user at a time, as Kysely's SQLite driver does */
  private queue: Promise<void> = Promise.resolve();
  private release: (() => void) | null = null;

  constructor(private readonly port: PgSyncPort) {
    this.connection = new PortConnection(port);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.queue;
    let release!: () => void;
    this.queue = new Promise((r) => (release = r));
    await previous;
    this.release = release;
    return this.connection;
  }

  async beginTransaction(_c: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    // the write lock first (the driver thread waits for it, this thread does not; a wait is said),
    // then a transaction that sees everything committed before the lock was granted
    if (!this.port.locked) await this.port.lockForWrite();
    const level = settings.isolationLevel ? ` ISOLATION LEVEL ${settings.isolationLevel.toUpperCase()}` : '';
    await this.port.queryAsync(`BEGIN${level}`, []);
  }

  async commitTransaction(): Promise<void> {
    await this.endTransaction('COMMIT');
  }

  async rollbackTransaction(): Promise<void> {
    await this.endTransaction('ROLLBACK');
  }

  private async endTransaction(how: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    try {
      await this.port.queryAsync(how, []);
    } finally {
      if (!this.port.locked) await this.port.unlockForWrite();
    }
  }

  async releaseConnection(): Promise<void> {
    const r = this.release;
    this.release = null;
    r?.();
  }

  async destroy(): Promise<void> {
    this.port.close();
  }
}

export function portDialect(port: PgSyncPort): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new PortDriver(port),
    createIntrospector: (db: Kysely<unknown>) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}
