/**
 * The contract between renderer and main: method name → input schema, output type and the
 * tables a call writes. This file must stay free of Node and Electron imports: the preload
 * and the renderer import it. Handlers live in ./handlers (main process only) and are joined
 * to this spec in ./contract.
 */
import { z } from 'zod';
import type { TableName } from '../store/database';

/** Declares one method; `output` is a phantom type carrier, never read at run time. */
function method<I extends z.ZodType, O>(input: I, writes: TableName[] = []) {
  return { input, writes, output: undefined as unknown as O };
}

export interface DashboardSummary {
  storeFile: string;
  counts: {
    partners: number;
    customers: number;
    referralEvents: number;
    orders: number;
    refunds: number;
    productLines: number;
  };
  results: {
    computedAt: number | null;
    asOf: number | null;
    configVersion: number | null;
    validOrders: number;
    rebateFen: number;
    pendingFen: number;
    confirmedFen: number;
    frozenFen: number;
    blacklistedPartners: number;
    samePersonGroups: number;
  };
  ordersByStatus: { status: string; count: number }[];
  levels: { level: string; partners: number }[];
  lastImportAt: number | null;
}

export interface DemoLoadResult {
  partners: number;
  customers: number;
  orders: number;
  durationMs: number;
}

export interface AppInfo {
  version: string;
  storeFile: string;
  transport: 'ipc' | 'bridge';
  isEmpty: boolean;
}

export const spec = {
  'app.info': method<z.ZodObject<Record<string, never>>, AppInfo>(z.object({}).strict()),
  'dashboard.summary': method<z.ZodObject<Record<string, never>>, DashboardSummary>(z.object({}).strict()),
  'demo.load': method<z.ZodObject<{ scale: z.ZodDefault<z.ZodNumber>; seed: z.ZodDefault<z.ZodNumber> }>, DemoLoadResult>(
    z
      .object({
        scale: z.number().positive().max(5).default(0.2),
        seed: z.number().int().default(20261126),
      })
      .strict(),
    ['partners', 'customers', 'referral_events', 'orders', 'refunds', 'login_ips', 'product_lines', 'sales_subjects', 'imports'],
  ),
} as const;

export type Spec = typeof spec;
export type MethodName = keyof Spec;
export type MethodInput<K extends MethodName> = z.input<Spec[K]['input']>;
export type MethodParsedInput<K extends MethodName> = z.output<Spec[K]['input']>;
export type MethodOutput<K extends MethodName> = Spec[K]['output'];

/** window.yunke: exactly the methods of the spec, grouped by domain ("dashboard.summary" → yunke.dashboard.summary). */
export type YunkeApi = {
  [D in MethodName as D extends `${infer Domain}.${string}` ? Domain : never]: {
    [K in MethodName as K extends `${D & string}.${infer Verb}` ? Verb : never]: (
      input?: MethodInput<K>,
    ) => Promise<MethodOutput<K>>;
  };
};

export const methodNames = Object.keys(spec) as MethodName[];
