import { existsSync } from 'node:fs';
import { isStoreFileOf } from '../main/store/store-files';
import { UsageError } from './args';
import { isTeamDatabase } from '../main/store/pg-sync/open-port-store';
import { openStore, type OpenStoreOptions, type Store } from '../main/store/open-store';

/** One yunke-desk command. `run` returns the exit code: 0 ok, 1 bad input, 2 usage. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Longer help text printed by `yunke-desk <command> --help`. */
  help?: string;
  run(argv: string[], io: CliIO): Promise<number>;
}

export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  isTTY: boolean;
}

/**
 * Commands that read a store (recompute, explain, export) refuse a file that does not exist
 * instead of creating an empty store (a mistyped path would otherwise "succeed"). True when
 * the store is missing (the message is written). A team database (`--db postgres://…`) is checked
 * when it is opened: a database the server does not have is refused there, never created.
 */
export function storeMissing(file: string, command: string, io: CliIO): boolean {
  if (isTeamDatabase(file) || existsSync(file)) return false;
  io.err(`yunke-desk ${command}: 数据库 ${file} 不存在 / store ${file} does not exist`);
  return true;
}

/**
 * The store of a command that uses one (every command but those that create a store: import,
 * pull, demo, serve, a store's first operator): a store file that does not exist, or a team
 * database this app never set up, is refused (said, null) instead of created.
 */
export function openExistingStore(
  file: string,
  command: string,
  io: CliIO,
  options: Omit<OpenStoreOptions, 'setUp'> = {},
): Store | null {
  if (storeMissing(file, command, io)) return null;
  return openStore(file, { ...options, setUp: false });
}

/**
 * An `--out` file must not be the store itself, nor its WAL or shared-memory file
 * (store/store-files.ts). Throws a usage error naming both.
 */
export function refuseOutOverStore(out: string, store: string): void {
  if (isTeamDatabase(store)) return;
  if (isStoreFileOf(out, store))
    throw new UsageError(
      `--out ${out} 是数据库 ${store}（或其 -wal/-shm 文件）本身，请换一个文件 / --out ${out} is the store ${store} (or its -wal/-shm file): choose another file`,
    );
}
