import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/open-store';
import type { ApiContext } from './context';
import { contract, methodNames, type MethodName } from './contract';
import { dispatch } from './dispatch';
import { handlers } from './handlers';
import { actor, contextFor } from '../test-support/actors';
import type { Caller } from './define';

let store: Store;
let ctx: ApiContext;

beforeAll(() => {
  store = openStore(join(mkdtempSync(join(tmpdir(), 'yunke-api-')), 'store.db'));
  ctx = contextFor(store);
});
afterAll(async () => store.close());

describe('the contract', () => {
  it('maps every method to a schema, its callers, a handler and the tables it writes', () => {
    for (const name of methodNames) {
      const entry = contract[name];
      expect(typeof handlers[name], name).toBe('function');
      expect(typeof entry.input.safeParse, name).toBe('function');
      expect(entry.access === 'public' || Array.isArray(entry.access), name).toBe(true);
      expect(Array.isArray(entry.writes), name).toBe(true);
      expect(name).toMatch(/^[a-z]+(\.[a-zA-Z]+)+$/);
    }
    expect(Object.keys(handlers).sort()).toEqual([...methodNames].sort());
  });

  it('answers the dashboard with real counts from the store', async () => {
    store.sqlite
      .prepare(`INSERT INTO partners (partner_id, status) VALUES ('P1', 'active'), ('P2', 'applied')`)
      .run();
    store.sqlite
      .prepare(
        `INSERT INTO orders (order_id, customer_id, product_line, billing, subscription, paid_fen, ordered_at) VALUES ('O1', 'C1', 'ecs', 'prepaid', 0, 100000, 0)`,
      )
      .run();
    const r = await dispatch(ctx, 'dashboard.summary', {});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const summary = r.value as { counts: { partners: number; orders: number; customers: number } };
    expect(summary.counts).toMatchObject({ partners: 2, orders: 1, customers: 0 });
    const info = await dispatch(ctx, 'app.info', {});
    expect(info).toMatchObject({ ok: true, value: { isEmpty: false, transport: 'bridge' } });
  });

  it('returns a structured INVALID_INPUT error naming the field, never throwing', async () => {
    const r = await dispatch(ctx, 'demo.load', { scale: -1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('INVALID_INPUT');
    const issues = (r.error.details as { issues: { path: string[] }[] }).issues;
    expect(issues[0].path).toEqual(['scale']);
  });

  it('rejects unknown fields (strict inputs) and unknown methods', async () => {
    const extra = await dispatch(ctx, 'dashboard.summary', { sneaky: true });
    expect(extra).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const unknown = await dispatch(ctx, 'fs.readFile', { path: '/etc/passwd' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    const proto = await dispatch(ctx, '__proto__', {});
    expect(proto).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });
});

/**
 * R-OP-1's role table, method by method, written out here on its own (not read from the contract):
 * support reads everything and decides nothing; admins decide on partners, rules, imports,
 * operators and backups, and may prepare a payout batch; finance imports and decides payouts.
 * `public` methods answer before anyone signs in. Every method of the contract must be listed.
 */
const R = ['admin', 'finance', 'support', 'system'] as const;
const ROLE_TABLE: Record<MethodName, 'public' | readonly Caller[]> = {
  'app.info': 'public',
  'app.setLanguage': 'public',
  'session.status': 'public',
  'session.signIn': 'public',
  'session.signOut': 'public',
  'operators.bootstrap': 'public',
  'dashboard.summary': R,
  'demo.load': ['admin', 'system'],
  'sync.sources': R,
  'sync.preview': ['admin', 'finance', 'system'],
  'sync.start': ['admin', 'finance', 'system'],
  'sync.progress': R,
  'sync.cancel': ['admin', 'finance', 'system'],
  'sync.jobs': R,
  'sync.history': R,
  'sync.rejections': R,
  'sync.apiSources.list': R,
  'sync.apiSources.save': ['admin'],
  'sync.apiSources.pullNow': ['admin', 'finance', 'system'],
  'staging.begin': ['admin', 'finance', 'system'],
  'staging.chunk': ['admin', 'finance', 'system'],
  'staging.finish': ['admin', 'finance', 'system'],
  'staging.discard': ['admin', 'finance', 'system'],
  'engine.recompute': ['admin', 'finance', 'system'],
  'engine.recomputeIncremental': ['admin', 'finance', 'system'],
  'engine.lastRun': R,
  'orders.explain': R,
  'orders.search': R,
  'partners.search': R,
  'partners.get': R,
  'sameperson.group': R,
  'operators.list': R,
  'operators.add': ['admin'],
  'audit.list': R,
  'audit.facets': R,
  'audit.verify': R,
  'audit.export': R,
  'config.versions': R,
  'config.diff': R,
  // a what-if writes nothing (DATA.md: `what-if` reads only)
  'config.preview': R,
  'config.save': ['admin'],
  'backup.list': ['admin'],
  'backup.create': ['admin', 'system'],
  'backup.restore': ['admin'],
  'jobs.list': R,
  // R-DISP-1: support (and admins) open a case; only admins decide (R-OP-1)
  'disputes.open': ['admin', 'support'],
  'disputes.queue': R,
  'disputes.list': R,
  'disputes.get': R,
  'disputes.upholdPreview': ['admin'],
  'disputes.uphold': ['admin'],
  'disputes.reject': ['admin'],
  'disputes.revokePreview': ['admin'],
  'disputes.revoke': ['admin'],
  'customers.timeline': R,
  // R-OP-1: level overrides are an admin's decision; everyone reads levels and ledgers
  'levels.table': R,
  'levels.partner': R,
  'levels.overrides': R,
  'levels.overridePreview': ['admin'],
  'levels.override': ['admin'],
  'levels.revokePreview': ['admin'],
  'levels.revoke': ['admin'],
  // R-OP-1 / R-PAY-2: admins may prepare a payout batch but never approve; finance decides,
  // exports and marks paid; support (and scheduled scripts) write nothing here
  'payouts.cycles': R,
  'payouts.due': R,
  'payouts.batches': R,
  'payouts.batch': R,
  'payouts.prepare': ['admin', 'finance'],
  'payouts.decide': ['finance'],
  'payouts.export': ['finance', 'system'],
  'payouts.markPaid': ['finance'],
  'payouts.bankResultPreview': ['finance'],
  'payouts.bankResult': ['finance'],
  'payouts.statement': R,
  'dashboard.trends': R,
  // issue 10: the admin's desk. Reading, previews (what-ifs write nothing) and masked answers for
  // every role; marking IPs, blacklisting and deciding risk flags for admins only (R-OP-1)
  'investigation.queue': R,
  'investigation.group': R,
  'investigation.path': R,
  'ips.list': R,
  'ips.accounts': R,
  'ips.preview': R,
  'ips.mark': ['admin'],
  'ips.unmark': ['admin'],
  'blacklist.list': R,
  'blacklist.history': R,
  'blacklist.preview': R,
  'blacklist.add': ['admin'],
  'blacklist.lift': ['admin'],
  'risk.list': R,
  'risk.partner': R,
  'risk.decide': ['admin'],
  // issue 13: which store this desk opens (a team database on PostgreSQL): admins only
  'teamdb.get': ['admin'],
  'teamdb.test': ['admin'],
  'teamdb.save': ['admin'],
  'teamdb.clear': ['admin'],
};

describe('R-OP-1: every method, called with every role, is allowed or refused as the role table says', () => {
  it('the table names every method of the contract, and no other', () => {
    expect(Object.keys(ROLE_TABLE).sort()).toEqual([...methodNames].sort());
  });

  const callers: (Caller | null)[] = [null, 'admin', 'finance', 'support', 'system'];
  for (const name of methodNames)
    it(`${name}`, async () => {
      const expected = ROLE_TABLE[name];
      for (const role of callers) {
        const c = contextFor(store, role === null ? null : actor(`op-${role}`, role));
        // an unknown field: an allowed call stops at input validation, so no handler runs
        const r = await dispatch(c, name, { __probe: 1 });
        expect(r.ok, `${name} as ${role}`).toBe(false);
        if (r.ok) continue;
        const mayCall = expected === 'public' || (role !== null && expected.includes(role));
        if (mayCall) expect(r.error.code, `${name} as ${role}`).toBe('INVALID_INPUT');
        else {
          expect(r.error.code, `${name} as ${role}`).toBe(role === null ? 'NOT_SIGNED_IN' : 'FORBIDDEN');
          // refusals speak both languages
          expect(r.error.message).toMatch(/[\u4e00-\u9fff]/);
          expect(r.error.message).toMatch(/[a-z]{3,}/);
        }
      }
    });
});

/** The unbounded inputs of a zod schema: strings without a maximum length, arrays without a maximum count. */
function unbounded(schema: unknown, path: string, out: string[] = []): string[] {
  const def = (schema as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
  if (!def) return out;
  const checks = ((def.checks as { _zod?: { def?: { check?: string } } }[] | undefined) ?? []).map(
    (c) => c._zod?.def?.check,
  );
  switch (def.type) {
    case 'string':
      // a fixed format (a UUID) bounds its length; a URL or free text needs a maximum
      if (!checks.includes('max_length') && !['uuid', 'guid'].includes(String(def.format)))
        out.push(`${path}: a string without a maximum`);
      break;
    case 'array':
      if (!checks.includes('max_length')) out.push(`${path}: a list without a maximum`);
      unbounded(def.element, `${path}[]`, out);
      break;
    case 'object':
      for (const [k, v] of Object.entries(def.shape as Record<string, unknown>))
        unbounded(v, `${path}.${k}`, out);
      break;
    case 'record':
    case 'map':
    case 'set':
    case 'any':
    case 'unknown':
      out.push(`${path}: ${String(def.type)} cannot be bounded`);
      break;
    case 'union':
      (def.options as unknown[]).forEach((o, i) => unbounded(o, `${path}|${i}`, out));
      break;
    case 'pipe':
      unbounded(def.in, path, out);
      break;
    default:
      if (def.innerType) unbounded(def.innerType, path, out);
  }
  return out;
}

describe('every input is bounded', () => {
  it('no method takes a string or a list without a maximum (a 100,000-element list never reaches the store)', () => {
    expect(methodNames.flatMap((name) => unbounded(contract[name].input, name))).toEqual([]);
  });

  it('a list above its bound is refused as INVALID_INPUT before any handler runs', async () => {
    const customers = Array.from({ length: 100_000 }, (_, i) => `C${i}`);
    const r = await dispatch(contextFor(store, actor('A', 'admin')), 'engine.recomputeIncremental', {
      customers,
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
