import { basename, join } from 'node:path';
import { queueFor } from '../../jobs/store-queue';
import { appendAudit } from '../../audit/append';
import {
  BackupError,
  backupByName,
  backupsDir,
  backupStore,
  listBackups,
  refuseTeamDatabase,
  restoreStore,
} from '../../store/backup';
import type { Store } from '../../store/open-store';
import { importJobsFor } from '../../sync/jobs';
import { actorOf, nowOf, type ApiContext } from '../context';
import { ApiError } from '../errors';
import type { HandlersOf } from '../handler-types';
import type { backupContract } from './backup.contract';

const stamp = (ms: number) =>
  new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');

async function checked<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof BackupError) throw new ApiError(e.code, e.message, e.details);
    throw e;
  }
}

/** Backs up the open store and records it in the store's audit log (who, where, the copy's head). */
export async function backupNow(ctx: ApiContext, dest: string) {
  // in the store's turn: a copy taken while an import writes would wait on its lock anyway
  const r = await queueFor(ctx.store).run('backup', basename(dest), () =>
    backupStore(ctx.store, dest, ctx.storeOptions),
  );
  await ctx.store.db.transaction().execute((trx) =>
    appendAudit(
      trx,
      {
        actor: actorOf(ctx),
        action: 'store.backup',
        entity: 'store',
        // the file's name, as a restore names it (the full path is in `after`)
        entityId: basename(dest),
        after: {
          file: dest,
          bytes: r.bytes,
          integrity: r.integrity,
          auditEntries: r.auditEntries,
          auditHead: r.auditHead,
        },
      },
      nowOf(ctx),
    ),
  );
  return r;
}

/** Replaces the context's store by a verified backup; the store is swapped for every later call. */
export async function restoreInto(ctx: ApiContext, file: string, reason: string) {
  // an import writing into the store would lose its work, or write into the wrong file
  if (
    importJobsFor(ctx.store)
      .list()
      .some((j) => j.status === 'running' || j.status === 'cancelling' || j.status === 'recomputing')
  )
    throw new ApiError(
      'RESTORE_BUSY',
      '有导入正在进行，请等它结束后再恢复 / an import is running: restore once it has finished',
    );
  try {
    const r = await restoreStore(
      ctx.store,
      file,
      { actor: actorOf(ctx), reason, now: nowOf(ctx) },
      ctx.storeOptions,
    );
    ctx.store = r.store;
    return r;
  } catch (e) {
    const reopened = (e as { reopened?: Store }).reopened;
    if (reopened) ctx.store = reopened;
    throw e;
  }
}

export const backupHandlers: HandlersOf<typeof backupContract> = {
  'backup.list': async (ctx) =>
    checked(async () => {
      // a team database has no folder beside it (its "file" is its URL, password and all)
      refuseTeamDatabase(ctx.store);
      return { dir: backupsDir(ctx.store), backups: listBackups(ctx.store) };
    }),
  'backup.create': async (ctx, input) =>
    checked(async () => {
      const name = `yunke-${stamp(nowOf(ctx))}.db`;
      let dest = join(backupsDir(ctx.store), name);
      if (input.choose) {
        if (!ctx.dialogs) throw new ApiError('NO_DIALOG', '此处无法选择文件 / no file dialog here');
        const chosen = await ctx.dialogs.saveFile({
          title: '备份到… / Back up to…',
          defaultName: name,
          filters: [{ name: 'Yunke Desk store', extensions: ['db'] }],
        });
        if (!chosen) return null;
        dest = chosen;
      }
      return backupNow(ctx, dest);
    }),
  'backup.restore': async (ctx, input) =>
    checked(async () => {
      let file: string;
      if (input.choose) {
        if (!ctx.dialogs) throw new ApiError('NO_DIALOG', '此处无法选择文件 / no file dialog here');
        const chosen = await ctx.dialogs.openFile({
          title: '从备份恢复… / Restore from…',
          filters: [{ name: 'Yunke Desk store', extensions: ['db'] }],
        });
        if (!chosen) return null;
        file = chosen;
      } else file = backupByName(ctx.store, input.name!);
      const r = await restoreInto(ctx, file, input.reason);
      return {
        restored: file,
        keptAside: r.keptAside,
        auditId: r.auditId,
        auditEntries: r.check.auditEntries + 1,
        auditHead: (ctx.store.sqlite.prepare('SELECT hash FROM audit_head').pluck().get() as string) ?? '',
      };
    }),
};
