/**
 * The admin's desk on the command line (DATA.md "Admin decisions and payouts on the command
 * line"): `blacklist add|lift|list`, `shared-ip add|remove|list`, `risk list|decide` and
 * `what-if`. Every decision goes through the contract (the same role checks, R-OP-1, and audit
 * entries, R-OP-2, as the app) and takes effect from `--at` (R-OP-3, default now).
 */
import { readFileSync } from 'node:fs';
import type { BlacklistOutcome, BlacklistRow, RiskRow } from '../../main/api/methods/blacklist.contract';
import type { SharedIpMark, SharedIpOutcome } from '../../main/api/methods/investigation.contract';
import type { DecisionOutcome, OrderState, PartnerState } from '../../main/engine/decision-types';
import { formatInstant, parseInstant } from '../../main/rules/time';
import type { Store } from '../../main/store/open-store';
import { actorFor, call, cliContext } from '../actor';
import {
  choiceFlag,
  optionalFlag,
  parseArgs,
  requireFlag,
  UsageError,
  wantsJson,
  type ParsedArgs,
} from '../args';
import { openExistingStore, type CliIO, type Command } from '../command';
import { everyPage, type Page } from '../pages';
import { count } from '../count';

const yuan = (fen: number) => (fen / 100).toFixed(2);
/** every changed row of a what-if or decision (the contract's report limit) */
const ALL = 100_000;

function at(args: ParsedArgs): number | undefined {
  const text = optionalFlag(args, 'at');
  if (text === undefined) return undefined;
  const v = parseInstant(text);
  if (v === null)
    throw new UsageError(
      `无法识别的时间 --at "${text}"（应为 ISO 8601 或 YYYY-MM-DD HH:mm:ss） / --at: cannot read "${text}" (ISO 8601 or YYYY-MM-DD HH:mm:ss)`,
    );
  return v;
}

/** Opens an existing store, acts as --as (or the system user), runs `fn`, closes. */
async function withStore(
  args: ParsedArgs,
  command: string,
  io: CliIO,
  fn: (store: Store, ctx: ReturnType<typeof cliContext>) => Promise<number>,
): Promise<number> {
  const file = requireFlag(args, 'db');
  const store = openExistingStore(file, command, io);
  if (!store) return 1;
  try {
    const actor = await actorFor(store, args);
    return await fn(store, cliContext(store, actor));
  } finally {
    await store.close();
  }
}

/** One line about what a decision did (or a what-if would do). */
function changed(o: DecisionOutcome): string {
  if (!o.run) return 'no results computed yet: the next recompute applies it / 尚无计算结果，下次重算时生效';
  return (
    `${count(o.orders.total, 'order')}, ${count(o.partners.total, 'partner')}, ${count(o.events.total, 'link event')}, ` +
    `${count(o.members.length, 'account')} between groups change (results as of ${formatInstant(o.run.asOf)}, ` +
    `${o.run.mode}${o.run.fallback ? `: ${o.run.fallback}` : ''})`
  );
}

function laterNote(
  o: { takesEffectLater: boolean; effectiveAt: number; run: DecisionOutcome['run'] },
  io: CliIO,
) {
  if (o.takesEffectLater && o.run)
    io.err(
      `note: effective ${formatInstant(o.effectiveAt)}, after the results' as-of ${formatInstant(o.run.asOf)} — ` +
        `a recompute with a later --as-of applies it (R-OP-3) / 生效时间晚于当前结果的计算时点，以更晚时点重算后生效`,
    );
}

/** An instant as Beijing-time text for JSON output, or null. */
const instantText = (t: number | null) => (t === null ? null : formatInstant(t));

/** Every row of a list method, page by page (500 a call), in one snapshot (everyPage). */
export async function everyRow<T>(
  ctx: Parameters<typeof call>[0],
  method: 'blacklist.list' | 'ips.list',
  status: string | undefined,
  betweenPages?: () => Promise<void> | void,
): Promise<T[]> {
  return everyPage(
    ctx,
    async (offset, at) =>
      (await call(at, method, { status: status ?? 'all', limit: 500, offset })) as Page<T>,
    betweenPages,
  );
}

