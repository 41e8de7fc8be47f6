import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/**
 * What identifies the file a user previewed: an import is refused when the file it reads is
 * not that one any more (size, mtime, or the sha256 of its content once fully read).
 */
export interface FileFingerprint {
  size: number;
  mtimeMs: number;
  sha256?: string;
}

export function fingerprintMatches(
  expected: FileFingerprint,
  actual: { size: number; mtimeMs: number },
): boolean {
  return expected.size === actual.size && expected.mtimeMs === actual.mtimeMs;
}

/** Size, mtime and sha256 of a file (streamed). */
export async function fingerprintFile(path: string): Promise<FileFingerprint> {
  const s = await stat(path);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return { size: s.size, mtimeMs: s.mtimeMs, sha256: hash.digest('hex') };
}
