import { readFileSync, writeFileSync } from 'node:fs';
import type {
  BankResultView,
  DecisionResult,
  PayoutFileView,
  PrepareResult,
} from '../../main/api/methods/payouts.contract';
import { formatInstant } from '../../main/rules/time';
import type { Store } from '../../main/store/open-store';
import { actorFor, call, cliContext, CliRefusal } from '../actor';
import { optionalFlag, parseArgs, requireFlag, UsageError, wantsJson, type ParsedArgs } from '../args';
import { refuseOutOverStore, openExistingStore, type Command, type CliIO } from '../command';
import { count } from '../count';

const yuan = (fen: number) =>
  `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
const lines = (n: number) => `${n} line${n === 1 ? '' : 's'}`;

function batchIdOf(args: ParsedArgs): number {
  const id = Number(requireFlag(args, 'batch'));
  if (!Number.isInteger(id) || id < 1)
    throw new UsageError('--batch 应为批次编号 / --batch takes a batch id');
  return id;
}

/** `--partner A B C` and `--partner A --partner B`: every id named (argv without them, and the ids). */
function partnersOf(argv: string[]): { rest: string[]; partners: string[] } {
  const rest: string[] = [];
  const partners: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] !== '--partner') {
      rest.push(argv[i]);
      continue;
    }
    let j = i + 1;
    while (j < argv.length && !argv[j].startsWith('--')) partners.push(argv[j++]);
    if (j === i + 1) throw new UsageError('--partner 后需要云客编号 / --partner needs a partner id');
    i = j - 1;
  }
  return { rest, partners };
}

async function withStore<T>(file: string, io: CliIO, fn: (store: Store) => Promise<T>) {
  const store = openExistingStore(file, 'payouts', io);
  if (!store) return 1;
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const DECISIONS = ['approve', 'reject', 'hold'] as const;

export const payoutsCommand: Command = {
  name: 'payouts',
  summary: 'prepare, decide, export and mark paid payout batches (R-PAY-1..3, R-OP-4)',
  usage:
    'yunke-desk payouts prepare   --db FILE --cycle KEY --as OP [--format json]   # KEY: 2026-04, 2026-04a/2026-04b, 2026-W15\n' +
    '       yunke-desk payouts decide    --db FILE --batch ID [--partner ID] --decision approve|reject|hold --reason TEXT --as OP\n' +
    '       yunke-desk payouts export    --db FILE --batch ID --format csv|xlsx --layout bank|generic --out FILE [--as OP]\n' +
    '       yunke-desk payouts mark-paid --db FILE --batch ID (--all | --partner ID... | --bank-result FILE) --as OP',
  help:
    'prepare: a batch of the cycle from the engine’s amounts due (admin or finance); partners without payee\n' +
    'details are held (MISSING_PAYEE), blacklisted ones left out. decide: finance, never the preparer, with a\n' +
    'reason; an operator with a PIN gives it in YUNKE_PIN (R-OP-4). export: an approved batch’s file; prints its\n' +
    'SHA-256, row count and total; exporting again gives identical bytes. mark-paid: approved lines paid — all,\n' +
    'some partners’, or as the bank’s result file says (CSV: 收款账号/account, 金额/amount, 状态/status; failed\n' +
    'lines return in a later batch; a file with any problem records nothing). Refusals exit 1.',
  async run(argv, io) {
    const [sub, ...tail] = argv;
    const { rest, partners } = partnersOf(tail);
    const parse = (values: string[], booleans: string[] = []) =>
      parseArgs(rest, { values: ['db', 'as', ...values], booleans });
    switch (sub) {
      case 'prepare': {
        const args = parse(['cycle', 'format']);
        if (partners.length) throw new UsageError('prepare 不接受 --partner / prepare takes no --partner');
        const file = requireFlag(args, 'db');
        const cycleKey = requireFlag(args, 'cycle');
        requireFlag(args, 'as');
        const json = wantsJson(args);
        return withStore(file, io, async (store) => {
          const actor = await actorFor(store, args);
          const r = (await call(cliContext(store, actor), 'payouts.prepare', { cycleKey })) as PrepareResult;
          // snake_case keys and the as-of as text, as the other commands' JSON
          if (json)
            io.out(
              JSON.stringify({
                batch_id: r.batchId,
                cycle: r.cycleKey,
                lines: r.lines,
                total_fen: r.totalFen,
                missing_payee: r.missingPayee,
                frozen: r.frozen,
                run_id: r.runId,
                as_of: formatInstant(r.asOf),
                config_version: r.configVersion,
              }),
            );
          else {
            io.out(
              `batch ${r.batchId} for ${r.cycleKey} prepared by ${actor.operatorId}: ${lines(r.lines)}, total ${yuan(r.totalFen)} yuan`,
            );
            if (r.missingPayee.lines)
              io.out(
                `  held, no payee details (MISSING_PAYEE): ${lines(r.missingPayee.lines)}, ${yuan(r.missingPayee.fen)} yuan`,
              );
            if (r.frozen.partners)
              io.out(
                `  left out, blacklisted (R-BL-1): ${count(r.frozen.partners, 'partner')}, ${yuan(r.frozen.fen)} yuan frozen`,
              );
          }
          return 0;
        });
      }
      case 'decide': {
        const args = parse(['batch', 'decision', 'reason', 'revision']);
        const file = requireFlag(args, 'db');
        const batchId = batchIdOf(args);
        const decision = requireFlag(args, 'decision');
        if (!(DECISIONS as readonly string[]).includes(decision))
          throw new UsageError(
            '--decision 只能是 approve、reject 或 hold / --decision must be approve, reject or hold',
          );
        const reason = requireFlag(args, 'reason');
        requireFlag(args, 'as');
        if (partners.length > 1)
          throw new UsageError(
            'decide 最多指定一个 --partner（单条明细），不指定则审批整个批次 / decide takes one --partner (a line), or none (the batch)',
          );
        const rev = optionalFlag(args, 'revision');
        return withStore(file, io, async (store) => {
          const actor = await actorFor(store, args);
          const r = (await call(cliContext(store, actor), 'payouts.decide', {
            batchId,
            partnerId: partners[0],
            decision,
            reason,
            // R-OP-4: the PIN again, from the environment (never the command line)
            confirmPin: process.env.YUNKE_PIN || undefined,
            expectedRevision: rev === undefined ? undefined : Number(rev),
          })) as DecisionResult;
          if (r.partnerId)
            io.out(
              `batch ${batchId}: the line of ${r.partnerId} is ${r.lineStatus} (by ${actor.operatorId})`,
            );
          else if (r.batchStatus === 'approved')
            io.out(
              `batch ${batchId} approved by ${actor.operatorId}: ${lines(r.approvedLines ?? 0)}, ${yuan(r.approvedFen ?? 0)} yuan; checksum ${r.checksum}`,
            );
          else io.out(`batch ${batchId} ${r.batchStatus} by ${actor.operatorId}`);
          return 0;
        });
      }
      case 'export': {
        const args = parse(['batch', 'format', 'layout', 'out']);
        if (partners.length) throw new UsageError('export 不接受 --partner / export takes no --partner');
        const file = requireFlag(args, 'db');
        const batchId = batchIdOf(args);
        const format = requireFlag(args, 'format');
        const layout = requireFlag(args, 'layout');
        const out = requireFlag(args, 'out');
        refuseOutOverStore(out, file);
        if (format !== 'csv' && format !== 'xlsx')
          throw new UsageError('--format 只能是 csv 或 xlsx / --format must be csv or xlsx');
        if (layout !== 'bank' && layout !== 'generic')
          throw new UsageError('--layout 只能是 bank 或 generic / --layout must be bank or generic');
        return withStore(file, io, async (store) => {
          const actor = await actorFor(store, args);
          const f = (await call(cliContext(store, actor), 'payouts.export', {
            batchId,
            format,
            layout,
          })) as PayoutFileView;
          writeFileSync(out, Buffer.from(f.contentBase64, 'base64'));
          io.out(`${out}: ${f.rows} row${f.rows === 1 ? '' : 's'}, total ${yuan(f.totalFen)} yuan`);
          io.out(`sha256 ${f.sha256}`);
          return 0;
        });
      }
      case 'mark-paid': {
        const args = parse(['batch', 'bank-result', 'reason'], ['all']);
        const file = requireFlag(args, 'db');
        const batchId = batchIdOf(args);
        requireFlag(args, 'as');
        const bank = optionalFlag(args, 'bank-result');
        const all = args.flags.get('all') === true;
        if ([all, partners.length > 0, bank !== undefined].filter(Boolean).length !== 1)
          throw new UsageError(
            '请在 --all、--partner ID...、--bank-result FILE 中指定一项 / give one of --all, --partner ID..., --bank-result FILE',
          );
        return withStore(file, io, async (store) => {
          const actor = await actorFor(store, args);
          const ctx = cliContext(store, actor);
          if (bank !== undefined) {
            let content: Buffer;
            try {
              content = readFileSync(bank);
            } catch {
              throw new CliRefusal(`无法读取文件 ${bank} / cannot read ${bank}`);
            }
            try {
              const r = (await call(ctx, 'payouts.bankResult', {
                batchId,
                contentBase64: content.toString('base64'),
                fileName: bank,
              })) as BankResultView;
              io.out(
                `batch ${batchId}: bank result ${bank}: ${r.paid} paid, ${r.failed} failed, ${r.unchanged} unchanged, ` +
                  `${r.notInFile} approved line${r.notInFile === 1 ? '' : 's'} not in the file`,
              );
              return 0;
            } catch (e) {
              // list every problem, line and column, before the refusal
              const check = (await call(ctx, 'payouts.bankResultPreview', {
                batchId,
                contentBase64: content.toString('base64'),
              }).catch(() => null)) as BankResultView | null;
              for (const p of check?.problems ?? [])
                io.err(
                  `${bank}${p.line ? `:${p.line}` : ''}${p.column ? ` [${p.column}]` : ''}: ${p.message} (${p.code})`,
                );
              throw e;
            }
          }
          const r = (await call(ctx, 'payouts.markPaid', {
            batchId,
            ...(all ? { all: true } : { partnerIds: partners }),
            reason: optionalFlag(args, 'reason'),
          })) as { paid: number; paidFen: number };
          io.out(
            `batch ${batchId}: ${lines(r.paid)} marked paid (${yuan(r.paidFen)} yuan) by ${actor.operatorId}`,
          );
          return 0;
        });
      }
      default:
        throw new UsageError(
          '请指定子命令：payouts prepare | decide | export | mark-paid / payouts prepare | decide | export | mark-paid',
        );
    }
  },
};
