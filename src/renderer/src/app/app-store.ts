/**
 * App-wide state (zustand): language, boot state, and data freshness.
 * Writes report the tables they touched (the contract's `writes`); `refresh(tables)` bumps
 * those tables' versions and every query that reads one of them loads again.
 */
import { create } from 'zustand';
import type { ActorView, AppInfo } from './api-client';

export type Language = 'zh-CN' | 'en';
export const LANGUAGES: readonly Language[] = ['zh-CN', 'en'];
export type AppState = 'loading' | 'ready' | 'error';

const LANGUAGE_KEY = 'yunke.language';

export function storedLanguage(): Language {
  try {
    const v = localStorage.getItem(LANGUAGE_KEY);
    return v === 'en' || v === 'zh-CN' ? v : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

interface AppStore {
  language: Language;
  setLanguage(language: Language): void;

  /** `loading` until app.info and the first screen's data have loaded (the e2e ready marker). */
  appState: AppState;
  setAppState(state: AppState): void;
  info: AppInfo | null;
  setInfo(info: AppInfo | null): void;

  /** Who operates this window (R-OP-1); null until someone signs in. */
  actor: ActorView | null;
  setActor(actor: ActorView | null): void;

  /** Bumped when the operator changes: every query loads again. */
  epoch: number;
  /** Per-table data versions; `all` bumps on any refresh. */
  versions: Record<string, number>;
  all: number;
  refresh(tables: readonly string[]): void;
  /** Time of the last refresh (epoch ms), shown as data freshness. */
  refreshedAt: number | null;

  /** Screen queries in flight, so the shell knows when the first data has arrived. */
  pending: number;
  beginLoad(): void;
  endLoad(): void;
}

export const useAppStore = create<AppStore>()((set) => ({
  language: storedLanguage(),
  setLanguage(language) {
    try {
      localStorage.setItem(LANGUAGE_KEY, language);
    } catch {
      // storage unavailable (private mode): the choice lasts for this window only
    }
    set({ language });
  },

  appState: 'loading',
  setAppState: (appState) => set({ appState }),
  info: null,
  setInfo: (info) => set({ info }),

  actor: null,
  // another operator sees other things (support: masked identities): every query loads again
  setActor: (actor) => set((s) => ({ actor, epoch: s.epoch + 1, all: s.all + 1 })),
  epoch: 0,

  versions: {},
  all: 0,
  refreshedAt: null,
  refresh(tables) {
    set((s) => {
      const versions = { ...s.versions };
      for (const t of tables) versions[t] = (versions[t] ?? 0) + 1;
      return { versions, all: s.all + 1, refreshedAt: Date.now() };
    });
  },

  pending: 0,
  beginLoad: () => set((s) => ({ pending: s.pending + 1 })),
  endLoad: () => set((s) => ({ pending: Math.max(0, s.pending - 1) })),
}));
