/**
 * 备份与恢复 (R-OP-1: admins; R-OP-2: audited). A backup is SQLite's online backup of the open
 * store into another file, then verified by opening that file: `PRAGMA integrity_check` and a
 * migration history this build knows. A restore verifies first, prepares the backup beside the
 * store (migrated to this build, its audit entry appended to the backup's own chain), and only
 * then swaps it in; the store it replaces is kept aside in the backups folder, with its write-ahead
 * log when that could not be folded in.
 * SQLite-specific: the PostgreSQL store has its own (pg_dump) way.
 */
import BetterSqlite3 from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { appendAuditSync } from '../audit/append';
import type { Actor } from '../audit/chain';
import { migrationChecksum, migrationsOf } from './migrations';
import { openStore, type OpenStoreOptions, type Store } from './open-store';
import { isStoreFileOf } from './store-files';

/**
 * A team database is backed up by its own server's tools (pg_dump, its administrator's schedule):
 * this desk's backups copy a store file, and say so instead of copying nothing.
 */
export function refuseTeamDatabase(store: { dialect?: string }): void {
  if (store.dialect === 'postgres')
    throw new BackupError(
      'BACKUP_TEAM_DATABASE',
      '团队数据库由其服务器备份（如 pg_dump），本机不备份也不恢复它 / ' +
        "a team database is backed up by its server's tools (such as pg_dump); this desk neither backs it up nor restores it",
    );
}

export class BackupError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface BackupCheck {
  file: string;
  bytes: number;
  integrity: string;
  /** migrations applied in the file (all known to this build) */
  migrations: number;
  auditEntries: number;
  auditHead: string;
  verifyMs: number;
}

export interface BackupResult extends BackupCheck {
  copyMs: number;
}

/** Where a store's backups live: `backups/` beside the store file. */
export function backupsDir(store: { file: string }): string {
  return join(dirname(store.file), 'backups');
}

/**
 * Opens a backup read-only and checks it: SQLite's integrity check, and a migration history that
 * is a prefix of this build's (a newer or foreign file is refused). Throws BackupError.
 */
export function verifyBackup(file: string, options: OpenStoreOptions = {}): BackupCheck {
  const started = performance.now();
  if (!existsSync(file))
    throw new BackupError('BACKUP_MISSING', `备份文件不存在：${file} / no such backup: ${file}`);
  let db: BetterSqlite3.Database;
  try {
    db = new BetterSqlite3(file, {
      readonly: true,
      fileMustExist: true,
      nativeBinding: options.nativeBinding,
    });
  } catch (e) {
    throw new BackupError(
      'BACKUP_UNREADABLE',
      `无法打开备份 ${file} / cannot open the backup ${file}: ${(e as Error).message}`,
    );
  }
  try {
    let integrity: string;
    try {
      integrity = (db.prepare('PRAGMA integrity_check').pluck().all() as string[]).join('; ');
    } catch (e) {
      throw new BackupError(
        'BACKUP_DAMAGED',
        `备份不是有效的数据库：${file} / the backup is not a valid store: ${(e as Error).message}`,
      );
    }
    if (integrity !== 'ok')
      throw new BackupError(
        'BACKUP_DAMAGED',
        `备份已损坏：${integrity} / the backup is damaged: ${integrity}`,
        { integrity },
      );
    const hasTable = (t: string) =>
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t) !== undefined;
    if (!hasTable('_migrations') || !hasTable('audit_head'))
      throw new BackupError(
        'BACKUP_FOREIGN',
        `这不是云客工作台的数据库：${file} / not a Yunke Desk store: ${file}`,
      );
    const applied = db.prepare('SELECT version, checksum FROM _migrations ORDER BY version').all() as {
      version: number;
      checksum: string;
    }[];
    applied.forEach((a, i) => {
      const known = migrationsOf('sqlite')[i];
      if (!known || known.version !== a.version || migrationChecksum(known) !== a.checksum)
        throw new BackupError(
          'BACKUP_FOREIGN',
          `备份由其他版本的云客工作台创建（迁移 ${a.version}）/ the backup was written by another version of Yunke Desk (migration ${a.version})`,
          { applied },
        );
    });
    const head = db.prepare('SELECT entries, hash FROM audit_head').get() as {
      entries: number;
      hash: string;
    };
    return {
      file,
      bytes: bytesOf(file),
      integrity,
      migrations: applied.length,
      auditEntries: head.entries,
      auditHead: head.hash,
      verifyMs: performance.now() - started,
    };
  } finally {
    db.close();
  }
}

