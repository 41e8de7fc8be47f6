// Benchmark (not a test): `yunke-desk pull` of 100,000 orders in pages of 1,000 from the local
// fault-free test API server (src/main/sync/test-server.ts). Target (issue 3): under 10 s.
//   node scripts/bench/pull.mjs [--items N] [--page N]
import { build } from 'esbuild';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : Number(process.argv[i + 1]);
};
const ITEMS = arg('items', 100_000);
const PAGE = arg('page', 1000);
const work = join(root, '.bench', 'pull');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
execFileSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { stdio: 'inherit' });
await build({
  entryPoints: [join(root, 'src/main/sync/test-server.ts')],
  outfile: join(work, 'test-server.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  logLevel: 'warning',
});
const { startTestApiServer } = await import(pathToFileURL(join(work, 'test-server.mjs')).href);

const items = Array.from({ length: ITEMS }, (_, i) => ({
  order_id: `O${i}`,
  customer_id: `C${i % 25_000}`,
  product_line: 'ecs',
  billing: i % 3 ? 'prepaid' : 'postpaid',
  subscription: i % 2 === 0,
  paid_amount: `${(i % 5000) + 1}.50`,
  ordered_at: '2026-03-05 12:00:00',
}));
const server = await startTestApiServer({ pageSize: PAGE, items: { orders: items } });
const config = join(work, 'pull.json');
writeFileSync(
  config,
  JSON.stringify({ sources: { orders: { url: `${server.url}/orders`, token_env: 'YUNKE_BENCH_TOKEN' } } }),
);

const t0 = performance.now();
const code = await new Promise((resolve) => {
  const child = spawn(
    process.execPath,
    [join(root, 'bin', 'yunke-desk.mjs'), 'pull', '--db', join(work, 'store.db'), '--config', config],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, YUNKE_BENCH_TOKEN: server.token },
    },
  );
  child.on('exit', resolve);
});
const ms = performance.now() - t0;
await server.close();
console.log(
  `yunke-desk pull: ${ITEMS.toLocaleString('en-US')} items in pages of ${PAGE} (${server.requests.length} requests), ` +
    `${(ms / 1000).toFixed(2)} s end to end, ${Math.round(ITEMS / (ms / 1000)).toLocaleString('en-US')} items/s ` +
    `(target < 10 s) ${code === 0 && ms < 10_000 ? 'OK' : 'ABOVE TARGET'}`,
);
rmSync(work, { recursive: true, force: true });
process.exitCode = code;
