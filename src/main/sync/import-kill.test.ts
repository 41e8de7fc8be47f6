import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store';

const root = resolve(__dirname, '../../..');

/** Bytes the process has read so far (Linux), to kill it mid-file rather than after a fixed sleep. */
function bytesRead(pid: number): number {
  try {
    const m = /rchar: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

async function writeOrders(path: string, n: number): Promise<number> {
  const out = createWriteStream(path);
  out.write('order_id,customer_id,product_line,billing,subscription,paid_amount,ordered_at\n');
  let chunk = '';
  for (let i = 0; i < n; i++) {
    chunk += `K${i},C${i % 997},ecs,prepaid,false,${(i % 5000) + 1}.50,2026-03-05 12:00:00\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      chunk = '';
    }
  }
  await new Promise<void>((r) => out.end(chunk, () => r()));
  return n;
}

describe('an import killed mid-file (SIGKILL)', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(root, 'scripts/build-cli.mjs')], { cwd: root });
  });

  it('leaves a store that opens, passes integrity_check and holds none of that file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yunke-'));
    const db = join(dir, 'store.db');
    const small = join(dir, 'first.csv');
    await writeOrders(small, 10);
    execFileSync(process.execPath, [
      join(root, 'bin/yunke-desk.mjs'),
      'import',
      '--db',
      db,
      '--source',
      'orders',
      small,
    ]);
    const big = join(dir, 'big.csv');
    await writeOrders(big, 600_000);
    const size = Number(execFileSync('stat', ['-c', '%s', big], { encoding: 'utf8' }));

    const child = spawn(
      process.execPath,
      [join(root, 'bin/yunke-desk.mjs'), 'import', '--db', db, '--source', 'orders', big],
      {
        stdio: 'ignore',
      },
    );
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
    const started = Date.now();
    // Wait until about half of the file has been read (node itself reads ~5 MB at start-up) (or, off Linux, a moment), then kill.
    while (
      bytesRead(child.pid!) < size / 2 &&
      Date.now() - started < (existsSync('/proc/self/io') ? 30_000 : 1500)
    ) {
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const store = openStore(db);
    try {
      expect(store.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(store.sqlite.prepare('SELECT count(*) FROM orders').pluck().get()).toBe(10);
      expect(
        store.sqlite.prepare("SELECT count(*) FROM imports WHERE file_name = 'big.csv'").pluck().get(),
      ).toBe(0);
    } finally {
      await store.close();
    }
  });
});
