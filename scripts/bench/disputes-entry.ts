// Bundled by scripts/bench/disputes.mjs: what the disputes benchmark times (issue 14).
export { openStore } from '../../src/main/store/open-store';
export { migrations, migrationChecksum } from '../../src/main/store/migrations';
export { recomputeFull } from '../../src/main/engine/recompute';
export { backgroundWork } from '../../src/main/engine/full-run';
export { dispatch } from '../../src/main/api/dispatch';
export { customerTimeline } from '../../src/main/disputes/timeline';
export { runDecisionOnFile } from '../../src/main/engine/decision-run';
