import type { z } from 'zod';
import type { ApiContext } from './context';
import type { MethodName, MethodOutput, MethodParsedInput } from './contract';

export type Handler<K extends MethodName> = (
  ctx: ApiContext,
  input: MethodParsedInput<K>,
) => Promise<MethodOutput<K>>;
export type Handlers = { [K in MethodName]: Handler<K> };

/** Handlers for one domain's contract object (./methods/<domain>.handlers.ts). */
export type HandlersOf<S extends Record<string, { input: z.ZodType; output: unknown }>> = {
  [K in keyof S]: (ctx: ApiContext, input: z.output<S[K]['input']>) => Promise<S[K]['output']>;
};
