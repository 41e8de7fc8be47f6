import { dashboardSummary, storeIsEmpty } from '../../dashboard/summary';
import { generateDemo } from '../../demo/generate';
import { runEngine } from '../../engine/run-engine';
import { actorOf } from '../context';
import type { HandlersOf } from '../handler-types';
import type { appContract } from './app.contract';

export const appHandlers: HandlersOf<typeof appContract> = {
  'app.info': async (ctx) => ({
    version: ctx.version,
    // a team database's URL with its password masked (the page never sees it)
    storeFile: ctx.store.where,
    teamDatabase: ctx.store.dialect === 'postgres',
    transport: ctx.transport === 'ipc' ? 'ipc' : 'bridge',
    isEmpty: await storeIsEmpty(ctx.store.db),
  }),
  'app.setLanguage': async (ctx, input) => {
    ctx.shell?.setLanguage(input.language);
    return { language: input.language };
  },
  'dashboard.summary': async (ctx) => dashboardSummary(ctx.store.db, ctx.store.where),
  'demo.load': async (ctx, input) => {
    const started = Date.now();
    const r = await generateDemo(ctx.store, {
      scale: input.scale,
      seed: input.seed,
      actor: actorOf(ctx),
    });
    // The app runs the engine after every load of data, so the first screen already shows results.
    const run = await runEngine(ctx.store, { kind: 'full' }, { storeOptions: ctx.storeOptions });
    return {
      partners: r.partners,
      customers: r.customers,
      orders: r.orders,
      validOrders: run.stats.validOrders,
      durationMs: Date.now() - started,
    };
  },
};
