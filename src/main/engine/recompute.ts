/**
 * The engine's runs against a store (R-RECALC-1: results are a pure function of sources, admin
 * decisions and the config version; every run is recorded in engine_runs). The pure rules are in
 * src/main/rules; each job of the engine has its module:
 * - full.ts: the full recompute;
 * - incremental.ts: the incremental recompute after an import or a decision;
 * - stored-groups.ts: stored groups and partners evaluated again (incremental runs, explain);
 * - partial-groups.ts: a large group evaluated for the few accounts an import touched;
 * - investigation-refresh.ts: the investigation queue rows of some groups again;
 * - run-context.ts: what they share (summary, options, config, last run, stored groups);
 * - decision-run.ts: decisions and what-ifs, through the incremental or full run.
 */
export { recomputeFull } from './full';
export { recomputeIncremental, type IncrementalScope } from './incremental';
export { lastRun, type LastRun, type RecomputeOptions, type RunSummary } from './run-context';
export {
  attributeStoredCustomer,
  evaluatePartnersWith,
  evaluateStoredGroups,
  rebateSignature,
  type ExplainFocus,
  type GroupsEvaluation,
  type KnownGroups,
} from './stored-groups';
export { PARTIAL_GROUP_MIN_CUSTOMERS, type PartialScope } from './partial-groups';
export type { OrderResult } from '../rules/types';
