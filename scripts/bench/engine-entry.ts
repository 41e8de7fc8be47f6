// Bundled by scripts/bench/engine.mjs: the engine entry points the benchmark times.
export { openStore } from '../../src/main/store/open-store';
export { migrations, migrationChecksum, migrationsOf } from '../../src/main/store/migrations';
export { loadWorld } from '../../src/main/engine/load';
export { buildSamePerson } from '../../src/main/rules/same-person';
export { recomputeFull, recomputeIncremental } from '../../src/main/engine/recompute';
export { explainOrder } from '../../src/main/explain/explain-order';
export { checkpointIdle, keepAsEngineConnection } from '../../src/main/engine/engine-connection';
export { backgroundWork } from '../../src/main/engine/full-run';
export { ENGINE_RESOURCE_LIMITS } from '../../src/main/workers';
