import type { YunkeApi } from '../main/api/contract';

declare global {
  interface Window {
    /** Present inside Electron (preload); absent in a browser on the loopback bridge. */
    yunke?: YunkeApi;
  }
}
