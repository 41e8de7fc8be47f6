import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openStore, type Store } from '../../store/open-store';
import type { ApiContext } from '../context';
import { dispatch } from '../dispatch';
import type { StagedFile } from './staging.contract';
import type { SyncPreview } from './sync.contract';
import { actor, contextFor } from '../../test-support/actors';

let store: Store;
let ctx: ApiContext;

async function call<T>(name: string, input: unknown): Promise<T> {
  const r = await dispatch(ctx, name, input);
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.value as T;
}

beforeEach(() => {
  const dir = mkdtempSync(join(tmpdir(), 'yunke-'));
  store = openStore(join(dir, 'store.db'));
  ctx = contextFor(store, actor('admin-1'));
});
afterEach(async () => {
  await store.close();
});

it('a file sent in chunks lands next to the store under its own name and previews like any file', async () => {
  const csv = Buffer.from('云客ID,状态\nP1,active\nP2,applied\n');
  const { stagingId } = await call<{ stagingId: string }>('staging.begin', {
    fileName: '..\\云客名单.csv',
    size: csv.length,
  });
  await call('staging.chunk', { stagingId, offset: 0, base64: csv.subarray(0, 7).toString('base64') });
  await call('staging.chunk', { stagingId, offset: 7, base64: csv.subarray(7).toString('base64') });
  const staged = await call<StagedFile>('staging.finish', { stagingId });
  expect(dirname(dirname(staged.path))).toBe(`${store.file}.staging`);
  expect(staged.name).toBe('云客名单.csv');

  const preview = await call<SyncPreview>('sync.preview', { path: staged.path });
  expect(preview.file).toBe('云客名单.csv');
  expect(preview.source).toBe('partners');
  expect(preview.rows).toHaveLength(2);

  await call('staging.discard', { stagingId });
  expect(existsSync(staged.path)).toBe(false);
});

it('out-of-order chunks and oversized chunks come back as structured errors', async () => {
  const { stagingId } = await call<{ stagingId: string }>('staging.begin', { fileName: 'a.csv', size: 10 });
  const r = await dispatch(ctx, 'staging.chunk', { stagingId, offset: 5, base64: 'YWJj' });
  expect(r.ok ? null : r.error.code).toBe('STAGING_OUT_OF_ORDER');
  const big = Buffer.alloc(1024 * 1024 + 3).toString('base64');
  const r2 = await dispatch(ctx, 'staging.chunk', { stagingId, offset: 0, base64: big });
  expect(r2.ok ? null : r2.error.code).toBe('INVALID_INPUT');
  const r3 = await dispatch(ctx, 'staging.begin', { fileName: 'x.csv', size: 3 * 1024 ** 3 });
  expect(r3.ok ? null : r3.error.code).toBe('INVALID_INPUT');
});
