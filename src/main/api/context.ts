import type { Store } from '../store/open-store';

/** What every handler gets: the open store and who is acting. */
export interface ApiContext {
  store: Store;
  operatorId: string;
  transport: 'ipc' | 'bridge';
  version: string;
}
