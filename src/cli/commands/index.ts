import type { Command } from '../command';
import { demoCommand } from './demo';
import { explainCommand } from './explain';
import { exportCommand } from './export';
import { recomputeCommand } from './recompute';
import { importCommand } from './import';
import { pullCommand } from './pull';
import { serveCommand } from './serve';
import { operatorCommand } from './operator';
import { auditCommand } from './audit';
import { backupCommand, restoreCommand } from './backup';
import { disputeCommand } from './dispute';
import { levelCommand } from './level';
import { payoutsCommand } from './payouts';
import { blacklistCommand, riskCommand, sharedIpCommand, whatIfCommand } from './desk';

/** The commands of docs/data-formats.md, in its order, plus `serve`. */
export const commands: Command[] = [
  importCommand,
  pullCommand,
  recomputeCommand,
  explainCommand,
  exportCommand,
  demoCommand,
  operatorCommand,
  disputeCommand,
  levelCommand,
  payoutsCommand,
  blacklistCommand,
  sharedIpCommand,
  riskCommand,
  whatIfCommand,
  auditCommand,
  backupCommand,
  restoreCommand,
  serveCommand,
];