export const blacklistCommand: Command = {
  name: 'blacklist',
  summary: 'blacklist a partner or lift the entry (R-BL-1..3); list entries',
  usage:
    'yunke-desk blacklist add|lift --db FILE --partner ID --reason TEXT --as OP [--at TIME] [--no-restrict]\n' +
    '       yunke-desk blacklist list --db FILE [--status active|scheduled|lifted|all] [--format json]',
  help:
    "add freezes the partner's rewards while the entry is in force at the results' as-of (R-BL-1) and, unless\n" +
    '--no-restrict, makes their link events fail with PARTNER_BLACKLISTED from --at on (R-BL-2); events before\n' +
    'keep their attribution. lift ends the entry at --at; frozen rewards go into the next payout (R-BL-3).\n' +
    'Admins only (R-OP-1); logged with both instants (R-OP-2, R-OP-3).',
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== 'add' && sub !== 'lift' && sub !== 'list')
      throw new UsageError(
        '请指定子命令：blacklist add | blacklist lift | blacklist list / blacklist add | blacklist lift | blacklist list',
      );
    const args = parseArgs(rest, {
      values: ['db', 'partner', 'reason', 'as', 'at', 'status', 'format'],
      booleans: ['no-restrict'],
    });
    const json = wantsJson(args);
    if (sub === 'list') {
      const status = choiceFlag(args, 'status', ['active', 'scheduled', 'lifted', 'all']);
      return withStore(args, 'blacklist', io, async (_s, ctx) => {
        const rows = await everyRow<BlacklistRow>(ctx, 'blacklist.list', status);
        if (json)
          io.out(
            JSON.stringify(
              rows.map((r) => ({
                entry_id: r.entryId,
                partner_id: r.partnerId,
                status: r.status,
                since: formatInstant(r.since),
                until: instantText(r.until),
                restrict_promotion: r.restrictPromotion,
                reason: r.reason,
                added_by: r.addedBy,
                frozen_fen: r.frozenFen,
              })),
            ),
          );
        else
          for (const r of rows)
            io.out(
              `${r.partnerId}\t${r.status}\t${formatInstant(r.since)} → ${r.until === null ? '—' : formatInstant(r.until)}\t` +
                `${r.restrictPromotion ? 'restricted' : 'freeze only'}\tfrozen ${yuan(r.frozenFen)}\t${r.reason}`,
            );
        return 0;
      });
    }
    const partnerId = requireFlag(args, 'partner');
    const reason = requireFlag(args, 'reason');
    const effectiveAt = at(args);
    return withStore(args, 'blacklist', io, async (_s, ctx) => {
      const o = (await call(ctx, sub === 'add' ? 'blacklist.add' : 'blacklist.lift', {
        partnerId,
        reason,
        effectiveAt,
        ...(sub === 'add' ? { restrictPromotion: args.flags.get('no-restrict') !== true } : {}),
        limit: ALL,
      })) as BlacklistOutcome;
      const s = o.summary;
      io.out(
        `blacklist ${sub}: partner ${partnerId} from ${formatInstant(o.effectiveAt)} by ${ctx.session.actor!.operatorId} ` +
          `(audit #${o.auditId}) — ${changed(o)}; frozen ${yuan(s.frozenBeforeFen)} → ${yuan(s.frozenAfterFen)}`,
      );
      laterNote(o, io);
      return 0;
    });
  },
};

