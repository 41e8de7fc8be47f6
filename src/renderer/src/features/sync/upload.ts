/**
 * Sends a File (dropped or chosen) to main through the staging methods: the renderer has no
 * file paths, so the bytes travel in ordered 1 MiB chunks (File.slice + arrayBuffer, never the
 * whole file in memory) over IPC or the bridge alike. Returns the staged path for sync.preview.
 */
import type { YunkeApi } from '../../app/api-client';
import type { StagedFile } from '../../../../main/api/methods/staging.contract';
import { STAGING_CHUNK_BYTES } from '../../../../main/api/methods/staging.contract';

/** Files up to this size are also hashed here, so main can prove it received the same bytes. */
const HASH_IN_RENDERER_MAX = 64 * 1024 * 1024;

export function toBase64(bytes: Uint8Array): string {
  const native = (bytes as Uint8Array & { toBase64?: () => string }).toBase64;
  if (typeof native === 'function') return native.call(bytes);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

async function sha256Of(file: File): Promise<string | undefined> {
  if (file.size > HASH_IN_RENDERER_MAX || !globalThis.crypto?.subtle) return undefined;
  try {
    const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  } catch {
    return undefined; // not a secure context: main still hashes what it received
  }
}

export class UploadAborted extends Error {
  constructor() {
    super('upload aborted');
  }
}

export async function stageFile(
  api: YunkeApi,
  file: File,
  opts: {
    onStarted?: (stagingId: string) => void;
    onProgress?: (sent: number) => void;
    signal?: AbortSignal;
  },
): Promise<StagedFile & { stagingId: string }> {
  const { stagingId } = await api.staging.begin({ fileName: file.name, size: file.size });
  opts.onStarted?.(stagingId);
  try {
    for (let offset = 0; offset < file.size; offset += STAGING_CHUNK_BYTES) {
      if (opts.signal?.aborted) throw new UploadAborted();
      const bytes = new Uint8Array(await file.slice(offset, offset + STAGING_CHUNK_BYTES).arrayBuffer());
      await api.staging.chunk({ stagingId, offset, base64: toBase64(bytes) });
      opts.onProgress?.(Math.min(file.size, offset + bytes.length));
    }
    const staged = await api.staging.finish({ stagingId, sha256: await sha256Of(file) });
    return { ...staged, stagingId };
  } catch (e) {
    await api.staging.discard({ stagingId }).catch(() => undefined);
    throw e;
  }
}
