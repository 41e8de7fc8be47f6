/**
 * Bundles a worker-thread entry from the sources for a test (vitest runs TypeScript; a worker
 * thread runs JavaScript): into a temp folder, better-sqlite3 loaded from this repository's
 * node_modules by absolute path, everything else bundled.
 */
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..', '..');

export async function bundleWorker(entry: string): Promise<{ file: string; dispose(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'yunke-worker-'));
  const native = createRequire(join(root, 'package.json')).resolve('better-sqlite3');
  await build({
    entryPoints: [entry],
    outfile: join(dir, 'worker.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    plugins: [
      {
        name: 'native-external',
        setup(b) {
          b.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: native, external: true }));
        },
      },
    ],
  });
  return { file: join(dir, 'worker.mjs'), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
