import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/open-store';
import { lastImport } from './fixtures/store-dump';
import { pullAll, type PullConfig, type PullOptions } from './pull';
import { startTestApiServer, type TestApiServer } from './test-server';
import { actor } from '../test-support/actors';

const order = (i: number) => ({
  order_id: `O${i}`,
  customer_id: `C${i % 7}`,
  product_line: 'ecs',
  billing: 'prepaid',
  subscription: i % 2 === 0,
  paid_amount: `${100 + i}.50`,
  ordered_at: '2026-03-05 12:00:00',
});

let store: Store;
let server: TestApiServer;

beforeEach(async () => {
  store = openStore(join(mkdtempSync(join(tmpdir(), 'yunke-')), 'store.db'));
  server = await startTestApiServer({
    pageSize: 10,
    items: { orders: Array.from({ length: 95 }, (_, i) => order(i)) },
  });
});
afterEach(async () => {
  await server.close();
  await store.close();
});

const config = (extra: Partial<PullConfig> = {}): PullConfig => ({
  sources: { orders: { url: `${server.url}/orders`, token_env: 'T_ORDERS' } },
  timeout_ms: 300,
  retries: 4,
  backoff_ms: 5,
  ...extra,
});
const opts: PullOptions = { actor: actor('tester'), env: { T_ORDERS: 'test-token' } };
const orderIds = () => store.sqlite.prepare('SELECT order_id FROM orders ORDER BY order_id').pluck().all();
const expectEveryItemOnce = () => {
  const ids = orderIds();
  expect(ids).toHaveLength(95);
  expect(new Set(ids).size).toBe(95);
};

describe('API pull', () => {
  it('pages through a source with the Bearer token and records the pull', async () => {
    const [r] = await pullAll(store, config(), opts);
    expect(r).toMatchObject({ source: 'orders', status: 'ok', pages: 10, items: 95 });
    expect(r.counts).toMatchObject({ added: 95, rejected: 0 });
    expectEveryItemOnce();
    expect(store.sqlite.prepare('SELECT paid_fen FROM orders WHERE order_id = ?').pluck().get('O3')).toBe(
      10350,
    );
    expect(lastImport(store)).toMatchObject({
      origin: 'api',
      source: 'orders',
      rows_added: 95,
      status: 'committed',
    });
    expect(store.sqlite.prepare('SELECT cursor, last_status, token_ref FROM api_sources').get()).toEqual({
      cursor: '90',
      last_status: 'ok',
      token_ref: 'env:T_ORDERS',
    });
  });

  it('survives 500s, 429 with Retry-After, a slow response, malformed JSON and a dropped connection', async () => {
    server.faults = [
      { cursor: '', kind: 'status500', times: 2 },
      { cursor: '10', kind: 'status429', value: 0.2 },
      { cursor: '20', kind: 'slow', value: 1000 },
      { cursor: '30', kind: 'malformed' },
      { cursor: '40', kind: 'drop' },
    ];
    const retries: number[] = [];
    const [r] = await pullAll(store, config(), { ...opts, onRetry: (x) => retries.push(x.delayMs) });
    expect(r.status).toBe('ok');
    expect(r.retries).toBe(6);
    expect(retries[2]).toBe(200); // Retry-After honoured
    expectEveryItemOnce();
    expect(server.requests.filter((q) => q.status === 0)).toHaveLength(1);
  });

  it('is incremental: the next pull starts from the kept cursor and brings only what is new', async () => {
    await pullAll(store, config(), opts);
    server.items.get('orders')!.push(order(95), order(96));
    server.requests.length = 0;
    const [r] = await pullAll(store, config(), opts);
    expect(server.requests[0].cursor).toBe('90');
    expect(r.counts).toMatchObject({ added: 2, unchanged: 5 });
    expect(orderIds()).toHaveLength(97);
  });

  it('an interrupted pull resumes from its last committed page', async () => {
    server.faults = [{ cursor: '50', kind: 'status500', times: 99 }];
    const [first] = await pullAll(store, config({ retries: 2 }), opts);
    expect(first.status).toBe('failed');
    expect(first.error).toMatch(/HTTP 500/);
    expect(orderIds()).toHaveLength(50);
    expect(store.sqlite.prepare('SELECT cursor, last_status FROM api_sources').get()).toEqual({
      cursor: '50',
      last_status: 'failed',
    });
    expect(lastImport(store)).toMatchObject({ status: 'failed', rows_added: 50 });

    server.faults = [];
    server.requests.length = 0;
    const [second] = await pullAll(store, config(), opts);
    expect(second.status).toBe('ok');
    expect(server.requests[0].cursor).toBe('50');
    expect(second.counts.added).toBe(45);
    expectEveryItemOnce();
  });

  it('malformed JSON that never heals is retried, then reported without losing committed pages', async () => {
    server.faults = [{ cursor: '20', kind: 'malformed', times: 99 }];
    const [r] = await pullAll(store, config({ retries: 3 }), opts);
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/malformed JSON/);
    expect(server.requests.filter((q) => q.cursor === '20')).toHaveLength(4);
    expect(orderIds()).toHaveLength(20);
  });

  it('validates items like file rows: invalid items are rejected and listed', async () => {
    server.items.set('orders', [
      order(1),
      { ...order(2), paid_amount: '-3' },
      { ...order(3), billing: 'weekly' },
    ]);
    const rejected: string[] = [];
    const [r] = await pullAll(store, config(), {
      ...opts,
      onRejection: (x) => rejected.push(`${x.line}:${x.column}:${x.code}`),
    });
    expect(r.counts).toMatchObject({ added: 1, rejected: 2 });
    expect(rejected).toEqual(['2:paid_amount:AMOUNT_NEGATIVE', '3:billing:ENUM_INVALID']);
  });

  it('a wrong token fails at once, without retrying', async () => {
    const [r] = await pullAll(store, config(), { ...opts, env: { T_ORDERS: 'nope' } });
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/401/);
    expect(server.requests).toHaveLength(1);
  });
});
