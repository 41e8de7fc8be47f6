import BetterSqlite3 from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../api/dispatch';
import { appendAuditSync } from '../audit/append';
import { restoreInto } from '../api/methods/backup.handlers';
import { verifyAudit } from '../audit/verify';
import { generateDemo } from '../demo/generate';
import { recomputeFull } from '../engine/recompute';
import { actor, contextFor } from '../test-support/actors';
import { onTeamSuite } from '../test-support/dialect';
import { backupStore, dailyBackup, listBackups, restoreStore, verifyBackup } from './backup';
import { onStoreClose, openStore, type Store } from './open-store';
import { migrationsOf } from './migrations';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'yunke-backup-'));
  store = openStore(join(dir, 'store.db'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const admin = actor('ADM1', 'admin');
/** Every table of a store file as text, but the audit log (which a restore extends) and the migrations. */
function dump(file: string, skip: string[] = ['audit_log', 'audit_head', '_migrations']): string {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const tables = (
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .pluck()
        .all() as string[]
    ).filter((t) => !skip.includes(t));
    return tables
      .map((t) => `${t}: ${JSON.stringify(db.prepare(`SELECT * FROM "${t}" ORDER BY 1, 2`).raw().all())}`)
      .join('\n');
  } finally {
    db.close();
  }
}

// A backup copies the store file, a restore swaps one in: on the team suite (every store a team
// database) these are skipped; what a team database does instead is the describe at the end.
describe('backup and restore (R-OP-1 admins, R-OP-2 audited)', () => {
  it.skipIf(onTeamSuite)(
    'a backup is an online, consistent copy, verified by integrity_check and its migrations',
    async () => {
      await generateDemo(store, { scale: 0.02, seed: 5, actor: admin });
      recomputeFull(store);
      const r = await backupStore(store, join(dir, 'copy.db'));
      expect(r).toMatchObject({ integrity: 'ok', migrations: migrationsOf('sqlite').length });
      expect(r.bytes).toBeGreaterThan(100_000);
      // one self-contained file: no write-ahead log beside it
      expect(readdirSync(dir).filter((f) => f.startsWith('copy.db'))).toEqual(['copy.db']);
      expect(dump(join(dir, 'copy.db'))).toBe(dump(store.file));
    },
  );

  it.skipIf(onTeamSuite)(
    'refuses a backup written over the store itself or its write-ahead log, and changes nothing',
    async () => {
      await generateDemo(store, { scale: 0.01, seed: 5, actor: admin });
      const before = dump(store.file);
      for (const dest of [store.file, join(dir, '.', 'x', '..', basename(store.file)), `${store.file}-wal`])
        await expect(backupStore(store, dest), dest).rejects.toThrow(
          /a backup cannot be written over the store itself/,
        );
      expect(dump(store.file)).toBe(before);
      expect(store.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
    },
  );

  it.skipIf(onTeamSuite)(
    'refuses to restore a file that is damaged or not a store, and changes nothing',
    async () => {
      await generateDemo(store, { scale: 0.01, seed: 5, actor: admin });
      const before = dump(store.file);
      writeFileSync(join(dir, 'junk.db'), 'not a database at all');
      expect(() => verifyBackup(join(dir, 'junk.db'))).toThrow(/not a valid store|damaged/);
      const other = new BetterSqlite3(join(dir, 'other.db'));
      other.exec('CREATE TABLE x (a)');
      other.close();
      expect(() => verifyBackup(join(dir, 'other.db'))).toThrow(/not a Yunke Desk store/);
      const ctx = contextFor(store, admin);
      await expect(restoreInto(ctx, join(dir, 'junk.db'), '恢复测试用例')).rejects.toThrow();
      expect(ctx.store).toBe(store);
      expect(dump(store.file)).toBe(before);
    },
  );

  it.skipIf(onTeamSuite)(
    'a restore after more imports gives back the store as the backup holds it, and records the restore',
    async () => {
      await generateDemo(store, { scale: 0.02, seed: 5, actor: admin });
      recomputeFull(store);
      const ctx = contextFor(store, admin);
      const made = await dispatch(ctx, 'backup.create', {});
      expect(made).toMatchObject({ ok: true, value: { integrity: 'ok' } });
      const backup = (made as { value: { file: string } }).value.file;
      const atBackup = dump(backup);
      // more work after the backup: another demo load and a recompute
      await generateDemo(store, { scale: 0.02, seed: 6, actor: admin, allowNonEmpty: true });
      recomputeFull(store);
      expect(dump(store.file)).not.toBe(atBackup);

      const name = listBackups(store).find((b) => b.file === backup)!.name;
      const r = await dispatch(ctx, 'backup.restore', { name, reason: '误导入，恢复到导入前' });
      expect(r).toMatchObject({ ok: true, value: { restored: backup } });
      expect(ctx.store).not.toBe(store);
      store = ctx.store;
      // the store equals the backup, table by table
      expect(dump(store.file)).toBe(atBackup);
      // its audit chain is the backup's plus the restore, intact
      const v = verifyAudit(store.sqlite);
      expect(v.intact).toBe(true);
      const last = store.sqlite
        .prepare('SELECT action, reason, operator_id FROM audit_log ORDER BY audit_id DESC LIMIT 1')
        .get();
      expect(last).toEqual({ action: 'store.restore', reason: '误导入，恢复到导入前', operator_id: 'ADM1' });
      // the replaced store is kept aside, intact
      const aside = (r as { value: { keptAside: string } }).value.keptAside;
      expect(existsSync(aside)).toBe(true);
      expect(verifyBackup(aside).integrity).toBe('ok');
    },
  );

  /**
   * A store whose last commit is only in its write-ahead log when it is restored over: another
   * connection reads an older state meanwhile (as a full recompute's helper does while it still
   * checkpoints and closes), so no checkpoint can copy that commit into the store file. Returns the
   * commit's audit id and the restore's result; `reading` is still open. `whileClosing` runs while
   * the store closes (as a helper's checkpoint ends then).
   */
  async function restoreOverUnfoldedCommit(whileClosing?: (reading: BetterSqlite3.Database) => void) {
    await store.close();
    const options = { busyTimeoutMs: 50 }; // the restore's checkpoint gives up at once
    store = openStore(join(dir, 'store.db'), options);
    await generateDemo(store, { scale: 0.01, seed: 5, actor: admin });
    const backup = join(dir, 'copy.db');
    await backupStore(store, backup);
    const reading = new BetterSqlite3(store.file, { readonly: true });
    reading.exec('BEGIN');
    reading.prepare('SELECT COUNT(*) FROM audit_log').get();
    const last = store.sqlite.transaction(
      () =>
        appendAuditSync(store.sqlite, {
          actor: admin,
          action: 'test.last',
          entity: 'store',
          reason: '恢复前的最后一笔',
        }).audit_id,
    )();
    if (whileClosing) onStoreClose(store, async () => whileClosing(reading));
    try {
      const r = await restoreStore(store, backup, { actor: admin, reason: '恢复测试用例' }, options);
      store = r.store;
      return { last, keptAside: r.keptAside, reading };
    } catch (e) {
      reading.close();
      throw e;
    }
  }
  const reasonOf = (file: string, auditId: number) => {
    const db = new BetterSqlite3(file, { readonly: true });
    try {
      return {
        reason: db.prepare('SELECT reason FROM audit_log WHERE audit_id = ?').pluck().get(auditId),
        integrity: db.pragma('integrity_check', { simple: true }),
      };
    } finally {
      db.close();
    }
  };

  it.skipIf(onTeamSuite)(
    'the replaced store is kept whole: a commit no checkpoint could fold in is in the pre-restore copy',
    async () => {
      const { last, keptAside, reading } = await restoreOverUnfoldedCommit();
      reading.close();
      expect(reasonOf(keptAside, last)).toEqual({ reason: '恢复前的最后一笔', integrity: 'ok' });
      expect(verifyBackup(keptAside).integrity).toBe('ok');
      // listed once, as a backup: never its write-ahead log
      expect(listBackups(store).map((b) => b.name)).toEqual([basename(keptAside)]);
      // the restored store is the backup's, plus the restore
      const marked = "SELECT COUNT(*) FROM audit_log WHERE action = 'test.last'";
      expect(store.sqlite.prepare(marked).pluck().get()).toBe(0);
      expect(verifyAudit(store.sqlite).intact).toBe(true);
    },
  );

  it.skipIf(onTeamSuite)(
    'the log of the replaced store is folded into its pre-restore copy once no connection reads an older state',
    async () => {
      const { last, keptAside, reading } = await restoreOverUnfoldedCommit((reading) =>
        reading.exec('COMMIT'),
      );
      // `reading` still has the file open, idle: the folded log is left empty
      const log = `${keptAside}-wal`;
      expect(existsSync(log) ? statSync(log).size : 0).toBe(0);
      reading.close();
      // the file alone holds the commit
      copyFileSync(keptAside, join(dir, 'alone.db'));
      expect(reasonOf(join(dir, 'alone.db'), last)).toEqual({ reason: '恢复前的最后一笔', integrity: 'ok' });
    },
  );

  it.skipIf(onTeamSuite)(
    'a restore that fails once the replaced store is aside puts it back with its log, and opens it again',
    async () => {
      const failed = (await restoreOverUnfoldedCommit(() => rmSync(`${store.file}.restoring`)).then(
        () => expect.unreachable('the restore should fail'),
        (e: unknown) => e,
      )) as { code: string; message: string; reopened: Store };
      expect(failed).toMatchObject({ code: 'RESTORE_FAILED' });
      expect(failed.message).toMatch(/原数据库已放回 \/ the restore failed; the store was put back/);
      store = failed.reopened;
      const marked = "SELECT COUNT(*) FROM audit_log WHERE action = 'test.last'";
      expect(store.sqlite.prepare(marked).pluck().get()).toBe(1);
      expect(store.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(verifyAudit(store.sqlite).intact).toBe(true);
      // nothing left behind in the backups folder
      expect(readdirSync(join(dir, 'backups'))).toEqual([]);
    },
  );

  it.skipIf(onTeamSuite)(
    'restoring the pre-restore copy brings back its commits still in its write-ahead log',
    async () => {
      const { last, keptAside, reading } = await restoreOverUnfoldedCommit();
      reading.close();
      // what this test is about: the copy's last commit is still in its log
      expect(existsSync(`${keptAside}-wal`)).toBe(true);
      const r = await restoreStore(store, keptAside, { actor: admin, reason: '撤销恢复' });
      store = r.store;
      expect(reasonOf(store.file, last)).toEqual({ reason: '恢复前的最后一笔', integrity: 'ok' });
      expect(verifyAudit(store.sqlite).intact).toBe(true);
      // both replaced stores are kept, each under its own name
      expect(r.keptAside).not.toBe(keptAside);
      expect(reasonOf(keptAside, last).reason).toBe('恢复前的最后一笔');
    },
  );

  it('R-OP-1: backups and restores are the admin’s (support and finance are refused)', async () => {
    for (const role of ['support', 'finance'] as const) {
      const ctx = contextFor(store, actor(`X-${role}`, role));
      expect(await dispatch(ctx, 'backup.create', {})).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      expect(await dispatch(ctx, 'backup.restore', { name: 'x.db', reason: '测试恢复' })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
    // a page names a backup of the backups folder, never a path
    const ctx = contextFor(store, admin);
    expect(
      await dispatch(ctx, 'backup.restore', { name: '../store.db', reason: '路径穿越测试' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'BACKUP_NAME' },
    });
  });

  it.skipIf(onTeamSuite)('backs up once a day at start-up, keeping the last seven', async () => {
    const day = (d: number) => Date.UTC(2026, 10, d, 2);
    for (let d = 1; d <= 9; d++) {
      await dailyBackup(store, day(d));
      await dailyBackup(store, day(d) + 3_600_000); // the same day: no second backup
    }
    const autos = listBackups(store)
      .filter((b) => b.automatic)
      .map((b) => b.name)
      .sort();
    expect(autos).toEqual([3, 4, 5, 6, 7, 8, 9].map((d) => `auto-2026-11-0${d}.db`));
  });
});

describe.runIf(onTeamSuite)('a team database is backed up by its server, not by a desk (issue 13)', () => {
  it('R-OP-1, R-OP-2: list, backup and restore are refused in both languages, never naming the URL, and change nothing', async () => {
    await generateDemo(store, { scale: 0.01, seed: 5, actor: admin });
    expect(store.dialect).toBe('postgres');
    const url = new URL(store.file);
    const ctx = contextFor(store, admin);
    const audit = () => store.sqlite.prepare('SELECT entries, hash FROM audit_head').get();
    const orders = () => store.sqlite.prepare('SELECT COUNT(*) FROM orders').pluck().get();
    const before = { audit: audit(), orders: orders() };
    expect(before.orders).toBeGreaterThan(0);
    for (const [method, input] of [
      ['backup.list', {}],
      ['backup.create', {}],
      ['backup.restore', { name: 'auto-2026-11-01.db', reason: '团队库恢复测试' }],
    ] as const) {
      const r = await dispatch(ctx, method, input);
      expect(r, method).toMatchObject({ ok: false, error: { code: 'BACKUP_TEAM_DATABASE' } });
      const message = (r as { error: { message: string } }).error.message;
      expect(message).toContain('pg_dump');
      expect(message).toMatch(/团队数据库/);
      expect(message).not.toContain(url.host);
    }
    expect(ctx.store).toBe(store);
    expect({ audit: audit(), orders: orders() }).toEqual(before);
    await expect(backupStore(store, join(dir, 'copy.db'))).rejects.toMatchObject({
      code: 'BACKUP_TEAM_DATABASE',
    });
    await expect(
      restoreStore(store, join(dir, 'copy.db'), { actor: admin, reason: '团队库恢复测试' }),
    ).rejects.toMatchObject({ code: 'BACKUP_TEAM_DATABASE' });
    // no daily backup at start-up, and nothing written anywhere
    expect(await dailyBackup(store, Date.UTC(2026, 10, 1, 2))).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });
});
