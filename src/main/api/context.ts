import type { OpenStoreOptions, Store } from '../store/open-store';

/**
 * Seals secrets (API tokens) so they can rest in the store: Electron's safeStorage in the app.
 * Absent on the loopback bridge and in the CLI, which take tokens from the environment instead.
 */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

/** What every handler gets: the open store and who is acting. */
export interface ApiContext {
  store: Store;
  operatorId: string;
  transport: 'ipc' | 'bridge';
  version: string;
  /** How worker threads open the store (Electron passes its own better-sqlite3 build). */
  storeOptions?: OpenStoreOptions;
  secrets?: SecretBox;
}
