import type { DisputePage, DisputeQueueRow, DisputeView } from '../../main/api/methods/disputes.contract';
import type { DecisionOutcome } from '../../main/engine/decision-types';
import { yuan } from '../../main/explain/messages';
import { formatInstant, parseInstant } from '../../main/rules/time';
import { actorFor, call, cliContext } from '../actor';
import { optionalFlag, parseArgs, requireFlag, UsageError, wantsJson, type ParsedArgs } from '../args';
import { openExistingStore, type CliIO, type Command } from '../command';
import { everyPage } from '../pages';

const USAGE =
  'yunke-desk dispute open   --db FILE --partner ID --customer ID [--order ID] --claim TEXT --claimed-at TIME --as OP\n' +
  '       yunke-desk dispute decide --db FILE --dispute ID --decision uphold|reject --reason TEXT --as OP [--at TIME]\n' +
  '       yunke-desk dispute revoke --db FILE --dispute ID --reason TEXT --as OP\n' +
  '       yunke-desk dispute list   --db FILE [--format json]';

/**
 * A time flag: ISO 8601 with offset, or local Asia/Shanghai (RULES.md); unreadable is a usage error
 * (exit 2), as every other command's --at and --as-of.
 */
function instantFlag(args: ParsedArgs, name: string): number | undefined {
  const v = optionalFlag(args, name);
  if (v === undefined) return undefined;
  const t = parseInstant(v);
  if (t === null)
    throw new UsageError(
      `无法识别的时间 --${name} "${v}"（应为 ISO 8601 或 YYYY-MM-DD HH:mm:ss） / --${name}: cannot read "${v}" (ISO 8601 or YYYY-MM-DD HH:mm:ss)`,
    );
  return t;
}

