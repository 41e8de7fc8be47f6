/**
 * The files on the 数据同步 screen and their import jobs (zustand), kept outside the component
 * so an upload or an import goes on — and its result stays — while the user visits another
 * screen. Each file: upload (staging) → preview (nothing written) → import job (polled) → result.
 */
import { create } from 'zustand';
import { apiClient, toApiError, type ApiCallError } from '../../app/api-client';
import { useAppStore } from '../../app/app-store';
import type { SyncJob, SyncPreview } from '../../../../main/api/methods/sync.contract';
import type { StagedFile } from '../../../../main/api/methods/staging.contract';
import { stageFile, UploadAborted } from './upload';

export type FilePhase =
  'uploading' | 'previewing' | 'ready' | 'starting' | 'importing' | 'finished' | 'failed';

export interface FileItem {
  key: string;
  name: string;
  size: number;
  phase: FilePhase;
  /** Bytes uploaded so far. */
  sent: number;
  stagingId: string | null;
  staged: StagedFile | null;
  preview: SyncPreview | null;
  /** The source chosen by the user (null: the detected one). */
  chosenSource: string | null;
  job: SyncJob | null;
  error: ApiCallError | null;
  errorStep: 'upload' | 'preview' | 'import' | null;
}

export type SyncTab = 'files' | 'history' | 'api';

interface SyncStore {
  tab: SyncTab;
  setTab(tab: SyncTab): void;
  items: FileItem[];
  addFiles(files: File[]): void;
  chooseSource(key: string, source: string): void;
  startImport(key: string, skipInvalid: boolean): Promise<void>;
  cancelImport(key: string): Promise<void>;
  remove(key: string): void;
  /** After a reload: shows (and follows) imports still running in main. */
  adoptRunningJobs(): Promise<void>;
}

