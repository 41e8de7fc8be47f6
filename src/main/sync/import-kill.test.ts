import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

// on both dialects: a store file (a hot WAL left behind) and, on the team suite, a team database
// (the server ends the dead connection's transaction and its write lock)
describe('an import killed mid-file (SIGKILL)', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(root, 'scripts/build-cli.mjs')], { cwd: root });
  });

  it('leaves a store that opens, passes integrity_check, holds none of that file and takes the next import', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yunke-'));
    const path = join(dir, 'store.db');
    // the store file, or on the team suite its team database (the command line is given the URL)
    const created = openStore(path);
    const db = created.file;
    await created.close();
    const cliImport = (file: string) =>
      execFileSync(
        process.execPath,
        [join(root, 'bin/yunke-desk.mjs'), 'import', '--db', db, '--source', 'orders', file],
        {
          stdio: 'ignore',
        },
      );
    const small = join(dir, 'first.csv');
    await writeOrders(small, 10);
    cliImport(small);
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

    const store = openStore(path);
    try {
      // a team database's server rolled the killed connection's transaction back: nothing to check
      if (store.dialect === 'sqlite')
        expect(store.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(store.sqlite.prepare('SELECT count(*) FROM orders').pluck().get()).toBe(10);
      expect(
        store.sqlite.prepare("SELECT count(*) FROM imports WHERE file_name = 'big.csv'").pluck().get(),
      ).toBe(0);
      // nothing of the killed writer holds the store: the next import lands (on a team database,
      // once the server has let go of the dead connection's write lock)
      const next = join(dir, 'next.csv');
      writeFileSync(
        next,
        'order_id,customer_id,product_line,billing,subscription,paid_amount,ordered_at\nN1,C1,ecs,prepaid,false,12,2026-03-05 12:00:00\n',
      );
      cliImport(next);
      expect(store.sqlite.prepare('SELECT count(*) FROM orders').pluck().get()).toBe(11);
    } finally {
      await store.close();
    }
  });
});
