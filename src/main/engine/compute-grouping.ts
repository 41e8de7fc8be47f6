/**
 * The same-person grouping of the whole store for a full recompute (R-SAME-1): the store's
 * identity evidence read on one connection (engine/load.ts), grouped by the pure rule
 * (rules/grouping.ts). The IPs marked shared at `asOf` are no evidence (R-SAME-4, R-OP-3).
 * Run by the full run's helper thread or second connection, or by the run itself.
 */
import { groupingData, type GroupingData } from '../rules/grouping';
import type { SqlPort } from '../store/sql-port';
import { loadIdentity } from './load';

export function computeGrouping(db: SqlPort, asOf: number): GroupingData {
  const { identity, sharedIps, danglingEvents } = loadIdentity(db, asOf);
  return groupingData(identity, sharedIps, danglingEvents);
}
