import type { Command } from '../command';
import { demoCommand } from './demo';
import { explainCommand } from './explain';
import { exportCommand } from './export';
import { recomputeCommand } from './recompute';
import { importCommand } from './import';
import { pullCommand } from './pull';
import { serveCommand } from './serve';

/** Every command of DATA.md, in the order DATA.md lists them, plus `serve`. */
export const commands: Command[] = [
  importCommand,
  pullCommand,
  recomputeCommand,
  explainCommand,
  exportCommand,
  demoCommand,
  serveCommand,
];
