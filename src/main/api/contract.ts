/**
 * The contract between renderer and main: method name → input schema (zod), who may call it
 * (R-OP-1), output type and the tables a call writes. Free of Node and Electron imports: the
 * preload and the renderer import it. Each domain declares its methods in
 * ./methods/<domain>.contract.ts; handlers live in ./methods/<domain>.handlers.ts (main process
 * only) and ./dispatch runs a call against both.
 */
import type { z } from 'zod';
import { appContract } from './methods/app.contract';
import { syncContract } from './methods/sync.contract';
import { stagingContract } from './methods/staging.contract';
import { rulesContract } from './methods/rules.contract';
import { operatorsContract } from './methods/operators.contract';
import { auditContract } from './methods/audit.contract';
import { configContract } from './methods/config.contract';
import { backupContract } from './methods/backup.contract';
import { jobsContract } from './methods/jobs.contract';
import { disputesContract } from './methods/disputes.contract';
import { levelsContract } from './methods/levels.contract';
import { payoutsContract } from './methods/payouts.contract';
import { investigationContract } from './methods/investigation.contract';
import { blacklistContract } from './methods/blacklist.contract';
import { teamDatabaseContract } from './methods/team-database.contract';

export type { AppInfo, DashboardSummary, DemoLoadResult } from './methods/app.contract';

export const contract = {
  ...appContract,
  ...syncContract,
  ...stagingContract,
  ...rulesContract,
  ...operatorsContract,
  ...auditContract,
  ...configContract,
  ...backupContract,
  ...jobsContract,
  ...disputesContract,
  ...levelsContract,
  ...payoutsContract,
  ...investigationContract,
  ...blacklistContract,
  ...teamDatabaseContract,
};

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<K extends MethodName> = z.input<Contract[K]['input']>;
export type MethodParsedInput<K extends MethodName> = z.output<Contract[K]['input']>;
export type MethodOutput<K extends MethodName> = Contract[K]['output'];

/** window.yunke: exactly the methods of the contract, grouped by domain ("dashboard.summary" → yunke.dashboard.summary). */
export type YunkeApi = {
  [D in DomainOf<MethodName>]: {
    [K in MethodName as K extends `${D}.${infer Verb}` ? Verb : never]: (
      input?: MethodInput<K>,
    ) => Promise<MethodOutput<K>>;
  };
};
/** "dashboard.summary" → "dashboard". (Keying the outer map by method name made every domain `{}`.) */
type DomainOf<K> = K extends `${infer Domain}.${string}` ? Domain : never;

export const methodNames = Object.keys(contract) as MethodName[];
