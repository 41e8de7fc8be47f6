// Bundled by scripts/bench/team.mjs.
export { openStore } from '../../src/main/store/open-store';
export { recomputeFull } from '../../src/main/engine/recompute';
export { dispatch } from '../../src/main/api/dispatch';
export { generateDemo } from '../../src/main/demo/generate';
export { ENGINE_RESOURCE_LIMITS } from '../../src/main/workers';
