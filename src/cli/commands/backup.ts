import { resolve } from 'node:path';
import { backupNow, restoreInto } from '../../main/api/methods/backup.handlers';
import { BackupError } from '../../main/store/backup';
import { actorFor, cliContext, CliRefusal, requireAllowed } from '../actor';
import { parseArgs, requireFlag } from '../args';
import { openExistingStore, type Command } from '../command';

const refusal = (e: unknown) => (e instanceof BackupError ? new CliRefusal(e.message) : e);

export const backupCommand: Command = {
  name: 'backup',
  summary: 'back the store up into a file, online, then verify the copy',
  usage: 'yunke-desk backup --db FILE --out FILE [--as OPERATOR]',
  help:
    "SQLite's online backup: the store stays usable meanwhile and the copy is one consistent snapshot. The copy is\n" +
    'then opened and checked (PRAGMA integrity_check, a migration history this build knows) before it replaces\n' +
    'anything at --out. Recorded in the audit log.',
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['db', 'out', 'as'], booleans: [] });
    const file = requireFlag(args, 'db');
    const out = resolve(requireFlag(args, 'out'));
    const store = openExistingStore(file, 'backup', io);
    if (!store) return 1;
    try {
      const actor = await actorFor(store, args);
      requireAllowed('backup.create', actor);
      const r = await backupNow(cliContext(store, actor), out).catch((e) => {
        throw refusal(e);
      });
      io.out(
        `backup: ${out} (${(r.bytes / 1048576).toFixed(1)} MB, integrity ${r.integrity}, ${r.auditEntries} audit entries, ` +
          `head ${r.auditHead}) in ${((r.copyMs + r.verifyMs) / 1000).toFixed(2)} s`,
      );
      return 0;
    } finally {
      await store.close();
    }
  },
};

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'replace the store by a verified backup (the replaced store is kept aside)',
  usage: 'yunke-desk restore --db FILE --from BACKUP --as OPERATOR [--reason TEXT]',
  help:
    'The backup is verified first (integrity, migrations). The restored store records the restore in its audit\n' +
    'log; the store it replaces is kept in backups/ beside it as pre-restore-….db.',
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['db', 'from', 'as', 'reason'], booleans: [] });
    const file = requireFlag(args, 'db');
    const from = resolve(requireFlag(args, 'from'));
    requireFlag(args, 'as');
    const store = openExistingStore(file, 'restore', io);
    if (!store) return 1;
    const ctx = cliContext(store, null);
    try {
      ctx.session.actor = await actorFor(ctx.store, args);
      requireAllowed('backup.restore', ctx.session.actor);
      const reason = args.flags.get('reason');
      const r = await restoreInto(
        ctx,
        from,
        typeof reason === 'string' ? reason : 'restore from the command line',
      ).catch((e) => {
        throw refusal(e);
      });
      io.out(
        `restore: ${file} now holds ${from} (${r.check.auditEntries} audit entries before the restore entry #${r.auditId}); ` +
          `the replaced store is kept as ${r.keptAside}`,
      );
      return 0;
    } finally {
      await ctx.store.close();
    }
  },
};
