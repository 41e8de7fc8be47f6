import type { Handlers } from './contract';
import { appHandlers } from './methods/app.handlers';

/** Main-process implementations of the contract, one module per domain. */
export const handlers: Handlers = {
  ...appHandlers,
};
