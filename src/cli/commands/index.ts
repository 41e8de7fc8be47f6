import type { Command } from '../command';
import { demoCommand } from './demo';
import { importCommand } from './import';
import { notImplemented } from './not-implemented';
import { serveCommand } from './serve';

/** Every command of DATA.md, in the order DATA.md lists them, plus `serve`. */
export const commands: Command[] = [
  importCommand,
  notImplemented('pull', 'pull every configured API source', 'yunke-desk pull --db FILE --config FILE'),
  notImplemented('recompute', 'run the rule engine', 'yunke-desk recompute --db FILE [--as-of TIME]'),
  notImplemented(
    'explain',
    'explain why an order did or did not earn',
    'yunke-desk explain --db FILE --order ORDER_ID [--lang zh-CN|en]',
  ),
  notImplemented(
    'export',
    'export results (attributions | orders | partners | same-person | payouts)',
    'yunke-desk export --db FILE --what WHAT --format json|csv|xlsx [--out FILE]',
  ),
  demoCommand,
  serveCommand,
];
