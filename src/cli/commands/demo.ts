import { generateDemo } from '../../main/demo/generate';
import { openStore } from '../../main/store/open-store';
import { actorFor, requireAllowed } from '../actor';
import { optionalFlag, parseArgs, requireFlag, UsageError } from '../args';
import type { Command } from '../command';
import { recomputeFromCli } from '../full-recompute';
import { redactUrl } from '../../main/store/pg-types';
import { count } from '../count';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'write a realistic generated dataset into a store',
  usage: 'yunke-desk demo --db FILE [--scale N] [--seed N] [--no-recompute] [--as OPERATOR]',
  help:
    'Generates about N × (1,000 partners, 25,000 customers, 100,000 referral events, 50,000 orders, 2,500 refunds)\n' +
    'with realistic Chinese names, phones, ID numbers and IPs, same-person groups, self-referrals, shared office IPs,\n' +
    'eligible and ineligible product lines, prepaid and postpaid, subscriptions and refunds. Deterministic for a seed.\n' +
    'Then runs the rule engine (a full recompute as of now), as the app does after loading the demo, so every\n' +
    'screen and export has results at once; --no-recompute leaves the store without results (benchmarks).',
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['db', 'scale', 'seed', 'as'], booleans: ['no-recompute'] });
    const file = requireFlag(args, 'db');
    const scale = Number(optionalFlag(args, 'scale') ?? '1');
    const seed = Number(optionalFlag(args, 'seed') ?? '20261126');
    if (!(scale > 0) || scale > 100)
      throw new UsageError('--scale 必须是 (0, 100] 范围内的数 / --scale must be a number in (0, 100]');
    if (!Number.isInteger(seed)) throw new UsageError('--seed 必须是整数 / --seed must be an integer');
    const store = openStore(file);
    try {
      const actor = await actorFor(store, args);
      requireAllowed('demo.load', actor);
      const started = Date.now();
      let last = 0;
      const counts = await generateDemo(store, {
        scale,
        seed,
        actor,
        onProgress: ({ table, rows }) => {
          if (io.isTTY && Date.now() - last > 200) {
            last = Date.now();
            process.stderr.write(`\r${table}: ${rows.toLocaleString('en-US')} rows   `);
          }
        },
      });
      if (io.isTTY) process.stderr.write('\r\x1b[K');
      io.out(
        `demo: ${count(counts.partners, 'partner')}, ${count(counts.customers, 'customer')}, ${count(counts.referralEvents, 'referral event')}, ` +
          `${count(counts.orders, 'order')}, ${count(counts.refunds, 'refund')}, ${count(counts.disputes, 'dispute')} (${counts.openDisputes} open) in ${((Date.now() - started) / 1000).toFixed(1)} s → ${redactUrl(file)}`,
      );
      if (args.flags.get('no-recompute') !== true) {
        const run = await recomputeFromCli(store);
        io.out(
          `recompute: ${run.stats.validOrders} valid orders as of now, in ${(run.durationMs / 1000).toFixed(1)} s`,
        );
      }
      return 0;
    } finally {
      await store.close();
    }
  },
};
