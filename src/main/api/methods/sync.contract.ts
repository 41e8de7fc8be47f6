/**
 * 数据同步: file imports (preview → start → progress / cancel), import history and API sources.
 * No Node imports here (the renderer reads this file).
 */
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { ApiSourcesTable, ImportRecord } from '../../store/admin.table';
import { ADMINS, IMPORTERS, method, READERS } from '../define';
import { endpointField, idField, tokenEnvField } from '../fields';

/** The sources of DATA.md (kept equal to sources/define.ts sourceNames; checked in sync.handlers.ts). */
export const syncSourceNames = [
  'partners',
  'customers',
  'referral_events',
  'orders',
  'refunds',
  'login_ips',
  'product_lines',
  'sales_subjects',
] as const;
const source = z.enum(syncSourceNames);
const sourceWrites = [
  'partners',
  'customers',
  'referral_events',
  'orders',
  'refunds',
  'login_ips',
  'product_lines',
  'sales_subjects',
  'imports',
  'import_rejections',
  'audit_log',
  // a committed import is followed by an incremental recompute (R-RECALC-1)
  'engine_runs',
  'result_attributions',
  'result_orders',
  'result_experience',
  'result_partners',
  'result_payouts',
  'result_same_person',
  'result_same_person_edges',
  'result_investigation',
  'result_investigation_partners',
] as const;

export interface SyncColumnInfo {
  name: string;
  aliases: readonly string[];
  kind: 'id' | 'text' | 'time' | 'money' | 'bool' | 'enum' | 'ip';
  required: boolean;
  values?: readonly string[];
}
export interface SyncSourceInfo {
  name: string;
  labelZh: string;
  key: readonly string[];
  columns: SyncColumnInfo[];
}

export interface SyncRejection {
  file: string;
  line: number;
  column: string | null;
  value: string | null;
  code: string;
  messageZh: string;
  messageEn: string;
}

export interface SyncFingerprint {
  size: number;
  mtimeMs: number;
  sha256?: string;
}

export interface SyncPreview {
  file: string;
  path: string;
  format: 'csv' | 'xlsx' | 'jsonl';
  encoding: string | null;
  fingerprint: SyncFingerprint;
  headers: string[];
  detected: { source: string | null; candidates: { source: string; matched: number; extra: number }[] };
  source: string | null;
  mapping: { header: string; column: string | null }[];
  missing: string[];
  extra: string[];
  rows: { line: number; values: Record<string, string> }[];
  /** the first 100 problems of the previewed rows */
  rejections: SyncRejection[];
  /** how many problems the previewed rows have, and on how many of them */
  rejectionsTotal: number;
  rejectionLines: number;
  fileError: { code: string; message: string } | null;
}

export interface SyncCounts {
  added: number;
  updated: number;
  unchanged: number;
  rejected: number;
  dangling: number;
}

export interface SyncJob {
  jobId: string;
  file: string;
  source: string;
  status:
    'queued' | 'running' | 'cancelling' | 'recomputing' | 'committed' | 'refused' | 'cancelled' | 'failed';
  runner: 'worker' | 'inline';
  startedAt: number;
  /** while queued: its place in the store's job queue (0 = next to run) */
  queuePosition: number | null;
  /**
   * a team database: the other desk whose write it waits for (issue 13), as `name · address · pid N`
   * ('' when it could not be seen); null otherwise
   */
  waitingFor: string | null;
  progress: {
    rows: number;
    bytes: number;
    totalBytes: number;
    rowsPerSec: number;
    etaMs: number | null;
    elapsedMs: number;
  } | null;
  result: {
    status: 'committed' | 'refused' | 'cancelled';
    importId: number | null;
    counts: SyncCounts;
    durationMs: number;
    warnings: string[];
    /** the first 100 (counts.rejected has them all) */
    rejections: SyncRejection[];
    error?: { code: string; message: string; messageZh: string; messageEn: string; line?: number };
  } | null;
  error: string | null;
}