function disputeIdFlag(args: ParsedArgs): number {
  const v = requireFlag(args, 'dispute');
  const n = Number(v.replace(/^#/, ''));
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--dispute 应为争议编号，收到 "${v}" / --dispute takes a case number, got "${v}"`);
  return n;
}

/** What an uphold or a revoke changed, in a few lines (the orders whose money moved first). */
function report(io: CliIO, o: DecisionOutcome): void {
  if (!o.run) {
    io.out('no results yet: the decision counts from the next recompute / 尚无计算结果，下次计算时生效');
    return;
  }
  io.out(
    `results (as of ${formatInstant(o.run.asOf)}, ${o.run.mode}): ${o.orders.total} order(s) change / 变化订单 ${o.orders.total} 个`,
  );
  for (const c of o.orders.rows.slice(0, 20)) {
    const side = (s: DecisionOutcome['orders']['rows'][number]['before']) =>
      s ? `${s.partnerId ?? '—'} ${s.status} ${yuan(s.rebateFen)}` : '—';
    io.out(`  ${c.orderId}: ${side(c.before)} → ${side(c.after)}`);
  }
  for (const m of o.money) io.out(`  partner ${m.partnerId}: ${yuan(m.beforeFen)} → ${yuan(m.afterFen)}`);
}

function line(d: DisputeQueueRow): string {
  return [
    `#${d.disputeId}`,
    d.status,
    d.partnerId,
    d.customerId,
    d.orderId ?? '—',
    formatInstant(d.claimedAt),
    d.stake.fen > 0 ? yuan(d.stake.fen) : '—',
    d.claim,
  ].join('\t');
}

export const disputeCommand: Command = {
  name: 'dispute',
  summary: 'open, decide, revoke and list attribution disputes (R-DISP-1, R-DISP-2)',
  usage: USAGE,
  help:
    "open records a partner's claim that a customer is theirs (support or admin). decide upholds or rejects it\n" +
    '(admin, with a reason): upholding grants the claimant a manual attribution of the customer for 30 days, locked\n' +
    'like a registration, starting at --at (default: the instant claimed). revoke withdraws an upheld case (the\n' +
    'results are then as if it was never granted). list prints every case, oldest first; --format json prints\n' +
    '{ dispute_id, partner_id, customer_id, order_id, status } per case.\n' +
    'TIME: 2026-07-03T09:00:00+08:00, or 2026-07-03 09:00 (Asia/Shanghai). The PIN of --as comes from YUNKE_PIN.',
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (!['open', 'decide', 'revoke', 'list'].includes(sub ?? ''))
      throw new UsageError(
        '请指定子命令：dispute open | decide | revoke | list / dispute open | decide | revoke | list',
      );
    const args = parseArgs(rest, {
      values: [
        'db',
        'partner',
        'customer',
        'order',
        'claim',
        'claimed-at',
        'dispute',
        'decision',
        'reason',
        'at',
        'as',
        'format',
      ],
      booleans: [],
    });
    const file = requireFlag(args, 'db');
    if (sub === 'list') {
      const json = wantsJson(args);
      const store = openExistingStore(file, 'dispute', io);
      if (!store) return 1;
      try {
        const ctx = cliContext(store, await actorFor(store, args));
        const rows: DisputeQueueRow[] = await everyPage(
          ctx,
          async (offset, at) => (await call(at, 'disputes.list', { limit: 1000, offset })) as DisputePage,
        );
        if (json)
          io.out(
            JSON.stringify(
              rows.map((d) => ({
                dispute_id: d.disputeId,
                partner_id: d.partnerId,
                customer_id: d.customerId,
                order_id: d.orderId,
                status: d.status,
              })),
            ),
          );
        else {
          io.out(
            ['dispute', 'status', 'partner', 'customer', 'order', 'claimed_at', 'stake', 'claim'].join('\t'),
          );
          for (const d of rows) io.out(line(d));
        }
        return 0;
      } finally {
        await store.close();
      }
    }
    // decisions need a named operator (DATA.md: --as)
    if (optionalFlag(args, 'as') === undefined)
      throw new UsageError('缺少 --as（操作员） / --as OPERATOR is required');
    // the times are read before the store is opened: an unreadable one is a usage error, whatever
    // the store or the operator's PIN
    const claimedAt = sub === 'open' ? instantFlag(args, 'claimed-at') : undefined;
    const at = sub === 'decide' ? instantFlag(args, 'at') : undefined;
    const store = openExistingStore(file, 'dispute', io);
    if (!store) return 1;
    try {
      const actor = await actorFor(store, args);
      const ctx = cliContext(store, actor);
      if (sub === 'open') {
        if (claimedAt === undefined) throw new UsageError('缺少 --claimed-at / --claimed-at is required');
        const d = (await call(ctx, 'disputes.open', {
          partnerId: requireFlag(args, 'partner'),
          customerId: requireFlag(args, 'customer'),
          orderId: optionalFlag(args, 'order'),
          claim: requireFlag(args, 'claim'),
          claimedAt,
        })) as DisputeView;
        io.out(
          `dispute #${d.disputeId} opened by ${actor.operatorId}: partner ${d.partnerId} claims customer ${d.customerId}` +
            `${d.orderId ? ` (order ${d.orderId})` : ''} since ${formatInstant(d.claimedAt)} / 已登记争议 #${d.disputeId}`,
        );
        return 0;
      }
      const disputeId = disputeIdFlag(args);
      const reason = requireFlag(args, 'reason');
      if (sub === 'revoke') {
        const o = (await call(ctx, 'disputes.revoke', { disputeId, reason })) as DecisionOutcome;
        io.out(
          `dispute #${disputeId} revoked by ${actor.operatorId}: its manual attribution is withdrawn / 争议 #${disputeId} 已撤销`,
        );
        report(io, o);
        return 0;
      }
      const decision = requireFlag(args, 'decision');
      if (decision === 'reject') {
        await call(ctx, 'disputes.reject', { disputeId, reason, effectiveAt: at });
        io.out(
          `dispute #${disputeId} rejected by ${actor.operatorId}: nothing changes / 争议 #${disputeId} 已驳回`,
        );
        return 0;
      }
      if (decision !== 'uphold')
        throw new UsageError('--decision 只能是 uphold 或 reject / --decision must be uphold or reject');
      const o = (await call(ctx, 'disputes.uphold', {
        disputeId,
        reason,
        effectiveAt: at,
      })) as DecisionOutcome;
      const from = o.applied.manualFrom as number;
      io.out(
        `dispute #${disputeId} upheld by ${actor.operatorId}: partner ${String(o.applied.partnerId)} holds customer ` +
          `${String(o.applied.customerId)} by a manual attribution from ${formatInstant(from)} (R-DISP-2) / 争议 #${disputeId} 已支持`,
      );
      report(io, o);
      return 0;
    } finally {
      await store.close();
    }
  },
};
