import { z } from 'zod';
import { ApiError, type ApiResult } from './errors';
import type { ApiContext } from './context';
import { handlers } from './handlers';
import { spec, type MethodName, type MethodOutput, type MethodParsedInput } from './spec';

export type Handler<K extends MethodName> = (
  ctx: ApiContext,
  input: MethodParsedInput<K>,
) => Promise<MethodOutput<K>>;
export type Handlers = { [K in MethodName]: Handler<K> };

/** Handlers for one domain's spec object (used by ./methods/<domain>.handlers.ts). */
export type HandlersOf<S extends Record<string, { input: z.ZodType; output: unknown }>> = {
  [K in keyof S]: (ctx: ApiContext, input: z.output<S[K]['input']>) => Promise<S[K]['output']>;
};

/** The one map: method name → input schema, tables written, handler. */
export const contract = Object.fromEntries(
  (Object.keys(spec) as MethodName[]).map((name) => [name, { ...spec[name], handler: handlers[name] }]),
) as { [K in MethodName]: Spec[K] & { handler: Handler<K> } };
type Spec = typeof spec;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(spec, name);
}

/**
 * Validates and runs one call. Never throws: every failure is a structured error
 * { code, message, details } that the renderer shows in both languages.
 */
export async function dispatch(
  ctx: ApiContext,
  name: string,
  rawInput: unknown,
): Promise<ApiResult<unknown>> {
  if (!isMethodName(name)) {
    return {
      ok: false,
      error: { code: 'UNKNOWN_METHOD', message: `Unknown method: ${name}`, details: { method: name } },
    };
  }
  const entry = contract[name];
  const parsed = (entry.input as z.ZodType).safeParse(rawInput ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: `Invalid input for ${name}`,
        details: {
          method: name,
          issues: parsed.error.issues.map((i) => ({
            path: i.path.map(String),
            message: i.message,
            code: i.code,
          })),
        },
      },
    };
  }
  try {
    const value = await (entry.handler as (c: ApiContext, i: unknown) => Promise<unknown>)(ctx, parsed.data);
    return { ok: true, value };
  } catch (e) {
    if (e instanceof ApiError) return { ok: false, error: e.toJSON() };
    const err = e as { code?: unknown; message?: unknown };
    return {
      ok: false,
      error: {
        code: typeof err.code === 'string' ? err.code : 'INTERNAL',
        message: typeof err.message === 'string' ? err.message : String(e),
      },
    };
  }
}
