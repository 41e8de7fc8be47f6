/**
 * `yunke-desk import` facing clumsy input (issue 12): what it prints stays bounded however many
 * rows are wrong, and a path that is not a regular file is refused at once, in both languages.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../main/store/open-store';
import type { CliIO } from '../command';
import { main } from '../main';

function capture(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), isTTY: false };
}

const header = 'order_id,customer_id,product_line,billing,subscription,paid_amount,ordered_at\n';
const row = (id: string) => `${id},C1,ecs,prepaid,false,1000,2026-03-05 12:00:00\n`;

describe('yunke-desk import', () => {
  it('prints the first 100 rejections and then the count of the rest, never all of them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yunke-cli-import-'));
    const db = join(dir, 'store.db');
    const path = join(dir, 'dup.csv');
    // 2,501 lines with the same key: 2,500 duplicates
    writeFileSync(path, header + row('O1').repeat(2501));
    for (const skip of [false, true]) {
      const io = capture();
      const argv = ['import', '--db', db, '--source', 'orders', ...(skip ? ['--skip-invalid'] : []), path];
      expect(await main(argv, io)).toBe(skip ? 0 : 1);
      const lines = io.stderr.join('\n').split('\n');
      expect(lines.filter((l) => l.includes('duplicate key'))).toHaveLength(100);
      expect(lines).toContain(
        'dup.csv: … and 2,400 more rejections (2,500 in all) / 另有 2,400 条未列出（共 2,500 条）',
      );
      expect(lines.length).toBeLessThan(105);
    }
    // the history keeps at most 1,000 of them, and the true count
    const store = openStore(db);
    try {
      const imports = store.sqlite
        .prepare('SELECT import_id, rows_rejected, status FROM imports WHERE source = ? ORDER BY import_id')
        .all('orders') as { import_id: number; rows_rejected: number; status: string }[];
      expect(imports.map((i) => [i.status, i.rows_rejected])).toEqual([
        ['failed', 2500],
        ['committed', 2500],
      ]);
      for (const i of imports)
        expect(
          store.sqlite
            .prepare('SELECT count(*) FROM import_rejections WHERE import_id = ?')
            .pluck()
            .get(i.import_id),
        ).toBe(1000);
    } finally {
      await store.close();
    }
  });

  it('refuses a folder or a FIFO given as the file at once, naming it (no raw EISDIR, no hang)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yunke-cli-import-'));
    const db = join(dir, 'store.db');
    const folder = join(dir, 'folder.csv');
    mkdirSync(folder);
    const fifo = join(dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    for (const [path, message] of [
      [folder, /这是一个文件夹.*this is a folder/],
      [fifo, /不是普通文件.*not a regular file/],
    ] as const) {
      const io = capture();
      expect(await main(['import', '--db', db, '--source', 'orders', path], io)).toBe(1);
      expect(io.stderr.join('\n')).toMatch(message);
      expect(io.stderr.join('\n')).not.toMatch(/EISDIR/);
    }
  });
});
