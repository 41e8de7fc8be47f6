/**
 * Issue 12, fuzzing the contract: EVERY method of `contract`, called by a role it serves with
 * inputs from arbitrary JSON and from mutations of well-shaped inputs (generated from the
 * method's own zod schema), through dispatch, against a real store holding a small world.
 * Whatever the input: dispatch never throws, never answers INTERNAL, every refusal is a
 * structured error with a message, and a refused call writes nothing (the audit head and every
 * table's row count are unchanged). `npm run fuzz` runs many more cases; FUZZ_SEED replays one.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { t, world, type World } from '../test-support/world';
import { recomputeFull } from '../engine/recompute';
import { actor, contextFor } from '../test-support/actors';
import { fuzzParams, fuzzTimeout } from '../test-support/fuzz';
import { contract, methodNames, type MethodName } from './contract';
import type { Caller } from './define';
import { dispatch } from './dispatch';

let w: World;

beforeAll(() => {
  w = world()
    .partner('P1', { name: '张三' })
    .partner('P2', { name: '李四' })
    .customer('C1')
    .customer('C2')
    .event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00')
    .event('E2', 'P2', 'C2', 'register', '2026-03-01 11:00:00')
    .order('O1', 'C1', '2026-03-02 10:00:00', 1000)
    .order('O2', 'C2', '2026-04-02 10:00:00', 2500);
  recomputeFull(w.store, { asOf: t('2026-06-01 00:00') });
});
afterAll(async () => w?.close());

/**
 * Not called here: demo.load fills the store with a generated world (thousands of rows, seconds
 * per call); its input is fuzzed as arbitrary JSON only when that JSON is refused (checked).
 */
const SLOW_WHEN_VALID = new Set<MethodName>(['demo.load']);

/** The role a method is called with: admin when it serves admins, else the first role it serves. */
function callerOf(name: MethodName): Caller | null {
  const access = contract[name].access;
  if (access === 'public') return 'admin';
  if (access.includes('admin')) return 'admin';
  return access.find((r) => r !== 'system') ?? access[0] ?? null;
}

/** Values that mean something in the world above, so generated inputs get past lookups sometimes. */
const KNOWN = [
  'P1',
  'P2',
  'C1',
  'O1',
  'O2',
  '2026-04',
  '2026-03',
  '10.1.0.2',
  'admin',
  'fuzz',
  'a reason',
  '1',
];

interface ZodDef {
  type: string;
  checks?: { _zod: { def: Record<string, unknown> } }[];
  [k: string]: unknown;
}
const defOf = (s: unknown): ZodDef => (s as { _zod: { def: ZodDef } })._zod.def;

