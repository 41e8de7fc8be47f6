import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const pkg = JSON.parse(readFileSync(resolve(__dirname, 'package.json'), 'utf8')) as { version: string };
const define = { __APP_VERSION__: JSON.stringify(pkg.version) };

export default defineConfig({
  main: {
    define,
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          // import jobs run in a worker thread so the window never freezes
          'import-worker': resolve(__dirname, 'src/main/sync/import-worker.ts'),
          'engine-worker': resolve(__dirname, 'src/main/engine/engine-worker.ts'),
          // a full recompute's helper: same-person grouping and result writing beside the engine
          'full-run-worker': resolve(__dirname, 'src/main/engine/full-run-worker.ts'),
          // a long audit log is checked in stretches side by side
          'audit-verify-worker': resolve(__dirname, 'src/main/audit/verify-worker.ts'),
          // a team database's connection, owned by a driver thread (store/pg-sync)
          'pg-driver': resolve(__dirname, 'src/main/store/pg-sync/pg-driver-worker.ts'),
          // a team database's full recompute: the same-person grouping on a second connection
          'pg-grouping-worker': resolve(__dirname, 'src/main/engine/pg-grouping-worker.ts'),
        },
      },
    },
  },
  preload: {
    // Sandboxed preloads cannot require npm packages or ES modules: bundle everything into one CJS file.
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    base: './',
    define,
    plugins: [react()],
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
});
