// Bundled by scripts/bench/decisions.mjs.
export { openStore } from '../../src/main/store/open-store';
export { migrations, migrationChecksum } from '../../src/main/store/migrations';
export { recomputeFull } from '../../src/main/engine/recompute';
export { dispatch } from '../../src/main/api/dispatch';
export { appendAuditSync } from '../../src/main/audit/append';
export { verifyAudit, verifyAuditStore } from '../../src/main/audit/verify';
export { backupStore } from '../../src/main/store/backup';
export { runDecisionOnFile } from '../../src/main/engine/decision-run';
export { defaultRuleConfig } from '../../src/main/rules/config';
export { backgroundWork } from '../../src/main/engine/full-run';
