// Bundled by scripts/bench/investigation.mjs: what the admin's desk benchmark calls.
export { openStore } from '../../src/main/store/open-store';
export { migrations, migrationChecksum } from '../../src/main/store/migrations';
export { recomputeFull } from '../../src/main/engine/recompute';
export { backgroundWork } from '../../src/main/engine/full-run';
export { dispatch } from '../../src/main/api/dispatch';
