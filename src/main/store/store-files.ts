/**
 * Whether a path names a store file or one of SQLite's files beside it (its write-ahead log and
 * shared memory): a file the app must never write over while the store is in use (an export or a
 * backup written there would destroy the store, and crash a desk reading it through its memory
 * map, open-store.ts).
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * A path as the file system resolves it: symbolic links followed, and the letter case the file has
 * on a case-insensitive disk (realpath.native: Windows, macOS); of a file not there yet, its folder.
 */
function resolvedPath(path: string): string {
  const full = resolve(path);
  try {
    return realpathSync.native(full);
  } catch {
    try {
      return join(realpathSync.native(dirname(full)), basename(full));
    } catch {
      return full;
    }
  }
}

export function isStoreFileOf(path: string, storeFile: string): boolean {
  const target = resolvedPath(path);
  const db = resolvedPath(storeFile);
  return target === db || target === `${db}-wal` || target === `${db}-shm`;
}
