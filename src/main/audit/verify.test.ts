import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store';
import { actor } from '../test-support/actors';
import { bundleWorker } from '../test-support/bundle-worker';
import { appendAuditSync } from './append';
import { tamperAudit } from '../test-support/tamper-audit';
import { verifyAudit, verifyAuditStore, type AuditVerdict } from './verify';
import { onTeamSuite } from '../test-support/dialect';

let worker: Awaited<ReturnType<typeof bundleWorker>>;
let dir: string;
let pristine: string;
const ENTRIES = 12;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'yunke-audit-verify-'));
  // the worker as the app and the command line run it, bundled from these sources
  worker = await bundleWorker(join(import.meta.dirname, 'verify-worker.ts'));
  pristine = join(dir, 'pristine.db');
  const store = openStore(pristine);
  store.sqlite.exec('BEGIN');
  for (let i = 0; i < ENTRIES; i++)
    appendAuditSync(
      store.sqlite,
      {
        actor: actor(i % 2 ? 'ADM1' : 'FIN1', i % 2 ? 'admin' : 'finance'),
        action: 'blacklist.add',
        entity: 'partner',
        entityId: `P${i}`,
        reason: `理由 ${i}`,
        before: { n: i },
        after: { n: i + 1 },
      },
      2_000 + i,
    );
  store.sqlite.exec('COMMIT');
  await store.close();
});
afterAll(() => {
  worker.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** A copy of the pristine log, changed behind the store's back. */
let copies = 0;
function tampered(sql: string): string {
  const file = join(dir, `copy-${++copies}.db`);
  const src = new BetterSqlite3(pristine, { readonly: true });
  src.exec(`VACUUM INTO '${file}'`);
  src.close();
  tamperAudit(file, sql);
  return file;
}

const withoutTime = ({ durationMs: _ignored, ...v }: AuditVerdict) => v;

// stretches on worker threads read copies of a store file (a team database's log is one walk)
describe.skipIf(onTeamSuite)('R-OP-2: a long audit log is checked in stretches side by side', () => {
  // each change sits at, before or after a stretch's edge for 2 to 5 stretches of 12 entries
  const changes: [string, string][] = [
    ['nothing changed', 'SELECT 1'],
    ['the first entry edited', "UPDATE audit_log SET reason = 'x' WHERE audit_id = 1"],
    ['an entry at a stretch edge edited', "UPDATE audit_log SET reason = 'x' WHERE audit_id = 7"],
    ['an entry after a stretch edge edited', "UPDATE audit_log SET reason = 'x' WHERE audit_id = 5"],
    ['the last entry edited', "UPDATE audit_log SET reason = 'x' WHERE audit_id = 12"],
    [
      'a hash rewritten at a stretch edge',
      "UPDATE audit_log SET hash = 'f' || substr(hash, 2) WHERE audit_id = 6",
    ],
    ['the entry ending a stretch removed', 'DELETE FROM audit_log WHERE audit_id = 6'],
    ['the entry starting a stretch removed', 'DELETE FROM audit_log WHERE audit_id = 7'],
    ['a whole stretch removed', 'DELETE FROM audit_log WHERE audit_id BETWEEN 4 AND 9'],
    ['the first entry removed', 'DELETE FROM audit_log WHERE audit_id = 1'],
    ['the last entries removed', 'DELETE FROM audit_log WHERE audit_id >= 11'],
    ['the head rewritten', "UPDATE audit_head SET hash = 'f' || substr(hash, 2)"],
    [
      'two entries swapped across a stretch edge',
      `UPDATE audit_log SET audit_id = -6 WHERE audit_id = 6;
       UPDATE audit_log SET audit_id = 6 WHERE audit_id = 7;
       UPDATE audit_log SET audit_id = 7 WHERE audit_id = -6;`,
    ],
    ['two edits: the first one is named', "UPDATE audit_log SET reason = 'x' WHERE audit_id IN (3, 10)"],
    [
      'an entry made up before the first one (numbered 0)',
      'INSERT INTO audit_log SELECT 0, recorded_at, effective_at, operator_id, role, action, entity, entity_id, reason, before_json, after_json, prev_hash, hash FROM audit_log WHERE audit_id = 1',
    ],
    [
      "the log rebuilt without STRICT, an entry's text stored as bytes",
      `CREATE TABLE loose AS SELECT * FROM audit_log; DROP TABLE audit_log; ALTER TABLE loose RENAME TO audit_log;
       UPDATE audit_log SET reason = CAST(reason AS BLOB) WHERE audit_id = 4`,
    ],
  ];
  it.each(changes)('%s: the same verdict as one walk from the start', async (_name, sql) => {
    const file = tampered(sql);
    const store = openStore(file);
    try {
      const walk = withoutTime(verifyAudit(store.sqlite));
      for (const stretches of [2, 3, 4, 5])
        expect(withoutTime(verifyAudit(store.sqlite, stretches)), `${stretches} stretches`).toEqual(walk);
      // and on worker threads, as the app and the command line check a long log
      const side = await verifyAuditStore(store, { threads: 3, parallelFrom: 1, workerFile: worker.file });
      expect(withoutTime(side)).toEqual(walk);
      if (sql === 'SELECT 1') expect(walk).toMatchObject({ intact: true, entries: ENTRIES });
      else expect(walk.intact).toBe(false);
    } finally {
      await store.close();
    }
  });

  it('an empty log is intact in stretches too', async () => {
    const file = join(dir, 'empty.db');
    const store = openStore(file);
    try {
      const v = await verifyAuditStore(store, { threads: 2, parallelFrom: 0, workerFile: worker.file });
      expect(v).toMatchObject({ intact: true, entries: 0 });
    } finally {
      await store.close();
    }
  });
});
