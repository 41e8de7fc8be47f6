/**
 * Staging of uploaded files (数据同步): the renderer has no file paths (sandbox, or a plain
 * browser on the bridge), so it sends a dropped file in ordered base64 chunks; main writes them
 * to `<store>.staging/<stagingId>/<sanitized name>` (a team database, which has no folder: a folder
 * of this machine's temp folder, stagingDirFor) and hands the path to sync.preview/start.
 * The user's file name is kept (sanitized) because the import history shows it, but it never
 * chooses where the file goes: the folder is ours and the id is a random UUID.
 */
import { createHash, randomUUID, type Hash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { isTeamDatabase } from '../store/pg-sync/open-port-store';
import { urlWithoutPassword } from '../store/pg-types';

/** Largest decoded chunk accepted (the renderer sends exactly this much, the last one less). */
export const MAX_CHUNK_BYTES = 1024 * 1024;
/** Largest staged file. */
export const MAX_STAGED_BYTES = 2 * 1024 * 1024 * 1024;
/** Leftovers of an earlier run (a crash, a closed window) older than this are removed. */
export const STALE_AFTER_MS = 6 * 60 * 60 * 1000;

export type StagingErrorCode =
  | 'STAGING_UNKNOWN'
  | 'STAGING_TOO_LARGE'
  | 'STAGING_CHUNK_TOO_LARGE'
  | 'STAGING_BAD_CHUNK'
  | 'STAGING_OUT_OF_ORDER'
  | 'STAGING_INCOMPLETE'
  | 'STAGING_HASH_MISMATCH'
  | 'STAGING_FINISHED';

/** A refused staging call; `code` reaches the renderer as the contract error code. */
export class StagingError extends Error {
  constructor(
    readonly code: StagingErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
const MAX_NAME_CHARS = 120;

/**
 * A safe file name from whatever the user's file was called: the last path segment only, no
 * control or reserved characters, no leading dots (no hidden files, no `..`), no Windows device
 * names, at most 120 characters with the extension kept. Chinese names stay as they are.
 */
export function sanitizeFileName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? '';
  let clean = last
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '')
    .trim();
  const dot = clean.lastIndexOf('.');
  const stem = dot > 0 ? clean.slice(0, dot) : clean;
  const ext = dot > 0 ? clean.slice(dot) : '';
  if (WINDOWS_RESERVED.test(stem)) clean = `_${clean}`;
  if (clean.length > MAX_NAME_CHARS) {
    const keepExt = ext.length <= 16 ? ext : '';
    clean = stem.slice(0, MAX_NAME_CHARS - keepExt.length) + keepExt;
  }
  return clean || 'upload';
}

/**
 * The staging folder of a store: next to a store file. A team database (issue 13) is a URL, not a
 * place on this machine (its folder would be `postgres:/…` under whatever the working directory
 * is, the app's possibly not writable): a folder of this machine's temp folder, one per database
 * and user, named by a hash (neither the server's address nor a password in a file name).
 */
export function stagingDirFor(storeFile: string): string {
  if (!isTeamDatabase(storeFile)) return `${storeFile}.staging`;
  const url = withoutItsPassword(storeFile);
  let user = '';
  try {
    user = userInfo().username;
  } catch {
    // no user name (a container without one): the temp folder is this process's anyway
  }
  const id = createHash('sha256').update(`${user}\n${url}`).digest('hex').slice(0, 20);
  return join(tmpdir(), `yunke-desk-staging-${id}`);
}

/**
 * A team database's URL without its password, to tell databases apart (hashed, never shown): as a
 * URL parser reads it, so that every option counts (`?application_name=ops@desk1` on two hosts is
 * two databases); a URL a parser refuses (one without a host, `postgres://desk@/yunke`, a local
 * socket) by its text, as messages hide a password (urlWithoutPassword).
 */
function withoutItsPassword(storeFile: string): string {
  try {
    const url = new URL(storeFile);
    url.password = '';
    return url.toString();
  } catch {
    return urlWithoutPassword(storeFile);
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decoded size of a base64 text, or null when it is not canonical base64. */
function decodedLength(base64: string): number | null {
  if (base64.length % 4 !== 0 || !BASE64.test(base64)) return null;
  const pad = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return (base64.length / 4) * 3 - pad;
}

interface Entry {
  id: string;
  name: string;
  dir: string;
  path: string;
  size: number;
  received: number;
  hash: Hash;
  handle: FileHandle | null;
  /** A chunk is being written: a second one at the same time is out of order by definition. */
  busy: boolean;
  finished: { path: string; size: number; sha256: string } | null;
}

export interface StagingOptions {
  maxBytes?: number;
  maxChunkBytes?: number;
  staleAfterMs?: number;
}

/** The staging area of one store. */
export class StagingArea {
  private readonly entries = new Map<string, Entry>();
  private readonly maxBytes: number;
  private readonly maxChunkBytes: number;

  constructor(
    readonly dir: string,
    opts: StagingOptions = {},
  ) {
    this.maxBytes = opts.maxBytes ?? MAX_STAGED_BYTES;
    this.maxChunkBytes = opts.maxChunkBytes ?? MAX_CHUNK_BYTES;
    this.sweep(opts.staleAfterMs ?? STALE_AFTER_MS);
  }

  async begin(input: { fileName: string; size: number }): Promise<{ stagingId: string; name: string }> {
    if (!Number.isSafeInteger(input.size) || input.size < 0 || input.size > this.maxBytes)
      throw new StagingError(
        'STAGING_TOO_LARGE',
        `文件过大（上限 ${this.maxBytes} 字节）/ file too large (limit ${this.maxBytes} bytes)`,
        { size: input.size, limit: this.maxBytes },
      );
    const id = randomUUID();
    const name = sanitizeFileName(input.fileName);
    const dir = join(this.dir, id);
    // only this user reads what is staged (a team database's folder is in the shared temp folder)
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, name);
    const handle = await open(path, 'wx');
    this.entries.set(id, {
      id,
      name,
      dir,
      path,
      size: input.size,
      received: 0,
      hash: createHash('sha256'),
      handle,
      busy: false,
      finished: null,
    });
    return { stagingId: id, name };
  }

  /** Appends one chunk; `offset` must be exactly the number of bytes received so far. */
  async chunk(input: { stagingId: string; offset: number; base64: string }): Promise<{ received: number }> {
    const e = this.entry(input.stagingId);
    if (e.finished || !e.handle)
      throw new StagingError('STAGING_FINISHED', '该文件已上传完成 / this upload is already finished');
    const length = decodedLength(input.base64);
    if (length === null)
      throw new StagingError('STAGING_BAD_CHUNK', '数据块不是有效的 base64 / the chunk is not valid base64');
    if (length > this.maxChunkBytes)
      throw new StagingError(
        'STAGING_CHUNK_TOO_LARGE',
        `数据块过大（上限 ${this.maxChunkBytes} 字节）/ chunk too large (limit ${this.maxChunkBytes} bytes)`,
        { length, limit: this.maxChunkBytes },
      );
    if (e.busy || input.offset !== e.received)
      throw new StagingError(
        'STAGING_OUT_OF_ORDER',
        `数据块顺序错误：应从 ${e.received} 开始 / chunk out of order: expected offset ${e.received}`,
        { expected: e.received, offset: input.offset },
      );
    if (e.received + length > e.size)
      throw new StagingError(
        'STAGING_TOO_LARGE',
        `数据超过声明的文件大小 ${e.size} / more data than the declared size ${e.size}`,
        { size: e.size, received: e.received + length },
      );
    if (length === 0) return { received: e.received };
    const bytes = Buffer.from(input.base64, 'base64');
    e.busy = true;
    try {
      await e.handle.write(bytes, 0, bytes.length, e.received);
      e.hash.update(bytes);
      e.received += bytes.length;
    } finally {
      e.busy = false;
    }
    return { received: e.received };
  }

  /** Closes the file once every byte has arrived; a given sha256 must match what was received. */
  async finish(input: {
    stagingId: string;
    sha256?: string;
  }): Promise<{ path: string; size: number; sha256: string; name: string }> {
    const e = this.entry(input.stagingId);
    if (e.finished) return { ...e.finished, name: e.name };
    if (e.busy || e.received !== e.size)
      throw new StagingError(
        'STAGING_INCOMPLETE',
        `文件未上传完整：${e.received}/${e.size} 字节 / upload incomplete: ${e.received} of ${e.size} bytes`,
        { received: e.received, size: e.size },
      );
    await e.handle?.close();
    e.handle = null;
    const sha256 = e.hash.digest('hex');
    if (input.sha256 && input.sha256.toLowerCase() !== sha256) {
      await this.discard({ stagingId: e.id });
      throw new StagingError(
        'STAGING_HASH_MISMATCH',
        '上传后的文件校验值与原文件不一致，已丢弃 / the uploaded file does not match its sha256 and was discarded',
        { expected: input.sha256, actual: sha256 },
      );
    }
    e.finished = { path: e.path, size: e.size, sha256 };
    return { ...e.finished, name: e.name };
  }

  /** Removes a staged file (done after its import ended, or when the user drops it from the list). */
  async discard(input: { stagingId: string }): Promise<{ discarded: boolean }> {
    const e = this.entries.get(input.stagingId);
    if (!e) return { discarded: false };
    this.entries.delete(e.id);
    await e.handle?.close().catch(() => undefined);
    rmSync(e.dir, { recursive: true, force: true });
    return { discarded: true };
  }

  /**
   * True when `path` is a file this area staged and finished (issue 12: an import reads files the
   * app received, never a path of the page's choosing).
   */
  isStaged(path: string): boolean {
    const wanted = resolve(path);
    for (const e of this.entries.values()) if (e.finished && resolve(e.finished.path) === wanted) return true;
    return false;
  }

  /** The staged path of an id (for callers that must check it is not being imported). */
  pathOf(stagingId: string): string | null {
    return this.entries.get(stagingId)?.path ?? null;
  }

  /** Removes staged folders of earlier runs older than `olderThanMs` (never one of ours). */
  sweep(olderThanMs: number, now = Date.now()): number {
    if (!existsSync(this.dir)) return 0;
    let removed = 0;
    for (const name of readdirSync(this.dir)) {
      if (this.entries.has(name)) continue;
      const p = join(this.dir, name);
      try {
        if (now - statSync(p).mtimeMs < olderThanMs) continue;
        rmSync(p, { recursive: true, force: true });
        removed++;
      } catch {
        // raced with another remover: nothing to do
      }
    }
    return removed;
  }

  private entry(id: string): Entry {
    const e = this.entries.get(id);
    if (!e) throw new StagingError('STAGING_UNKNOWN', `没有这个上传 / no upload ${id}`, { stagingId: id });
    return e;
  }
}

const areas = new Map<string, StagingArea>();

/** The staging area next to a store file (one per store file in this process). */
export function stagingFor(storeFile: string): StagingArea {
  let area = areas.get(storeFile);
  if (!area) {
    area = new StagingArea(stagingDirFor(storeFile));
    areas.set(storeFile, area);
  }
  return area;
}
