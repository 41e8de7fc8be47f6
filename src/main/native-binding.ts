import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * better-sqlite3 is built twice: node_modules/better-sqlite3/build (Node's ABI, for tests and
 * the CLI) and .native/electron/better_sqlite3.node (Electron's ABI, prepared by
 * scripts/prepare-electron.mjs). Neither overwrites the other; the Electron main process
 * passes this path as better-sqlite3's `nativeBinding` option.
 */
export function electronNativeBinding(appRoot: string, abi: string): string | undefined {
  const candidates = [
    join(appRoot, '.native', `electron-abi${abi}`, 'better_sqlite3.node'),
    // installed builds: electron-builder's extraResources (electron-builder.yml)
    join(process.resourcesPath ?? '', 'native', `electron-abi${abi}`, 'better_sqlite3.node'),
    join(process.resourcesPath ?? '', 'native', 'better_sqlite3.node'),
  ];
  return candidates.find((p) => existsSync(p));
}
