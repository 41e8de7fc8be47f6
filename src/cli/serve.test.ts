import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { openStore } from '../main/store/open-store';

const root = resolve(import.meta.dirname, '..', '..');

describe('yunke-desk serve (issue 12)', () => {
  it('stops on the first SIGTERM after an import job, even with a browser connection kept alive', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'yunke-serve-')), 'store.db');
    const store = openStore(file);
    store.sqlite
      .prepare("INSERT INTO operators (operator_id, name, role, created_at) VALUES ('ADM1', 'A', 'admin', 0)")
      .run();
    await store.close();
    const child = spawn(
      process.execPath,
      [join(root, 'bin', 'yunke-desk.mjs'), 'serve', '--db', file, '--as', 'ADM1'],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const url = new URL(
      await new Promise<string>((res) => createInterface({ input: child.stdout! }).once('line', res)),
    );
    // an import through the contract first (its worker thread must not outlive it)
    const call = async (method: string, input: unknown) => {
      const r = await fetch(`${url.origin}/api/${method}`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${url.searchParams.get('token')}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify(input),
      });
      const body = (await r.json()) as { ok: boolean; value: Record<string, unknown>; error?: unknown };
      if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
      return body.value;
    };
    const csv = Buffer.from('product_line,name,rebate_eligible\necs,云服务器,true\n');
    const { stagingId } = await call('staging.begin', { fileName: 'lines.csv', size: csv.length });
    await call('staging.chunk', { stagingId, offset: 0, base64: csv.toString('base64') });
    const { path } = await call('staging.finish', { stagingId });
    let job = await call('sync.start', { path, source: 'product_lines' });
    while (job.status === 'running' || job.status === 'recomputing') {
      await new Promise((r) => setTimeout(r, 50));
      job = await call('sync.progress', { jobId: job.jobId });
    }
    expect(job.status).toBe('committed');
    // a keep-alive connection, as a browser holds one
    await new Promise<void>((res) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: url.port,
          path: '/api/app.info',
          method: 'POST',
          agent: false,
          headers: {
            Authorization: `Bearer ${url.searchParams.get('token')}`,
            Connection: 'keep-alive',
            'Content-Type': 'application/json',
          },
        },
        (r) => {
          r.resume();
          r.on('end', () => res());
        },
      );
      req.end('{}');
    });
    const exited = once(child, 'exit');
    const started = Date.now();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const [code, signal] = (await exited) as [number | null, string | null];
    clearTimeout(timer);
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 40_000);
});
