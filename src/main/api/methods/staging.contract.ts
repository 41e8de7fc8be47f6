/**
 * 上传暂存: how a dropped file reaches main. The renderer has no file paths (sandbox, or a
 * browser on the bridge), so it sends the file in ordered base64 chunks; `staging.finish`
 * returns the staged path for sync.preview / sync.start. No Node imports here.
 */
import { z } from 'zod';
import { IMPORTERS, method } from '../define';

/** Largest decoded chunk (1 MiB) and the base64 text that encodes it. */
export const STAGING_CHUNK_BYTES = 1024 * 1024;
const MAX_BASE64_CHARS = Math.ceil(STAGING_CHUNK_BYTES / 3) * 4;
/** Largest staged file (2 GiB). */
export const STAGING_MAX_BYTES = 2 * 1024 * 1024 * 1024;

const stagingId = z.uuid();

export interface StagedFile {
  /** Absolute path in the store's staging folder, for sync.preview / sync.start. */
  path: string;
  /** The sanitized file name (what the import history will show). */
  name: string;
  size: number;
  sha256: string;
}

export const stagingContract = {
  'staging.begin': method<{ stagingId: string; name: string }>()(
    z
      .object({
        fileName: z.string().min(1).max(1000),
        size: z.number().int().min(0).max(STAGING_MAX_BYTES),
      })
      .strict(),
    IMPORTERS,
  ),
  /** Appends one chunk at `offset` (= bytes received so far); out-of-order chunks are refused. */
  'staging.chunk': method<{ received: number }>()(
    z
      .object({
        stagingId,
        offset: z.number().int().min(0),
        base64: z.string().max(MAX_BASE64_CHARS),
      })
      .strict(),
    IMPORTERS,
  ),
  'staging.finish': method<StagedFile>()(
    z
      .object({
        stagingId,
        sha256: z
          .string()
          .max(64)
          .regex(/^[0-9a-fA-F]{64}$/)
          .optional(),
      })
      .strict(),
    IMPORTERS,
  ),
  /** Removes a staged file (refused while an import is reading it). */
  'staging.discard': method<{ discarded: boolean }>()(z.object({ stagingId }).strict(), IMPORTERS),
};
