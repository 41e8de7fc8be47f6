import type { Actor } from '../audit/chain';
import type { OpenStoreOptions, Store } from '../store/open-store';

/**
 * Seals secrets (API tokens) so they can rest in the store: Electron's safeStorage in the app.
 * Absent on the loopback bridge and in the CLI, which take tokens from the environment instead.
 */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

/**
 * Who is operating this window (IPC), this bridge (one browser page) or this command (CLI):
 * null until someone signs in. The CLI's session is fixed by --as (or is the system actor).
 */
export interface Session {
  actor: Actor | null;
}

/** Native dialogs of the app (Electron); absent on the bridge and in the CLI. */
export interface Dialogs {
  /** A file to write, chosen by the user; null when cancelled. */
  saveFile(options: {
    title: string;
    defaultName: string;
    filters?: { name: string; extensions: string[] }[];
  }): Promise<string | null>;
  /** A file to read, chosen by the user; null when cancelled. */
  openFile(options: {
    title: string;
    filters?: { name: string; extensions: string[] }[];
  }): Promise<string | null>;
}

/** What every handler gets: the open store and who is acting. */
export interface ApiContext {
  /** The open store; replaced when a backup is restored. */
  store: Store;
  session: Session;
  transport: 'ipc' | 'bridge' | 'cli';
  version: string;
  /** How worker threads open the store (Electron passes its own better-sqlite3 build). */
  storeOptions?: OpenStoreOptions;
  secrets?: SecretBox;
  dialogs?: Dialogs;
  /**
   * The desk's own settings outside the store (issue 13): where its choice of store is kept
   * (userData/team-database.json in the app). Absent where there is no desk (the CLI's commands).
   */
  desk?: { teamDatabaseFile: string };
  /** The desktop shell around the page (Electron: the application menu); absent elsewhere. */
  shell?: { setLanguage(language: 'zh-CN' | 'en'): void };
  /** The clock (tests fix it). */
  now?: () => number;
}

/** The signed-in actor of a call that passed dispatch's access check. */
export function actorOf(ctx: ApiContext): Actor {
  if (!ctx.session.actor) throw new Error('no operator is signed in');
  return ctx.session.actor;
}

export const nowOf = (ctx: ApiContext): number => (ctx.now ?? Date.now)();
