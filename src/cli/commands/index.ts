import type { Command } from '../command';
import { demoCommand } from './demo';
import { exportCommand } from './export';
import { recomputeCommand } from './recompute';
import { importCommand } from './import';
import { notImplemented } from './not-implemented';
import { serveCommand } from './serve';

/** Every command of DATA.md, in the order DATA.md lists them, plus `serve`. */
export const commands: Command[] = [
  importCommand,
  notImplemented('pull', 'pull every configured API source', 'yunke-desk pull --db FILE --config FILE'),
  recomputeCommand,
  notImplemented(
    'explain',
    'explain why an order did or did not earn',
    'yunke-desk explain --db FILE --order ORDER_ID [--lang zh-CN|en]',
  ),
  exportCommand,
  demoCommand,
  serveCommand,
];