/**
 * Backs the open store up into `dest` (online: the store stays usable; consistent: one snapshot),
 * then verifies the copy. A file already at `dest` is replaced only once the new copy is verified.
 */
export async function backupStore(
  store: Store,
  dest: string,
  options: OpenStoreOptions = {},
): Promise<BackupResult> {
  refuseTeamDatabase(store);
  if (isStoreFileOf(dest, store.file))
    throw new BackupError(
      'BACKUP_FAILED',
      `备份不能写到数据库文件本身，请选择其他位置 / a backup cannot be written over the store itself (${dest}): choose another file`,
      { dest },
    );
  mkdirSync(dirname(dest), { recursive: true });
  const partial = `${dest}.partial`;
  for (const f of [partial, `${partial}-wal`, `${partial}-shm`]) rmSync(f, { force: true });
  const started = performance.now();
  try {
    copySnapshot(store, partial);
  } catch (e) {
    for (const f of [partial, `${partial}-wal`]) rmSync(f, { force: true });
    if ((e as { code?: string }).code !== 'SQLITE_BUSY')
      throw new BackupError('BACKUP_FAILED', `备份失败 / the backup failed: ${(e as Error).message}`, {
        dest,
      });
    // another connection is writing: SQLite's online backup copies around it, page by page
    try {
      await (store.sqlite as unknown as BetterSqlite3.Database).backup(partial, { progress: () => 4096 });
    } catch (e2) {
      rmSync(partial, { force: true });
      throw new BackupError('BACKUP_FAILED', `备份失败 / the backup failed: ${(e2 as Error).message}`, {
        dest,
      });
    }
  }
  const copyMs = performance.now() - started;
  try {
    // a backup is one self-contained file: its write-ahead log folded in, none beside it
    const copy = new BetterSqlite3(partial, { fileMustExist: true, nativeBinding: options.nativeBinding });
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    const check = verifyBackup(partial, options);
    renameSync(partial, dest);
    return { ...check, file: dest, copyMs };
  } catch (e) {
    for (const f of [partial, `${partial}-wal`, `${partial}-shm`]) rmSync(f, { force: true });
    throw e;
  }
}

/**
 * A consistent copy at file speed: with the write lock held (readers go on; a writer waits, as
 * for any write), the store file and its write-ahead log are one consistent state; both are
 * copied, and opening the copy folds the log in. Throws SQLITE_BUSY when the lock is not free
 * within the busy timeout.
 */
function copySnapshot(store: Store, to: string): void {
  const db = store.sqlite;
  if (db.inTransaction) throw Object.assign(new Error('in a transaction'), { code: 'SQLITE_BUSY' });
  db.exec('BEGIN IMMEDIATE');
  try {
    copyFileSync(store.file, to);
    if (existsSync(`${store.file}-wal`)) copyFileSync(`${store.file}-wal`, `${to}-wal`);
  } finally {
    db.exec('COMMIT');
  }
}

export interface BackupInfo {
  name: string;
  file: string;
  bytes: number;
  modifiedAt: number;
  /** automatic daily backups are `auto-YYYY-MM-DD.db` */
  automatic: boolean;
}

/**
 * A store file's size with its write-ahead log's: a pre-restore copy may keep its log beside it
 * (restoreStore), part of that backup, never one of its own (`.db-wal` is not listed).
 */
function bytesOf(file: string): number {
  const log = `${file}-wal`;
  return statSync(file).size + (existsSync(log) ? statSync(log).size : 0);
}

