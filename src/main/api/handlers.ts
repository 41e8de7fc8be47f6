import type { Handlers } from './handler-types';
import { appHandlers } from './methods/app.handlers';
import { syncHandlers } from './methods/sync.handlers';
import { stagingHandlers } from './methods/staging.handlers';
import { rulesHandlers } from './methods/rules.handlers';
import { operatorsHandlers } from './methods/operators.handlers';
import { auditHandlers } from './methods/audit.handlers';
import { configHandlers } from './methods/config.handlers';
import { backupHandlers } from './methods/backup.handlers';
import { jobsHandlers } from './methods/jobs.handlers';
import { disputesHandlers } from './methods/disputes.handlers';
import { levelsHandlers } from './methods/levels.handlers';
import { payoutsHandlers } from './methods/payouts.handlers';
import { investigationHandlers } from './methods/investigation.handlers';
import { blacklistHandlers } from './methods/blacklist.handlers';
import { teamDatabaseHandlers } from './methods/team-database.handlers';

/** Main-process implementations of the contract, one module per domain. */
export const handlers: Handlers = {
  ...appHandlers,
  ...syncHandlers,
  ...stagingHandlers,
  ...rulesHandlers,
  ...operatorsHandlers,
  ...auditHandlers,
  ...configHandlers,
  ...backupHandlers,
  ...jobsHandlers,
  ...disputesHandlers,
  ...levelsHandlers,
  ...payoutsHandlers,
  ...investigationHandlers,
  ...blacklistHandlers,
  ...teamDatabaseHandlers,
};
