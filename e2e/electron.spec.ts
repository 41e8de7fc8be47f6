/**
 * The real desktop app: Electron with the preload (window.yunke over IPC) against a temp store.
 * Skipped, with the reason printed, where no Electron binary is installed (for example with
 * ELECTRON_SKIP_BINARY_DOWNLOAD=1); the same UI is covered on the bridge by the other specs.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createTempStore, seedSmall } from './support/seed';

const ROOT = join(import.meta.dirname, '..');

function electronBinary(): { path: string } | { reason: string } {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    if (typeof path === 'string' && existsSync(path)) return { path };
    return { reason: `require('electron') returned ${String(path)}, which does not exist` };
  } catch (e) {
    return { reason: `no Electron binary: ${(e as Error).message.split('\n')[0]}` };
  }
}

const binary = electronBinary();
const skipReason = 'reason' in binary ? binary.reason : undefined;
if (skipReason) console.log(`e2e/electron.spec.ts skipped: ${skipReason}`);

test.skip(skipReason !== undefined, skipReason);

test('the desktop app opens the store over IPC and reaches ready', async () => {
  test.skip(
    !existsSync(join(ROOT, 'out', 'main', 'index.js')),
    'out/main missing: run npx electron-vite build',
  );
  const store = await createTempStore(seedSmall);
  const app = await electron.launch({
    args: ['.'],
    cwd: ROOT,
    env: { ...process.env, YUNKE_DB: store.file },
  });
  try {
    const window = await app.firstWindow();
    await expect(window.locator('html')).toHaveAttribute('data-app-state', 'ready', { timeout: 30_000 });
    await expect(window.getByTestId('store-indicator')).toHaveAttribute('data-transport', 'ipc');
    await expect(window.locator('[data-stat="partners"] [data-value]')).toHaveText('3');
  } finally {
    await app.close();
    store.remove();
  }
});