export function listBackups(store: { file: string }): BackupInfo[] {
  const dir = backupsDir(store);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => n.endsWith('.db'))
    .map((name) => {
      const st = statSync(join(dir, name));
      return {
        name,
        file: join(dir, name),
        bytes: bytesOf(join(dir, name)),
        modifiedAt: st.mtimeMs,
        automatic: name.startsWith('auto-'),
      };
    })
    .sort((a, b) => b.modifiedAt - a.modifiedAt || (a.name < b.name ? 1 : -1));
}

/** A backup of the backups folder by its file name (never a path from elsewhere). */
export function backupByName(store: { file: string }, name: string): string {
  if (basename(name) !== name || !name.endsWith('.db'))
    throw new BackupError('BACKUP_NAME', `备份名称无效：${name} / not a backup name: ${name}`);
  return join(backupsDir(store), name);
}

const day = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10); // Asia/Shanghai

/** At start-up: one automatic backup a day, keeping the last `keep`. Returns the new backup, if any. */
export async function dailyBackup(
  store: Store,
  now = Date.now(),
  keep = 7,
  options: OpenStoreOptions = {},
): Promise<BackupResult | null> {
  if (store.dialect === 'postgres') return null;
  const dir = backupsDir(store);
  const name = `auto-${day(now)}.db`;
  let made: BackupResult | null = null;
  if (!existsSync(join(dir, name))) made = await backupStore(store, join(dir, name), options);
  const autos = readdirSync(dir)
    .filter((n) => /^auto-\d{4}-\d{2}-\d{2}\.db$/.test(n))
    .sort()
    .reverse();
  for (const old of autos.slice(keep)) rmSync(join(dir, old), { force: true });
  return made;
}

const stamp = (ms: number) =>
  new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');

/**
 * Where the store a restore replaces is kept: `pre-restore-<stamp>.db`, or `…-2.db` and on when
 * that name is taken (two restores in one second) by a copy or its log, which a rename would
 * overwrite, or pair with the wrong file.
 */
function asideFile(dir: string, now: number): string {
  for (let n = 1; ; n++) {
    const file = join(dir, `pre-restore-${stamp(now)}${n > 1 ? `-${n}` : ''}.db`);
    if (![file, `${file}-wal`, `${file}-shm`].some((f) => existsSync(f))) return file;
  }
}

/** The row of `PRAGMA wal_checkpoint`: busy = 1 (not an error) when it stopped short. */
interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

/**
 * Folds the write-ahead log beside a store file that no store uses any more into the file, if it
 * can at once, so that the file is whole by itself. A connection still open on it (one that
 * outlived its store's close: a full recompute's helper still checkpointing) holds it back while
 * it reads an older state; the log then stays beside the file, and SQLite reads it with the file.
 * Nothing is lost either way, so it never throws.
 */
function foldLog(file: string, options: OpenStoreOptions): void {
  try {
    // no wait: this is a restore the admin waits for, and the log beside the file is as good
    const db = new BetterSqlite3(file, {
      fileMustExist: true,
      timeout: 0,
      nativeBinding: options.nativeBinding,
    });
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      // the last connection's close deletes the folded (empty) log; another's leaves it
      db.close();
    }
  } catch {
    // busy, or a folder this desk cannot write: the log stays
  }
}

/**
 * Copies a store file no store uses, with the write-ahead log beside it if there is one (a
 * pre-restore copy whose log could not be folded in, foldLog): a copy of the file alone would lose
 * the commits only in the log. A read transaction on the file meanwhile keeps a checkpoint (of a
 * connection still open on it) from restarting the log under the copy: file and log are one state.
 */
function copyWithLog(from: string, to: string, options: OpenStoreOptions): void {
  if (!existsSync(`${from}-wal`)) return copyFileSync(from, to);
  const db = new BetterSqlite3(from, {
    readonly: true,
    fileMustExist: true,
    nativeBinding: options.nativeBinding,
  });
  try {
    db.exec('BEGIN');
    db.prepare('SELECT COUNT(*) FROM sqlite_master').get(); // the snapshot begins with a read
    copyFileSync(from, to);
    if (existsSync(`${from}-wal`)) copyFileSync(`${from}-wal`, `${to}-wal`);
    db.exec('COMMIT');
  } finally {
    db.close();
  }
}