export const sharedIpCommand: Command = {
  name: 'shared-ip',
  summary: 'mark or unmark an IP as shared (R-SAME-4); list marks',
  usage:
    'yunke-desk shared-ip add|remove --db FILE --ip IP --reason TEXT --as OP [--at TIME]\n' +
    '       yunke-desk shared-ip list --db FILE [--status active|ended|all] [--format json]',
  help:
    'A shared IP (campus, office NAT, carrier gateway) is no longer same-person evidence from --at on: the groups\n' +
    'of the accounts seen on it split (add) or join again (remove), and only those are recomputed. Admins only.',
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== 'add' && sub !== 'remove' && sub !== 'list')
      throw new UsageError(
        '请指定子命令：shared-ip add | shared-ip remove | shared-ip list / shared-ip add | shared-ip remove | shared-ip list',
      );
    const args = parseArgs(rest, {
      values: ['db', 'ip', 'reason', 'as', 'at', 'status', 'format'],
      booleans: [],
    });
    const json = wantsJson(args);
    const status = sub === 'list' ? choiceFlag(args, 'status', ['active', 'ended', 'all']) : undefined;
    if (sub === 'list')
      return withStore(args, 'shared-ip', io, async (_s, ctx) => {
        const marks = await everyRow<SharedIpMark>(ctx, 'ips.list', status);
        // snake_case keys and instants as text, as blacklist list prints them
        if (json)
          io.out(
            JSON.stringify(
              marks.map((m) => ({
                mark_id: m.markId,
                ip: m.ip,
                active: m.active,
                marked_at: instantText(m.markedAt),
                marked_by: m.markedBy,
                reason: m.reason,
                recorded_at: instantText(m.recordedAt),
                unmarked_at: instantText(m.unmarkedAt),
                unmarked_by: m.unmarkedBy,
                unmark_reason: m.unmarkReason,
                unmark_recorded_at: instantText(m.unmarkRecordedAt),
              })),
            ),
          );
        else
          for (const m of marks)
            io.out(
              `${m.ip}\t${m.active ? 'shared' : 'not shared'}\t${formatInstant(m.markedAt)} → ` +
                `${m.unmarkedAt === null ? '—' : formatInstant(m.unmarkedAt)}\t${m.reason}`,
            );
        return 0;
      });
    const ip = requireFlag(args, 'ip');
    const reason = requireFlag(args, 'reason');
    const effectiveAt = at(args);
    return withStore(args, 'shared-ip', io, async (_s, ctx) => {
      const o = (await call(ctx, sub === 'add' ? 'ips.mark' : 'ips.unmark', {
        ip,
        reason,
        effectiveAt,
        limit: ALL,
      })) as SharedIpOutcome;
      io.out(
        `shared-ip ${sub}: ${o.ip} ${o.action === 'mark' ? 'marked shared' : 'unmarked'} from ${formatInstant(o.effectiveAt)} ` +
          `by ${ctx.session.actor!.operatorId} (audit #${o.auditId}) — ${changed(o)}`,
      );
      for (const g of o.groups) io.out(`  ${groupMoveText(g)}`);
      laterNote(o, io);
      return 0;
    });
  },
};

const groupMoveText = (g: SharedIpOutcome['groups'][number]) =>
  `${g.kind} ${g.groupId}: ${g.parts.map((p) => `${p.groupId} (${p.accounts})`).join(', ')}`;