/** An arbitrary of inputs shaped like the schema (mostly valid, sometimes at or past a bound). */
function shaped(schema: unknown, depth = 0): fc.Arbitrary<unknown> {
  const d = defOf(schema);
  const checks = (d.checks ?? []).map((c) => c._zod.def);
  const num = (k: string) =>
    checks.find((c) => c.check === k)?.[k === 'max_length' ? 'maximum' : 'minimum'] as number | undefined;
  switch (d.type) {
    case 'string': {
      const regex = checks.find((c) => c.check === 'string_format' && c.format === 'regex')?.pattern as
        RegExp | undefined;
      const max = num('max_length') ?? 40;
      const min = num('min_length') ?? 0;
      return fc.oneof(
        fc.constantFrom(...KNOWN),
        regex
          ? fc.stringMatching(regex).map((s) => s.slice(0, max))
          : fc.string({ minLength: min, maxLength: Math.min(max, 60) }),
        fc.constantFrom(
          '2026-05-01T09:00:00+08:00',
          '2026-05-01',
          '',
          ' ',
          '../../etc/passwd',
          '=cmd|x',
          'x'.repeat(max + 1),
        ),
      );
    }
    case 'number':
    case 'int':
      return fc.oneof(
        fc.integer({ min: 0, max: 100 }),
        fc.integer(),
        fc.constantFrom(
          t('2026-05-01 09:00'),
          Number.MAX_SAFE_INTEGER,
          8_640_000_000_000_000,
          253_402_300_799_999,
          -1,
          0.5,
        ),
        fc.double(),
      );
    case 'bigint':
      return fc.bigInt();
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'undefined':
      return fc.constant(undefined);
    case 'literal':
      return fc.constantFrom(...(d.values as unknown[]));
    case 'enum':
      return fc.constantFrom(...Object.values(d.entries as Record<string, unknown>));
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return fc.option(shaped(d.innerType, depth), { nil: undefined, freq: 3 });
    case 'nullable':
      return fc.option(shaped(d.innerType, depth), { nil: null, freq: 3 });
    case 'pipe':
      return shaped(d.in, depth);
    case 'lazy':
      return depth > 3 ? fc.constant(null) : shaped((d.getter as () => unknown)(), depth + 1);
    case 'array': {
      const max = Math.min(num('max_length') ?? 5, 5);
      return depth > 4 ? fc.constant([]) : fc.array(shaped(d.element, depth + 1), { maxLength: max });
    }
    case 'tuple':
      return fc.tuple(...(d.items as unknown[]).map((i) => shaped(i, depth + 1)));
    case 'union':
      return fc.oneof(...(d.options as unknown[]).map((o) => shaped(o, depth + 1)));
    case 'intersection':
      return shaped(d.left, depth);
    case 'record':
      return depth > 4
        ? fc.constant({})
        : fc.dictionary(fc.constantFrom(...KNOWN), shaped(d.valueType, depth + 1), { maxKeys: 3 });
    case 'object': {
      const shape = d.shape as Record<string, unknown>;
      const rec: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(shape)) rec[k] = shaped(v, depth + 1);
      return fc.record(rec, {
        requiredKeys: Object.keys(shape).filter((k) => !/optional|default/.test(defOf(shape[k]).type)),
      });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A well-shaped input with one thing changed: a key dropped, a value replaced, an unknown key added. */
function mutated(schema: unknown): fc.Arbitrary<unknown> {
  return fc
    .tuple(
      shaped(schema),
      fc.nat(),
      fc.constantFrom('drop', 'replace', 'add', 'deep'),
      fc.jsonValue({ maxDepth: 3 }),
    )
    .map(([value, at, op, junk]) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return junk;
      const o = { ...(value as Record<string, unknown>) };
      const keys = Object.keys(o);
      const k = keys.length ? keys[at % keys.length] : 'x';
      if (op === 'drop') delete o[k];
      else if (op === 'replace') o[k] = junk;
      else if (op === 'add') o[`__${k}`] = junk;
      else o[k] = { [k]: [junk, o[k]] };
      return o;
    });
}

/** What a refused call must leave as it was: the audit head and the row count of every table. */
function footprint(): string {
  const db = w.store.sqlite;
  const tables = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .pluck()
    .all() as string[];
  const head = db.prepare('SELECT audit_id, hash FROM audit_log ORDER BY audit_id DESC LIMIT 1').get();
  return JSON.stringify({
    head,
    counts: tables.map((name) => [name, db.prepare(`SELECT count(*) FROM "${name}"`).pluck().get()]),
  });
}

const problems: string[] = [];
/** Outcomes by code (printed on a nightly-size run, to see how deep the inputs reach). */
const tally = new Map<string, number>();
const count = (k: string) => tally.set(k, (tally.get(k) ?? 0) + 1);

async function call(name: MethodName, input: unknown, allowValid = true): Promise<void> {
  const caller = callerOf(name);
  const ctx = contextFor(w.store, caller ? actor('fuzz', caller === 'system' ? 'system' : caller) : null);
  const before = footprint();
  let r: Awaited<ReturnType<typeof dispatch>>;
  try {
    r = await dispatch(ctx, name, input);
  } catch (e) {
    problems.push(`${name} threw ${(e as Error)?.stack ?? String(e)} on ${JSON.stringify(input)}`);
    return;
  }
  count(r.ok ? 'ok' : r.error.code);
  if (r.ok) {
    if (!allowValid) problems.push(`${name} accepted ${JSON.stringify(input)}`);
    return;
  }
  // SQLite's own error reaching the caller from an input is a bug of the handler, not a refusal
  if (
    r.error.code === 'INTERNAL' ||
    r.error.code.startsWith('SQLITE_') ||
    typeof r.error.message !== 'string' ||
    r.error.message === ''
  )
    problems.push(`${name} → ${r.error.code}: ${r.error.message} on ${JSON.stringify(input)}`);
  const after = footprint();
  if (after !== before)
    problems.push(
      `${name} refused (${r.error.code}) but wrote: ${JSON.stringify(input)}\n${before}\n${after}`,
    );
}

const { seed, numRuns } = fuzzParams('contract', 60);

describe('every contract method survives hostile input (issue 12, fuzz)', () => {
  const names = methodNames.filter((n) => !SLOW_WHEN_VALID.has(n));

  it(
    'arbitrary JSON as the input of every method: never a throw, never INTERNAL, a refusal writes nothing',
    async () => {
      problems.length = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...methodNames),
          fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.anything({ maxDepth: 3 }), fc.object({ maxDepth: 3 })),
          async (name, input) => {
            // demo.load with an input it accepts would fill the store: only the refused ones are called
            if (
              SLOW_WHEN_VALID.has(name) &&
              (contract[name].input as z.ZodType).safeParse(input ?? {}).success
            )
              return;
            await call(name, input);
          },
        ),
        { seed, numRuns: numRuns * 2, endOnFailure: true },
      );
      expect(problems).toEqual([]);
    },
    fuzzTimeout(120_000),
  );

  it(
    'well-shaped and mutated inputs of every method (each method at least once)',
    async () => {
      problems.length = 0;
      for (const name of names) {
        // every method once, shaped as its schema says
        const [value] = fc.sample(shaped(contract[name].input), { seed, numRuns: 1 });
        await call(name, value);
      }
      await fc.assert(
        fc.asyncProperty(
          fc
            .constantFrom(...names)
            .chain((name) =>
              fc.tuple(
                fc.constant(name),
                fc.oneof(shaped(contract[name].input), mutated(contract[name].input)),
              ),
            ),
          async ([name, input]) => call(name, input),
        ),
        { seed, numRuns: numRuns * 3, endOnFailure: true },
      );
      expect(problems).toEqual([]);
      if (process.env.FUZZ_RUNS)
        console.log('contract fuzz outcomes:', Object.fromEntries([...tally].sort((a, b) => b[1] - a[1])));
    },
    fuzzTimeout(180_000),
  );
});

describe('what the fuzz found, kept as plain cases', () => {
  it('dashboard.trends with an instant past any date (9007199254740991) is INVALID_INPUT, not "no such column: NaN"', async () => {
    const ctx = contextFor(w.store, actor('fuzz', 'support'));
    for (const input of [{ from: 9007199254740991 }, { until: 8_640_000_000_000_001 }, { from: -1 }])
      expect(await dispatch(ctx, 'dashboard.trends', input)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT' },
      });
    expect(await dispatch(ctx, 'dashboard.trends', { from: t('2026-03-01 00:00') })).toMatchObject({
      ok: true,
    });
  });

  it('config.preview with no levels is INVALID_INPUT, not a TypeError thrown out of dispatch', async () => {
    const ctx = contextFor(w.store, actor('fuzz', 'admin'));
    const { defaultRuleConfig } = await import('../rules/config');
    await expect(
      dispatch(ctx, 'config.preview', { config: { ...defaultRuleConfig, levels: [] }, reason: 'no levels' }),
    ).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
