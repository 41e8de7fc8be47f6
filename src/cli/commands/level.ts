import type { DecisionOutcome } from '../../main/engine/decision-types';
import { formatInstant, parseInstant } from '../../main/rules/time';
import { actorFor, call, cliContext } from '../actor';
import { optionalFlag, parseArgs, requireFlag, UsageError } from '../args';
import { openExistingStore, type Command } from '../command';

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
const changes = (r: DecisionOutcome) =>
  r.orders.total === 1 ? '1 order changes' : `${r.orders.total} orders change`;

function instant(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const v = parseInstant(text);
  if (v === null)
    throw new UsageError(
      `--${flag} "${text}" 不是有效时间（应为 ISO 8601 或 YYYY-MM-DD HH:mm:ss） / --${flag}: "${text}" is not a time (ISO 8601 or YYYY-MM-DD HH:mm:ss)`,
    );
  return v;
}

/** What a level decision changed: the orders whose ratio and rebate move (R-LVL-3). */
function report(out: (s: string) => void, r: DecisionOutcome): void {
  for (const o of r.orders.rows)
    out(
      `  ${o.orderId}: ${o.before?.level ?? '-'} ${(o.before?.ratioBp ?? 0) / 100}% ${yuan(o.before?.rebateFen ?? 0)} → ` +
        `${o.after?.level ?? '-'} ${(o.after?.ratioBp ?? 0) / 100}% ${yuan(o.after?.rebateFen ?? 0)}`,
    );
  if (r.orders.total > r.orders.rows.length) out(`  … ${r.orders.total - r.orders.rows.length} more`);
  for (const m of r.money) out(`  ${m.partnerId}: ${yuan(m.beforeFen)} → ${yuan(m.afterFen)}`);
  if (!r.run) out('  (the engine has not run on this store yet: results follow at the next recompute)');
}

export const levelCommand: Command = {
  name: 'level',
  summary: "override a partner's level, or revoke an override (R-LVL-2)",
  usage:
    'yunke-desk level override --db FILE --partner ID --level L1..L4 --reason TEXT --as OP [--at TIME] [--until TIME]\n' +
    '       yunke-desk level revoke   --db FILE --override ID --reason TEXT --as OP',
  help:
    'An override sets the level from --at (default now) until --until (default: open-ended); orders placed\n' +
    'after it get the level’s ratio, earlier orders keep theirs (R-LVL-3). A revocation ends it now. Both run\n' +
    'through the engine like every decision (admin only, R-OP-1; logged with the reason, R-OP-2) and print the\n' +
    'orders whose rebate changes.',
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== 'override' && sub !== 'revoke')
      throw new UsageError('请指定子命令：level override | level revoke / level override | level revoke');
    const args = parseArgs(rest, {
      values: ['db', 'partner', 'level', 'reason', 'as', 'at', 'until', 'override', 'limit'],
      booleans: [],
    });
    const file = requireFlag(args, 'db');
    const reason = requireFlag(args, 'reason');
    requireFlag(args, 'as');
    const limit = Number(optionalFlag(args, 'limit') ?? 50);
    if (!Number.isInteger(limit) || limit < 1)
      throw new UsageError('--limit 必须是正整数 / --limit must be a positive integer');
    if (sub === 'override') {
      const partnerId = requireFlag(args, 'partner');
      const level = requireFlag(args, 'level');
      const effectiveAt = instant(optionalFlag(args, 'at'), 'at');
      const until = instant(optionalFlag(args, 'until'), 'until');
      const store = openExistingStore(file, 'level', io);
      if (!store) return 1;
      try {
        const actor = await actorFor(store, args);
        const r = (await call(cliContext(store, actor), 'levels.override', {
          partnerId,
          level,
          reason,
          effectiveAt,
          until: until ?? null,
          limit,
        })) as DecisionOutcome;
        const id = r.applied.overrideId as number;
        const from = formatInstant(r.applied.startsAt as number);
        io.out(
          `override ${id}: ${partnerId} at ${level} from ${from}${until !== undefined ? ` until ${formatInstant(until)}` : ''} ` +
            `(${changes(r)})`,
        );
        report(io.out, r);
        return 0;
      } finally {
        await store.close();
      }
    }
    const overrideId = Number(requireFlag(args, 'override'));
    if (!Number.isInteger(overrideId) || overrideId < 1)
      throw new UsageError('--override 应为等级调整编号 / --override takes an override id');
    if (optionalFlag(args, 'at') !== undefined)
      throw new UsageError(
        '撤销在登记时即生效，不接受 --at / a revocation takes effect when it is recorded: --at is not accepted',
      );
    const store = openExistingStore(file, 'level', io);
    if (!store) return 1;
    try {
      const actor = await actorFor(store, args);
      const r = (await call(cliContext(store, actor), 'levels.revoke', {
        overrideId,
        reason,
        limit,
      })) as DecisionOutcome;
      io.out(`override ${overrideId} revoked (${changes(r)})`);
      report(io.out, r);
      return 0;
    } finally {
      await store.close();
    }
  },
};