const POLL_MS = 300;
const TERMINAL: SyncJob['status'][] = ['committed', 'refused', 'cancelled', 'failed'];
const aborts = new Map<string, AbortController>();
let nextKey = 1;
let adopting = false;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const useSyncStore = create<SyncStore>()((set, get) => {
  const patch = (key: string, p: Partial<FileItem>) =>
    set((s) => ({ items: s.items.map((i) => (i.key === key ? { ...i, ...p } : i)) }));
  const item = (key: string) => get().items.find((i) => i.key === key);

  async function preview(key: string, source?: string) {
    const it = item(key);
    if (!it?.staged) return;
    patch(key, { phase: 'previewing', error: null, errorStep: null });
    try {
      const p = await apiClient().api.sync.preview({
        path: it.staged.path,
        source: source as never,
        rows: 200,
      });
      if (item(key)) patch(key, { phase: 'ready', preview: p });
    } catch (e) {
      if (item(key)) patch(key, { phase: 'failed', error: toApiError(e), errorStep: 'preview' });
    }
  }

  async function upload(key: string, file: File) {
    const ac = new AbortController();
    aborts.set(key, ac);
    try {
      const staged = await stageFile(apiClient().api, file, {
        signal: ac.signal,
        onStarted: (stagingId) => patch(key, { stagingId }),
        onProgress: (sent) => patch(key, { sent }),
      });
      if (!item(key)) {
        await apiClient().api.staging.discard({ stagingId: staged.stagingId });
        return;
      }
      patch(key, { staged, stagingId: staged.stagingId, sent: file.size });
      await preview(key);
    } catch (e) {
      if (e instanceof UploadAborted || !item(key)) return;
      patch(key, { phase: 'failed', error: toApiError(e), errorStep: 'upload', stagingId: null });
    } finally {
      aborts.delete(key);
    }
  }

  async function discard(it: FileItem | undefined) {
    if (!it?.stagingId) return;
    await apiClient()
      .api.staging.discard({ stagingId: it.stagingId })
      .catch(() => undefined);
  }

  async function poll(key: string, jobId: string) {
    for (;;) {
      await sleep(POLL_MS);
      let job: SyncJob;
      try {
        job = await apiClient().api.sync.progress({ jobId });
      } catch (e) {
        patch(key, { phase: 'failed', error: toApiError(e), errorStep: 'import' });
        return;
      }
      patch(key, { job });
      if (TERMINAL.includes(job.status)) break;
    }
    const job = item(key)?.job;
    // Every ending writes the history (imports); a commit also writes the source's table.
    useAppStore.getState().refresh(apiClient().writes('sync.start'));
    patch(key, { phase: 'finished' });
    // The staged copy is no longer needed once the file landed or the user cancelled; a refused
    // file is kept so that "import valid rows" can read it.
    if (job && (job.status === 'committed' || job.status === 'cancelled')) {
      const it = item(key);
      await discard(it);
      patch(key, { stagingId: null });
    }
  }

  async function adopt() {
    let jobs: SyncJob[];
    try {
      jobs = await apiClient().api.sync.jobs();
    } catch {
      return; // the screen still works; only the reattachment is lost
    }
    const known = new Set(get().items.map((i) => i.job?.jobId));
    for (const job of jobs) {
      if (known.has(job.jobId) || !['queued', 'running', 'cancelling', 'recomputing'].includes(job.status))
        continue;
      const key = `f${nextKey++}`;
      const name = job.file.split(/[\\/]/).pop() ?? job.file;
      const adopted: FileItem = {
        key,
        name,
        size: job.progress?.totalBytes ?? 0,
        phase: 'importing',
        sent: 0,
        stagingId: null,
        staged: null,
        preview: null,
        chosenSource: null,
        job,
        error: null,
        errorStep: null,
      };
      set((s) => ({ items: [adopted, ...s.items] }));
      void poll(key, job.jobId);
    }
  }

  return {
    tab: 'files',
    setTab: (tab) => set({ tab }),
    items: [],

    addFiles(files) {
      const added: [FileItem, File][] = files.map((file) => [
        {
          key: `f${nextKey++}`,
          name: file.name,
          size: file.size,
          phase: 'uploading',
          sent: 0,
          stagingId: null,
          staged: null,
          preview: null,
          chosenSource: null,
          job: null,
          error: null,
          errorStep: null,
        },
        file,
      ]);
      set((s) => ({ items: [...added.map(([i]) => i), ...s.items], tab: 'files' }));
      for (const [i, file] of added) void upload(i.key, file);
    },

    chooseSource(key, source) {
      patch(key, { chosenSource: source });
      void preview(key, source);
    },

    async startImport(key, skipInvalid) {
      const it = item(key);
      const source = it?.chosenSource ?? it?.preview?.source;
      if (!it?.staged || !it.preview || !source) return;
      patch(key, { phase: 'starting', error: null, errorStep: null, job: null });
      try {
        const job = await apiClient().api.sync.start({
          path: it.staged.path,
          source: source as never,
          skipInvalid,
          fingerprint: { ...it.preview.fingerprint, sha256: it.staged.sha256 },
        });
        patch(key, { phase: 'importing', job });
        await poll(key, job.jobId);
      } catch (e) {
        patch(key, { phase: 'ready', error: toApiError(e), errorStep: 'import' });
      }
    },

    async cancelImport(key) {
      const job = item(key)?.job;
      if (!job) return;
      patch(key, { job: { ...job, status: 'cancelling' } });
      try {
        await apiClient().api.sync.cancel({ jobId: job.jobId });
      } catch (e) {
        patch(key, { error: toApiError(e), errorStep: 'import' });
      }
    },

    async adoptRunningJobs() {
      // StrictMode mounts twice: one look at the job list at a time.
      if (adopting) return;
      adopting = true;
      try {
        await adopt();
      } finally {
        adopting = false;
      }
    },

    remove(key) {
      const it = item(key);
      if (!it || it.phase === 'importing' || it.phase === 'starting') return;
      aborts.get(key)?.abort();
      set((s) => ({ items: s.items.filter((i) => i.key !== key) }));
      void discard(it);
    },
  };
});
