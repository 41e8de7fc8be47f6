import { refreshTrends } from '../../main/dashboard/trends';
import { formatInstant, parseInstant } from '../../main/rules/time';
import { actorFor, requireAllowed } from '../actor';
import { optionalFlag, parseArgs, requireFlag, UsageError } from '../args';
import { openExistingStore, type Command } from '../command';
import { recomputeFromCli } from '../full-recompute';
import { count } from '../count';

export const recomputeCommand: Command = {
  name: 'recompute',
  summary: 'run the rule engine',
  usage: 'yunke-desk recompute --db FILE [--as-of TIME] [--config-version N] [--as OPERATOR]',
  help:
    'Recomputes attributions, same-person groups, valid orders, rebates, experience, levels, clawbacks,\n' +
    'risk flags and payouts from the store (R-RECALC-1). --as-of fixes "now" (pending vs confirmed,\n' +
    'active vs expired); TIME is ISO 8601 with an offset or "YYYY-MM-DD HH:mm:ss" (Asia/Shanghai). Default: now.',
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['db', 'as-of', 'config-version', 'as'], booleans: [] });
    const file = requireFlag(args, 'db');
    const asOfText = optionalFlag(args, 'as-of');
    let asOf: number | undefined;
    if (asOfText !== undefined) {
      const v = parseInstant(asOfText);
      if (v === null)
        throw new UsageError(
          `无法识别的时间 --as-of "${asOfText}"（应为 ISO 8601 或 YYYY-MM-DD HH:mm:ss） / --as-of: cannot read "${asOfText}" (ISO 8601 or YYYY-MM-DD HH:mm:ss)`,
        );
      asOf = v;
    }
    const cv = optionalFlag(args, 'config-version');
    if (cv !== undefined && !/^\d+$/.test(cv))
      throw new UsageError('--config-version 必须是正整数 / --config-version must be a positive integer');
    const store = openExistingStore(file, 'recompute', io);
    if (!store) return 1;
    try {
      const actor = await actorFor(store, args);
      requireAllowed('engine.recompute', actor);
      const r = await recomputeFromCli(store, {
        asOf,
        configVersion: cv === undefined ? undefined : Number(cv),
        audit: { actor, action: 'engine.recompute', entity: 'store' },
      });
      // the dashboard's weekly trends of this run, kept with the results (dashboard/trends.ts)
      await refreshTrends(store.db).catch(() => undefined);
      const d = r.stats.dangling;
      io.out(
        `recompute: run ${r.runId}, config v${r.configVersion}, as of ${formatInstant(r.asOf)}: ` +
          `${count(r.stats.orders, 'order')} (${r.stats.validOrders} valid), ${count(r.stats.partners, 'partner')}, ` +
          `${count(r.stats.samePersonGroups, 'same-person group')} in ${(r.durationMs / 1000).toFixed(2)} s`,
      );
      if (d.events + d.orders + d.refunds > 0) {
        io.err(
          `recompute: skipped unresolved references — ${count(d.events, 'event')}, ${count(d.orders, 'order')}, ${count(d.refunds, 'refund')}` +
            (d.sample.length ? `\n  ${d.sample.join('\n  ')}` : ''),
        );
      }
      return 0;
    } finally {
      await store.close();
    }
  },
};
