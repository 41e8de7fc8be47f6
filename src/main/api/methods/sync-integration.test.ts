import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recomputeFull } from '../../engine/recompute';
import { openStore, type Store } from '../../store/open-store';
import { startTestApiServer } from '../../sync/test-server';
import type { ApiContext, SecretBox } from '../context';
import { dispatch } from '../dispatch';
import type { SyncJob } from './sync.contract';
import { actor, contextFor, stageFile } from '../../test-support/actors';
import { aesSecretBox } from '../env-secret-box';

const root = resolve(import.meta.dirname, '../../../..');
let dir: string;
let store: Store;
let ctx: ApiContext;

async function call<T>(name: string, input: unknown, c: ApiContext = ctx): Promise<T> {
  const r = await dispatch(c, name, input);
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.value as T;
}

async function importFile(path: string, source: string): Promise<SyncJob> {
  let state = await call<SyncJob>('sync.start', { path: await stageFile(ctx, path), source });
  while (state.status === 'running' || state.status === 'cancelling' || state.status === 'recomputing') {
    await new Promise((r) => setTimeout(r, 20));
    state = await call<SyncJob>('sync.progress', { jobId: state.jobId });
  }
  return state;
}

/** AES-256-GCM with a per-test key: a real, reversible seal standing in for the OS keychain. */
const aesBox = (): SecretBox => aesSecretBox(randomBytes(32));

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts/build-cli.mjs')], { cwd: root });
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'yunke-sync-int-'));
  store = openStore(join(dir, 'store.db'));
  ctx = contextFor(store, actor('admin-1'), { transport: 'ipc', secrets: aesBox() });
});
afterEach(async () => store.close());

describe('import in the app keeps the engine results current (R-RECALC-1)', () => {
  it('a committed orders file is followed by a recompute: the new order is decided at once', async () => {
    const files: [string, string][] = [
      ['product_lines', 'ecs,云服务器,true'],
      [
        'partners',
        'P1,A-P1,张三,13800000001,110101199001010011,active,2026-01-01 10:00:00,2026-01-01 10:00:00',
      ],
      ['customers', 'C1,individual,客户C1,13900000001,,2026-03-01 10:00:00,10.1.0.2,,none'],
      ['referral_events', 'E1,P1,C1,register,2026-03-01 10:00:00,'],
    ];
    const headers: Record<string, string> = {
      product_lines: 'product_line,name,rebate_eligible',
      partners: 'partner_id,account_id,name,phone,id_number,status,verified_at,joined_at',
      customers:
        'customer_id,customer_type,name,phone,id_number,registered_at,registration_ip,subject_id,channel',
      referral_events: 'event_id,partner_id,customer_id,kind,occurred_at,ip',
    };
    for (const [source, row] of files) {
      const path = join(dir, `${source}.csv`);
      writeFileSync(path, `${headers[source]}\n${row}\n`);
      expect((await importFile(path, source)).status).toBe('committed');
    }
    recomputeFull(store, { asOf: Date.parse('2026-11-01T00:00:00+08:00') });

    const orders = join(dir, 'orders.csv');
    writeFileSync(
      orders,
      'order_id,customer_id,product_line,billing,subscription,paid_amount,ordered_at\nO1,C1,ecs,prepaid,false,1000,2026-03-05 12:00:00\n',
    );
    const job = await importFile(orders, 'orders');
    expect(job.status).toBe('committed');
    expect(job.error).toBeNull();
    const row = store.sqlite
      .prepare('SELECT status, partner_id, rebate_fen FROM result_orders WHERE order_id = ?')
      .get('O1');
    expect(row).toEqual({ status: 'valid', partner_id: 'P1', rebate_fen: 20000 });
  });
});

describe('API source tokens', () => {
  it('a token typed in the app is sealed in the store, never in clear, and used for the pull', async () => {
    const server = await startTestApiServer({
      token: 'very-secret-token-123',
      pageSize: 2,
      items: {
        partners: [
          { partner_id: 'P1', status: 'active' },
          { partner_id: 'P2', status: 'applied' },
        ],
      },
    });
    try {
      await call('sync.apiSources.save', {
        source: 'partners',
        baseUrl: `${server.url}/partners`,
        token: 'very-secret-token-123',
      });
      const ref = store.sqlite.prepare('SELECT token_ref FROM api_sources').pluck().get() as string;
      expect(ref.startsWith('sealed:')).toBe(true);
      expect(ref).not.toContain('very-secret-token-123');
      const [r] = await call<{ status: string; items: number }[]>('sync.apiSources.pullNow', {
        source: 'partners',
      });
      expect(r).toMatchObject({ status: 'ok', items: 2 });
    } finally {
      await server.close();
    }
  });

  it('without secure storage (bridge, CLI) a typed token is refused with a clear error', async () => {
    const bare: ApiContext = { ...ctx, secrets: undefined, transport: 'bridge' };
    const r = await dispatch(bare, 'sync.apiSources.save', {
      source: 'orders',
      baseUrl: 'http://127.0.0.1:9/orders',
      token: 'abc',
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'SYNC_TOKEN_STORAGE_UNAVAILABLE' } });
    expect(store.sqlite.prepare('SELECT count(*) FROM api_sources').pluck().get()).toBe(0);
  });

  it('refuses a token and an environment variable together', async () => {
    const r = await dispatch(ctx, 'sync.apiSources.save', {
      source: 'orders',
      baseUrl: 'http://127.0.0.1:9/orders',
      token: 'abc',
      tokenEnv: 'YUNKE_TOKEN_ORDERS',
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
