import type { Handlers } from './contract';
import { appHandlers } from './methods/app.handlers';
import { syncHandlers } from './methods/sync.handlers';
import { stagingHandlers } from './methods/staging.handlers';
import { rulesHandlers } from './methods/rules.handlers';

/** Main-process implementations of the contract, one module per domain. */
export const handlers: Handlers = {
  ...appHandlers,
  ...syncHandlers,
  ...stagingHandlers,
  ...rulesHandlers,
};
