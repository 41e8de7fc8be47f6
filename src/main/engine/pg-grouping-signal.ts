/**
 * The shared counters between a team database's full run and its grouping helper
 * (full-run.ts `pgGroupingRun`, pg-grouping-worker.ts): an Int32Array of SIGNAL_LENGTH.
 */
/** messages the helper has posted */
export const POSTED = 0;
/** 1 once the engine's transaction has begun under the write lock (the helper then begins and
 * posts its snapshot); 2 once the engine's transaction has taken that snapshot (the helper may
 * then end its own); -1 when the engine gave up */
export const GO = 1;
export const SIGNAL_LENGTH = 2;