export const riskCommand: Command = {
  name: 'risk',
  summary: 'partners flagged for repeated refunds (R-CLAW-4); blacklist or dismiss a flag',
  usage:
    'yunke-desk risk list --db FILE [--format json]\n' +
    '       yunke-desk risk decide --db FILE --partner ID --decision blacklist|dismiss --reason TEXT --as OP [--at TIME]',
  help:
    'list prints the flagged partners of the latest results: { partner_id, valid_orders, clawed_back, refund_rate_bp,\n' +
    'status } with status open, dismissed or blacklisted. A flag never blacklists by itself; a dismissed flag opens\n' +
    'again only with a clawback dated after the dismissal. decide: admins only.',
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== 'list' && sub !== 'decide')
      throw new UsageError('请指定子命令：risk list | risk decide / risk list | risk decide');
    const args = parseArgs(rest, {
      values: ['db', 'partner', 'decision', 'reason', 'as', 'at', 'format'],
      booleans: ['no-restrict'],
    });
    const json = wantsJson(args);
    if (sub === 'list')
      return withStore(args, 'risk', io, async (_s, ctx) => {
        const rows = await everyPage(
          ctx,
          async (offset, at) =>
            (await call(at, 'risk.list', {
              sort: 'partner',
              dir: 'asc',
              limit: 1000,
              offset,
            })) as Page<RiskRow>,
        );
        if (json)
          io.out(
            JSON.stringify(
              rows.map((r) => ({
                partner_id: r.partnerId,
                valid_orders: r.validOrders,
                clawed_back: r.clawedBack,
                refund_rate_bp: r.refundRateBp,
                status: r.status,
              })),
            ),
          );
        else
          for (const r of rows)
            io.out(
              `${r.partnerId}\t${r.status}\t${r.clawedBack}/${r.validOrders} clawed back (${(r.refundRateBp / 100).toFixed(2)}%)`,
            );
        return 0;
      });
    const partnerId = requireFlag(args, 'partner');
    const decision = requireFlag(args, 'decision');
    if (decision !== 'blacklist' && decision !== 'dismiss')
      throw new UsageError(
        '--decision 只能是 blacklist 或 dismiss / --decision must be blacklist or dismiss',
      );
    const reason = requireFlag(args, 'reason');
    const effectiveAt = at(args);
    return withStore(args, 'risk', io, async (_s, ctx) => {
      const o = (await call(ctx, 'risk.decide', {
        partnerId,
        decision,
        reason,
        effectiveAt,
        restrictPromotion: args.flags.get('no-restrict') !== true,
        limit: ALL,
      })) as DecisionOutcome;
      io.out(
        `risk decide: partner ${partnerId} ${decision === 'blacklist' ? 'blacklisted' : 'flag dismissed'} ` +
          `by ${ctx.session.actor!.operatorId} (audit #${o.auditId}) — ${changed(o)}`,
      );
      return 0;
    });
  },
};

const payable = (p: PartnerState | null) => (p ? p.pendingFen + p.confirmedFen : 0);
const orderSide = (s: OrderState | null) =>
  s ? { status: s.status, rebate_fen: s.rebateFen, rebate_status: s.rebateStatus } : null;

/**
 * DATA.md's what-if JSON: only what would change. Orders whose status, rebate or rebate status
 * changes; partners whose payable rebates (pending + confirmed, R-REB-3) or frozen rebates
 * (R-BL-1) change — `before_fen` / `after_fen` are the payable ones.
 */
export function whatIfJson(o: DecisionOutcome) {
  return {
    orders: o.orders.rows
      .filter(
        (c) =>
          c.before?.status !== c.after?.status ||
          (c.before?.rebateFen ?? 0) !== (c.after?.rebateFen ?? 0) ||
          (c.before?.rebateStatus ?? null) !== (c.after?.rebateStatus ?? null),
      )
      .map((c) => ({ order_id: c.orderId, before: orderSide(c.before), after: orderSide(c.after) })),
    partners: o.partners.rows
      .filter(
        (p) =>
          payable(p.before) !== payable(p.after) || (p.before?.frozenFen ?? 0) !== (p.after?.frozenFen ?? 0),
      )
      .map((p) => ({
        partner_id: p.partnerId,
        before_fen: payable(p.before),
        after_fen: payable(p.after),
        before_frozen_fen: p.before?.frozenFen ?? 0,
        after_frozen_fen: p.after?.frozenFen ?? 0,
      })),
  };
}

