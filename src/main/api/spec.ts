/**
 * The contract between renderer and main: method name → input schema (zod), output type and
 * the tables a call writes. Free of Node and Electron imports: the preload and the renderer
 * import it. Each domain declares its methods in ./methods/<domain>.spec.ts; handlers live in
 * ./methods/<domain>.handlers.ts (main process only) and are joined to this spec in ./contract.
 */
import type { z } from 'zod';
import { appSpec } from './methods/app.spec';
import { syncSpec } from './methods/sync.spec';
import { stagingSpec } from './methods/staging.spec';
import { rulesSpec } from './methods/rules.spec';

export type { AppInfo, DashboardSummary, DemoLoadResult } from './methods/app.spec';

export const spec = {
  ...appSpec,
  ...syncSpec,
  ...stagingSpec,
  ...rulesSpec,
};

export type Spec = typeof spec;
export type MethodName = keyof Spec;
export type MethodInput<K extends MethodName> = z.input<Spec[K]['input']>;
export type MethodParsedInput<K extends MethodName> = z.output<Spec[K]['input']>;
export type MethodOutput<K extends MethodName> = Spec[K]['output'];

/** window.yunke: exactly the methods of the spec, grouped by domain ("dashboard.summary" → yunke.dashboard.summary). */
export type YunkeApi = {
  [D in DomainOf<MethodName>]: {
    [K in MethodName as K extends `${D}.${infer Verb}` ? Verb : never]: (
      input?: MethodInput<K>,
    ) => Promise<MethodOutput<K>>;
  };
};
/** "dashboard.summary" → "dashboard". (Keying the outer map by method name made every domain `{}`.) */
type DomainOf<K> = K extends `${infer Domain}.${string}` ? Domain : never;

export const methodNames = Object.keys(spec) as MethodName[];
