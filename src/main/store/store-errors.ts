/**
 * SQLite's own errors, as a user reads them (issue 12): in Chinese and English, naming the store
 * file, saying what to do. SQLite-specific (the PostgreSQL store maps its own).
 */
export class StoreError extends Error {
  readonly exitCode = 1;
  constructor(
    readonly code: string,
    message: string,
    readonly details: { file: string; sqlite?: string },
  ) {
    super(message);
  }
}

const MESSAGES: Record<string, (file: string) => [string, string]> = {
  STORE_IS_FOLDER: (f) => [`${f} 是一个文件夹，不是数据库文件`, `${f} is a folder, not a store file`],
  STORE_CANNOT_OPEN: (f) => [
    `无法打开数据库 ${f}（文件夹不存在或没有权限）`,
    `cannot open the store ${f} (its folder is missing, or no permission)`,
  ],
  STORE_NOT_A_DATABASE: (f) => [
    `${f} 不是云客工作台的数据库文件（或已加密、已损坏）`,
    `${f} is not a Yunke Desk store (or it is encrypted or damaged)`,
  ],
  STORE_DAMAGED: (f) => [
    `数据库 ${f} 已损坏或不完整，请从备份恢复`,
    `the store ${f} is damaged or truncated: restore it from a backup`,
  ],
  STORE_READ_ONLY: (f) => [
    `数据库 ${f} 是只读的（文件或文件夹不可写），无法保存更改`,
    `the store ${f} is read-only (file or folder not writable): nothing can be saved`,
  ],
  STORE_BUSY: (f) => [
    `数据库 ${f} 正被另一个任务（或另一个程序）占用，请稍后再试`,
    `the store ${f} is held by another job (or another program): try again when it has finished`,
  ],
  STORE_FULL: (f) => [`磁盘已满，无法写入数据库 ${f}`, `the disk is full: cannot write the store ${f}`],
};

const BY_SQLITE_CODE: Record<string, string> = {
  SQLITE_CANTOPEN: 'STORE_CANNOT_OPEN',
  SQLITE_NOTADB: 'STORE_NOT_A_DATABASE',
  SQLITE_CORRUPT: 'STORE_DAMAGED',
  SQLITE_CORRUPT_VTAB: 'STORE_DAMAGED',
  SQLITE_IOERR_SHORT_READ: 'STORE_DAMAGED',
  SQLITE_READONLY: 'STORE_READ_ONLY',
  SQLITE_READONLY_DIRECTORY: 'STORE_READ_ONLY',
  SQLITE_READONLY_DBMOVED: 'STORE_READ_ONLY',
  SQLITE_BUSY: 'STORE_BUSY',
  SQLITE_BUSY_SNAPSHOT: 'STORE_BUSY',
  SQLITE_LOCKED: 'STORE_BUSY',
  SQLITE_FULL: 'STORE_FULL',
  EISDIR: 'STORE_IS_FOLDER',
};

/** The user's error for a SQLite (or file) error about `file`; null when it is none of those. */
export function storeErrorOf(e: unknown, file: string): StoreError | null {
  if (e instanceof StoreError) return e;
  const raw = (e as { code?: unknown })?.code;
  if (typeof raw !== 'string') return null;
  const code = BY_SQLITE_CODE[raw] ?? (raw.startsWith('SQLITE_IOERR') ? 'STORE_DAMAGED' : null);
  if (!code) return null;
  const [zh, en] = MESSAGES[code](file);
  return new StoreError(code, `${zh} / ${en}`, { file, sqlite: raw });
}