/**
 * Restores `backup` over the open store and returns the store that replaces it (the caller swaps
 * it in). Verified before anything is replaced; the restored store's audit chain records the
 * restore; the replaced store is kept in the backups folder as `pre-restore-….db`, every commit
 * of it: its write-ahead log goes with it (and is folded in when it can be), never deleted.
 */
export async function restoreStore(
  store: Store,
  backup: string,
  by: { actor: Actor; reason: string; now?: number },
  options: OpenStoreOptions = {},
): Promise<{ store: Store; check: BackupCheck; keptAside: string; auditId: number }> {
  refuseTeamDatabase(store);
  const now = by.now ?? Date.now();
  const check = verifyBackup(backup, options);
  const file = store.file;
  const prepared = `${file}.restoring`;
  for (const f of [prepared, `${prepared}-wal`, `${prepared}-shm`]) rmSync(f, { force: true });
  copyWithLog(backup, prepared, options);
  const before = store.sqlite.prepare('SELECT entries, hash FROM audit_head').get() as {
    entries: number;
    hash: string;
  };
  let auditId: number;
  {
    // migrated to this build, and the restore recorded in the restored chain
    const next = openStore(prepared, options);
    try {
      auditId = next.sqlite.transaction(
        () =>
          appendAuditSync(
            next.sqlite,
            {
              actor: by.actor,
              action: 'store.restore',
              entity: 'store',
              entityId: basename(backup),
              reason: by.reason,
              before: { auditEntries: before.entries, auditHead: before.hash },
              after: {
                backup: basename(backup),
                auditEntries: check.auditEntries,
                auditHead: check.auditHead,
              },
            },
            now,
          ).audit_id,
      )();
      next.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      await next.close();
    }
  }
  const aside = asideFile(backupsDir(store), now);
  mkdirSync(dirname(aside), { recursive: true });
  // folds the log into the file while the store is open, which is usually all there is to it. It
  // stops short (busy, not an error) while another connection reads an older state or checkpoints
  // (a full recompute's helper closes after the run has returned): the commits it could not copy
  // are then only in the log, which therefore goes with the file below
  const [checkpoint] = store.sqlite.pragma('wal_checkpoint(TRUNCATE)') as CheckpointResult[];
  await store.close();
  // what was renamed (from, to), to be put back if the restore fails
  const moved: [string, string][] = [];
  const move = (from: string, to: string) => {
    renameSync(from, to);
    moved.push([from, to]);
  };
  let keptWhole = false;
  try {
    // the replaced store with its log, and the log's index (-shm): a connection still open on the
    // file shares that index with whoever opens the file next. Neither may stay under the store's
    // name, where SQLite would take them for the restored store's
    move(file, aside);
    for (const ext of ['-wal', '-shm']) if (existsSync(file + ext)) move(file + ext, aside + ext);
    keptWhole = true;
    // one self-contained file if possible; before the restored store takes the name: a connection
    // still open on the replaced file names its files by that name, and the last one to close a
    // folded log deletes that name's -shm
    const log = `${aside}-wal`;
    if (existsSync(log) && (checkpoint?.busy !== 0 || statSync(log).size > 0)) foldLog(aside, options);
    renameSync(prepared, file);
    // (normally none: the close of its only connection folded it in)
    if (existsSync(`${prepared}-wal`)) renameSync(`${prepared}-wal`, `${file}-wal`);
    rmSync(`${prepared}-shm`, { force: true });
    return { store: openStore(file, options), check, keptAside: aside, auditId };
  } catch (e) {
    // put the replaced store back with its log, open it again: nothing is lost
    if (keptWhole) for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    for (const [from, to] of moved.reverse()) if (existsSync(to)) renameSync(to, from);
    throw Object.assign(
      new BackupError(
        'RESTORE_FAILED',
        `恢复失败，原数据库已放回 / the restore failed; the store was put back: ${(e as Error).message}`,
      ),
      { reopened: openStore(file, options) },
    );
  }
}