export const whatIfCommand: Command = {
  name: 'what-if',
  summary: 'the orders and amounts a shared IP, a blacklist or another rule configuration would change',
  usage:
    'yunke-desk what-if --db FILE (--shared-ip IP | --blacklist PARTNER_ID | --config FILE) [--at TIME] [--no-restrict] [--format json] [--as OP]',
  help:
    'Runs the real engine on the decision and rolls everything back: nothing is written. --shared-ip marks the IP\n' +
    'shared (or unmarks it when it is shared now); --blacklist adds the partner to the blacklist (or lifts the\n' +
    "entry in force); --config takes a JSON rule configuration as a new version. --at is the decision's effective\n" +
    "instant (default now: a decision effective after the results' as-of changes nothing until a later recompute).\n" +
    '--format json prints { "orders": [...], "partners": [...] } with only what would change.',
  async run(argv, io) {
    const args = parseArgs(argv, {
      values: ['db', 'shared-ip', 'blacklist', 'config', 'at', 'format', 'as'],
      booleans: ['no-restrict'],
    });
    const given = ['shared-ip', 'blacklist', 'config'].filter((f) => optionalFlag(args, f) !== undefined);
    if (given.length !== 1)
      throw new UsageError(
        '请在 --shared-ip、--blacklist、--config 中指定且只指定一项 / give exactly one of --shared-ip, --blacklist, --config',
      );
    const json = wantsJson(args);
    const effectiveAt = at(args);
    let config: unknown;
    const configFile = optionalFlag(args, 'config');
    if (configFile !== undefined) {
      try {
        config = JSON.parse(readFileSync(configFile, 'utf8'));
      } catch (e) {
        io.err(`yunke-desk what-if: cannot read ${configFile}: ${(e as Error).message} / 无法读取配置文件`);
        return 1;
      }
    }
    return withStore(args, 'what-if', io, async (_s, ctx) => {
      let o: DecisionOutcome;
      let what: string;
      const ip = optionalFlag(args, 'shared-ip');
      const partnerId = optionalFlag(args, 'blacklist');
      if (ip !== undefined) {
        const r = (await call(ctx, 'ips.preview', { ip, effectiveAt, limit: ALL })) as SharedIpOutcome;
        what = `${r.action === 'mark' ? 'marking' : 'unmarking'} IP ${r.ip} as shared`;
        laterNote(r, io);
        o = r;
        if (!json) for (const g of r.groups) io.out(`  ${groupMoveText(g)}`);
      } else if (partnerId !== undefined) {
        const r = (await call(ctx, 'blacklist.preview', {
          partnerId,
          effectiveAt,
          restrictPromotion: args.flags.get('no-restrict') !== true,
          limit: ALL,
        })) as BlacklistOutcome;
        what = `${r.action === 'add' ? 'blacklisting' : 'lifting the blacklist of'} partner ${partnerId}`;
        laterNote(r, io);
        o = r;
      } else {
        o = (await call(ctx, 'config.preview', {
          config,
          reason: 'what-if (command line)',
          effectiveAt,
          limit: ALL,
        })) as DecisionOutcome;
        what = `rule configuration ${configFile}`;
        // R-OP-3: a version counts from its effective instant, as a decision does
        const from = effectiveAt ?? Date.now();
        laterNote(
          { takesEffectLater: o.run !== null && from > o.run.asOf, effectiveAt: from, run: o.run },
          io,
        );
      }
      const changes = whatIfJson(o);
      if (json) {
        io.out(JSON.stringify(changes));
        return 0;
      }
      io.out(`what-if ${what}: ${changed(o)} — nothing written / 仅预览，未写入`);
      for (const c of changes.orders)
        io.out(
          `  order ${c.order_id}: ${c.before?.status ?? '—'} ${yuan(c.before?.rebate_fen ?? 0)} ${c.before?.rebate_status ?? ''} → ` +
            `${c.after?.status ?? '—'} ${yuan(c.after?.rebate_fen ?? 0)} ${c.after?.rebate_status ?? ''}`.trimEnd(),
        );
      for (const p of changes.partners)
        io.out(
          `  partner ${p.partner_id}: payable ${yuan(p.before_fen)} → ${yuan(p.after_fen)}, frozen ` +
            `${yuan(p.before_frozen_fen)} → ${yuan(p.after_frozen_fen)}`,
        );
      return 0;
    });
  },
};