/** A row of the import history, as the store keeps it. */
export type SyncImportRecord = ImportRecord;

export interface SyncRejectionRecord {
  import_id: number;
  line: number;
  column_name: string | null;
  value: string | null;
  code: string;
  message_zh: string;
  message_en: string;
}

/** A saved API source, as the store keeps it (the token only as a reference). */
export type SyncApiSource = Selectable<ApiSourcesTable>;

export interface SyncPullResult {
  source: string;
  status: 'ok' | 'failed';
  importId: number | null;
  pages: number;
  items: number;
  counts: SyncCounts;
  cursor: string | null;
  retries: number;
  durationMs: number;
  error?: string;
}

const page = {
  limit: z.number().int().min(1).max(1000).default(50),
  offset: z.number().int().min(0).default(0),
};

export const syncContract = {
  /** The sources of DATA.md with their columns and Chinese aliases (for the mapping table). */
  'sync.sources': method<SyncSourceInfo[]>()(z.object({}).strict(), READERS),
  /** Headers, detected source, mapping, first rows and their problems; nothing is written. */
  'sync.preview': method<SyncPreview>()(
    z
      .object({
        /** a staged file (staging.finish): never a path of the page's choosing */
        path: z.string().min(1).max(4096),
        source: source.optional(),
        rows: z.number().int().min(1).max(500).default(50),
      })
      .strict(),
    IMPORTERS,
  ),
  /** Starts an import job (worker thread); poll sync.progress. */
  'sync.start': method<SyncJob>()(
    z
      .object({
        path: z.string().min(1).max(4096),
        source,
        skipInvalid: z.boolean().default(false),
        fingerprint: z
          .object({ size: z.number(), mtimeMs: z.number(), sha256: z.string().max(64).optional() })
          .strict()
          .optional(),
      })
      .strict(),
    IMPORTERS,
    [...sourceWrites],
  ),
  'sync.progress': method<SyncJob>()(z.object({ jobId: idField }).strict(), READERS),
  /** Cancelling rolls the file back: the store stays exactly as before. */
  'sync.cancel': method<{ cancelled: boolean }>()(z.object({ jobId: idField }).strict(), IMPORTERS),
  'sync.jobs': method<SyncJob[]>()(z.object({}).strict(), READERS),
  'sync.history': method<{ imports: SyncImportRecord[]; total: number }>()(
    z.object({ ...page, source: source.optional() }).strict(),
    READERS,
  ),
  'sync.rejections': method<{ rejections: SyncRejectionRecord[]; total: number }>()(
    z.object({ importId: z.number().int(), ...page }).strict(),
    READERS,
  ),
  'sync.apiSources.list': method<SyncApiSource[]>()(z.object({}).strict(), READERS),
  /** Token: the name of an environment variable, or (in the app) the token itself, sealed by safeStorage. */
  'sync.apiSources.save': method<SyncApiSource>()(
    z
      .object({
        source,
        baseUrl: endpointField,
        tokenEnv: tokenEnvField.optional(),
        /** A token typed in the app: sealed with Electron's safeStorage, never stored in clear. */
        token: z.string().min(1).max(4096).optional(),
      })
      .strict()
      .refine((v) => !(v.token && v.tokenEnv), {
        message: '请填写令牌或环境变量，不能同时 / give a token or an environment variable, not both',
      }),
    ADMINS,
    ['api_sources', 'audit_log'],
  ),
  /** Pulls one saved source (or all of them) now. */
  'sync.apiSources.pullNow': method<SyncPullResult[]>()(
    z
      .object({
        source: source.optional(),
        timeoutMs: z.number().int().positive().max(600_000).default(30_000),
        retries: z.number().int().min(0).max(20).default(5),
      })
      .strict(),
    IMPORTERS,
    [...sourceWrites, 'api_sources'],
  ),
};
