import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/open-store';
import { actor } from '../test-support/actors';
import { appendAudit, appendAuditSync } from './append';
import { canonicalJson, GENESIS } from './chain';
import { exportAudit } from './export';
import { tamperAudit } from '../test-support/tamper-audit';
import { listAudit } from './list';
import { verifyAudit } from './verify';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'yunke-audit-'));
  store = openStore(join(dir, 'store.db'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const admin = actor('ADM1', 'admin');
async function fill(n: number) {
  for (let i = 0; i < n; i++)
    await store.db.transaction().execute((trx) =>
      appendAudit(
        trx,
        {
          actor: i % 2 ? admin : actor('FIN1', 'finance'),
          action: i % 3 ? 'blacklist.add' : 'payout.batch.approve',
          entity: 'partner',
          entityId: `P${i}`,
          reason: `理由 ${i}`,
          effectiveAt: 1_000 + i,
          before: { n: i, b: [1, 2] },
          after: { a: 1, n: i + 1 },
        },
        2_000 + i,
      ),
    );
}

/** Behind the store's back, as someone with the sqlite3 shell would (test-support/tamper-audit.ts). */
const tamper = (sql: string) => tamperAudit(store.file, sql);

describe('R-OP-2: the audit log is append-only and hash-chained', () => {
  it('chains each entry to the one before it; verify walks the chain and reports its head', async () => {
    await fill(5);
    const v = verifyAudit(store.sqlite);
    expect(v).toMatchObject({ intact: true, entries: 5, broken: null });
    const rows = (await listAudit(store.db, { limit: 10, offset: 0, order: 'asc' })).rows;
    expect(rows.map((r) => r.audit_id)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0].prev_hash).toBe(GENESIS);
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
    expect(v.head).toBe(rows[4].hash);
    // who, role, recorded at, effective from, action, entity, reason, before and after
    expect(rows[1]).toMatchObject({
      operator_id: 'ADM1',
      role: 'admin',
      recorded_at: 2_001,
      effective_at: 1_001,
      action: 'blacklist.add',
      entity: 'partner',
      entity_id: 'P1',
      reason: '理由 1',
      before_json: '{"b":[1,2],"n":1}',
      after_json: '{"a":1,"n":2}',
    });
  });

  it('the store refuses to update or delete an entry, or to append one that skips the head', async () => {
    await fill(2);
    expect(() => store.sqlite.exec("UPDATE audit_log SET reason = 'x' WHERE audit_id = 1")).toThrow(
      /append-only/,
    );
    expect(() => store.sqlite.exec('DELETE FROM audit_log WHERE audit_id = 2')).toThrow(/append-only/);
    expect(() => store.sqlite.exec('DELETE FROM audit_head')).toThrow(/append-only/);
    expect(() =>
      store.sqlite.exec(
        `INSERT INTO audit_log (audit_id, recorded_at, effective_at, operator_id, role, action, entity, prev_hash, hash)
         VALUES (9, 0, 0, 'x', 'admin', 'x', 'x', '${GENESIS}', 'forged')`,
      ),
    ).toThrow(/head of the chain/);
    expect(verifyAudit(store.sqlite).intact).toBe(true);
  });

  it('an entry lands with its effect or not at all (one transaction)', async () => {
    await expect(
      store.db.transaction().execute(async (trx) => {
        await appendAudit(trx, { actor: admin, action: 'x.y', entity: 'z' });
        throw new Error('the effect failed');
      }),
    ).rejects.toThrow('the effect failed');
    expect(verifyAudit(store.sqlite).entries).toBe(0);
    expect(() => appendAuditSync(store.sqlite, { actor: admin, action: 'x.y', entity: 'z' })).toThrow(
      /transaction/,
    );
  });

  it('verify catches an edited entry, naming it', async () => {
    await fill(6);
    tamper("UPDATE audit_log SET reason = reason || ' (edited)' WHERE audit_id = 3");
    expect(verifyAudit(store.sqlite).broken).toMatchObject({ auditId: 3, problem: 'content' });
  });

  it('verify catches an edited entry whose hashes were recomputed to match (the next link breaks)', async () => {
    await fill(6);
    tamper("UPDATE audit_log SET hash = 'f' || substr(hash, 2) WHERE audit_id = 4");
    expect(verifyAudit(store.sqlite).broken).toMatchObject({ auditId: 4, problem: 'content' });
  });

  it('verify catches a removed entry', async () => {
    await fill(6);
    tamper('DELETE FROM audit_log WHERE audit_id = 2');
    expect(verifyAudit(store.sqlite).broken).toMatchObject({ auditId: 3, problem: 'gap' });
  });

  it('verify catches removed last entries (the head remembers)', async () => {
    await fill(6);
    tamper('DELETE FROM audit_log WHERE audit_id >= 5');
    expect(verifyAudit(store.sqlite).broken).toMatchObject({ problem: 'head', auditId: 6 });
  });

  it('verify catches reordered entries (contents swapped, or ids renumbered)', async () => {
    await fill(6);
    tamper(`UPDATE audit_log SET audit_id = -2 WHERE audit_id = 2;
            UPDATE audit_log SET audit_id = 2 WHERE audit_id = 3;
            UPDATE audit_log SET audit_id = 3 WHERE audit_id = -2;`);
    expect(verifyAudit(store.sqlite).broken).toMatchObject({ auditId: 2, problem: 'link' });
  });

  it('exports oldest first as CSV or JSON lines, with the hashes', async () => {
    await fill(3);
    let csv = '';
    expect(await exportAudit(store.db, 'csv', (c) => void (csv += c))).toBe(3);
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe(
      'audit_id,recorded_at,effective_at,operator_id,role,action,entity,entity_id,reason,before_json,after_json,prev_hash,hash',
    );
    expect(lines).toHaveLength(4);
    let jsonl = '';
    await exportAudit(store.db, 'jsonl', (c) => void (jsonl += c), { operatorId: 'ADM1' });
    const rows = jsonl
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { operator_id: string; hash: string });
    expect(rows.map((r) => r.operator_id)).toEqual(['ADM1']);
    expect(rows[0].hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lists with filters and paging in the store, newest first', async () => {
    await fill(12);
    const page = await listAudit(store.db, { limit: 5, offset: 0, operatorId: 'ADM1' });
    expect(page.total).toBe(6);
    expect(page.rows.map((r) => r.audit_id)).toEqual([12, 10, 8, 6, 4]);
    const family = await listAudit(store.db, { limit: 50, offset: 0, action: 'payout.' });
    expect(family.rows.every((r) => r.action.startsWith('payout.'))).toBe(true);
    expect(family.total).toBe(4);
    const range = await listAudit(store.db, { limit: 50, offset: 0, from: 2_003, until: 2_006 });
    expect(range.rows.map((r) => r.audit_id)).toEqual([6, 5, 4]);
  });

  it('canonical JSON sorts keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: 1, c: [3, { f: 1, e: 2 }] } })).toBe(
      '{"a":{"c":[3,{"e":2,"f":1}],"d":1},"b":1}',
    );
  });
});
