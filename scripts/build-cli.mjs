// Bundles the plain-Node core (CLI, store, importers, engine, bridge) into dist-cli/ with esbuild.
// Native and heavy runtime modules stay external and load from node_modules.
import { build } from 'esbuild';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, unlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// npm links the bins of dependencies, not the root package's own: link yunke-desk into
// node_modules/.bin so scripts (and the shared scenario runner) find it after `npm install`.
function linkOwnBin() {
  const binDir = join(root, 'node_modules', '.bin');
  const link = join(binDir, 'yunke-desk');
  const target = join(root, 'bin', 'yunke-desk.mjs');
  chmodSync(target, 0o755);
  if (!existsSync(join(root, 'node_modules'))) return;
  mkdirSync(binDir, { recursive: true });
  try {
    if (lstatSync(link).isSymbolicLink() && existsSync(link)) return;
    unlinkSync(link);
  } catch {
    // no link yet
  }
  symlinkSync(relative(binDir, target), link);
}
linkOwnBin();

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const entry = join(root, 'src/cli/main.ts');
if (!existsSync(entry)) {
  console.log('build-cli: src/cli/main.ts not present yet, skipped');
  process.exit(0);
}
await build({
  // Extra entries (workers) are added when their source exists.
  entryPoints: Object.fromEntries(
    Object.entries({
      cli: entry,
      'import-worker': join(root, 'src/main/sync/import-worker.ts'),
      'engine-worker': join(root, 'src/main/engine/engine-worker.ts'),
      'full-run-worker': join(root, 'src/main/engine/full-run-worker.ts'),
      'audit-verify-worker': join(root, 'src/main/audit/verify-worker.ts'),
      'pg-driver': join(root, 'src/main/store/pg-sync/pg-driver-worker.ts'),
      'pg-grouping-worker': join(root, 'src/main/engine/pg-grouping-worker.ts'),
    }).filter(([, f]) => existsSync(f)),
  ),
  outdir: join(root, 'dist-cli'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  outExtension: { '.js': '.mjs' },
  sourcemap: true,
  // Pure-JS libraries (kysely, zod) are bundled: one file parses much faster than their hundreds
  // of modules, which every CLI call and every worker thread would otherwise load at start. Left
  // in node_modules: better-sqlite3 (native); node-pg and its COPY streams (CommonJS that requires
  // Node's own modules, which an ES module bundle cannot do without a shim, for no measured gain);
  // the encodings' tables (iconv-lite) and the spreadsheet library (exceljs, only for xlsx), which
  // are large and loaded when used; electron, which no CLI module may pull in.
  external: [
    'better-sqlite3',
    'pg',
    'pg-connection-string',
    'pgpass',
    'pg-copy-streams',
    'iconv-lite',
    'exceljs',
    'electron',
  ],
  logLevel: 'warning',
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
}).catch(() => process.exit(1));
