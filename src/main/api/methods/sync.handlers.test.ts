import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../store/open-store';
import { validCsv } from '../../sync/fixtures/rows';
import { startTestApiServer } from '../../sync/test-server';
import type { ApiContext } from '../context';
import { dispatch } from '../dispatch';
import type { SyncJob, SyncPreview } from './sync.contract';
import { actor, contextFor, stageFile } from '../../test-support/actors';

const root = resolve(__dirname, '../../../..');
let dir: string;
let store: Store;
let ctx: ApiContext;

async function call<T>(name: string, input: unknown): Promise<T> {
  const r = await dispatch(ctx, name, input);
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.value as T;
}

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts/build-cli.mjs')], { cwd: root });
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'yunke-'));
  store = openStore(join(dir, 'store.db'));
  ctx = contextFor(store, actor('admin-1'));
});
afterEach(async () => {
  await store.close();
});

describe('数据同步 contract', () => {
  it('previews a file: detected source, mapping, first rows and their problems, without writing', async () => {
    const path = join(dir, '订单.csv');
    writeFileSync(
      path,
      '订单号,客户ID,产品线,计费方式,实付金额,下单时间,备注\nO1,C1,ecs,prepaid,1200,2026-03-05 12:00:00,x\nO2,C1,ecs,prepaid,-1,2026-03-05 12:00:00,\n',
    );
    const p = await call<SyncPreview>('sync.preview', { path: await stageFile(ctx, path) });
    expect(p.detected.source).toBe('orders');
    expect(p.mapping[0]).toEqual({ header: '订单号', column: 'order_id' });
    expect(p.extra).toEqual(['备注']);
    expect(p.rows).toHaveLength(2);
    expect(p.rejections.map((r) => [r.line, r.column, r.code])).toEqual([
      [3, 'paid_amount', 'AMOUNT_NEGATIVE'],
    ]);
    expect(store.sqlite.prepare('SELECT count(*) FROM orders').pluck().get()).toBe(0);
    const other = await call<SyncPreview>('sync.preview', {
      path: await stageFile(ctx, path),
      source: 'partners',
    });
    // a path the page chose is refused: only files staged by the app (or chosen in its own dialog)
    for (const elsewhere of [path, '/etc/passwd', join(dir, 'store.db')])
      await expect(call('sync.preview', { path: elsewhere })).rejects.toMatchObject({
        code: 'SYNC_PATH_NOT_STAGED',
      });
    await expect(call('sync.start', { path, source: 'orders' })).rejects.toMatchObject({
      code: 'SYNC_PATH_NOT_STAGED',
    });
    expect(other.fileError?.code).toBe('MISSING_COLUMNS');
  });

  it('start → progress → history → rejections, with skipInvalid', async () => {
    const path = join(dir, 'orders.csv');
    writeFileSync(path, validCsv.orders + 'O3,C1,ecs,prepaid,false,abc,2026-03-05 12:00:00\n');
    const staged = await stageFile(ctx, path);
    const preview = await call<SyncPreview>('sync.preview', { path: staged });
    const job = await call<SyncJob>('sync.start', {
      path: staged,
      source: 'orders',
      skipInvalid: true,
      fingerprint: preview.fingerprint,
    });
    let state = job;
    while (state.status === 'running' || state.status === 'recomputing') {
      await new Promise((r) => setTimeout(r, 20));
      state = await call<SyncJob>('sync.progress', { jobId: job.jobId });
    }
    expect(state.status).toBe('committed');
    expect(state.result?.counts).toMatchObject({ added: 2, rejected: 1 });
    const h = await call<{ imports: { import_id: number; operator_id: string }[]; total: number }>(
      'sync.history',
      {},
    );
    expect(h.total).toBe(1);
    expect(h.imports[0].operator_id).toBe('admin-1');
    const rj = await call<{ rejections: { line: number; column_name: string }[] }>('sync.rejections', {
      importId: h.imports[0].import_id,
    });
    expect(rj.rejections).toMatchObject([{ line: 4, column_name: 'paid_amount' }]);
  });

  it('refuses to start on a file that changed since its preview', async () => {
    const path = join(dir, 'orders.csv');
    writeFileSync(path, validCsv.orders);
    const staged = await stageFile(ctx, path);
    const preview = await call<SyncPreview>('sync.preview', { path: staged });
    // changed on disk behind the app's back after its preview
    writeFileSync(staged, validCsv.orders + 'O9,C1,ecs,prepaid,false,1,2026-03-05 12:00:00\n');
    const job = await call<SyncJob>('sync.start', {
      path: staged,
      source: 'orders',
      fingerprint: preview.fingerprint,
    });
    let state = job;
    while (state.status === 'running' || state.status === 'recomputing') {
      await new Promise((r) => setTimeout(r, 20));
      state = await call<SyncJob>('sync.progress', { jobId: job.jobId });
    }
    expect(state.result?.error?.code).toBe('FILE_CHANGED');
    expect(store.sqlite.prepare('SELECT count(*) FROM orders').pluck().get()).toBe(0);
  });

  it('saves an API source (token by environment variable only) and pulls it now', async () => {
    const server = await startTestApiServer({
      pageSize: 2,
      items: {
        partners: [
          { partner_id: 'P1', status: 'active' },
          { 云客ID: 'P2', 状态: 'applied' },
          { partner_id: 'P3', status: 'suspended' },
        ],
      },
    });
    process.env.YUNKE_TOKEN_TEST = server.token;
    try {
      await call('sync.apiSources.save', {
        source: 'partners',
        baseUrl: `${server.url}/partners`,
        tokenEnv: 'YUNKE_TOKEN_TEST',
      });
      const list = await call<{ token_ref: string }[]>('sync.apiSources.list', {});
      expect(list[0].token_ref).toBe('env:YUNKE_TOKEN_TEST');
      // any other variable, or an endpoint elsewhere than https or this machine, is refused
      for (const bad of [
        { tokenEnv: 'HOME' },
        { tokenEnv: 'AWS_SECRET_ACCESS_KEY' },
        { baseUrl: 'file:///etc/passwd' },
        { baseUrl: 'http://example.com/partners' },
        { baseUrl: 'https://user:pw@example.com/partners' },
      ])
        await expect(
          call('sync.apiSources.save', {
            source: 'partners',
            baseUrl: `${server.url}/partners`,
            tokenEnv: 'YUNKE_TOKEN_TEST',
            ...bad,
          }),
        ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      const [r] = await call<{ status: string; items: number }[]>('sync.apiSources.pullNow', {
        source: 'partners',
      });
      expect(r).toMatchObject({ status: 'ok', items: 3 });
      expect(store.sqlite.prepare('SELECT partner_id FROM partners ORDER BY 1').pluck().all()).toEqual([
        'P1',
        'P2',
        'P3',
      ]);
    } finally {
      delete process.env.YUNKE_TOKEN_TEST;
      await server.close();
    }
  });

  it('lists the sources with their Chinese aliases', async () => {
    const list = await call<{ name: string; columns: { name: string; aliases: string[] }[] }[]>(
      'sync.sources',
      {},
    );
    expect(
      list.find((s) => s.name === 'customers')?.columns.find((c) => c.name === 'name')?.aliases,
    ).toContain('主体名称');
  });
});
