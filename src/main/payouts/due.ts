/**
 * What is due for a payout cycle (R-PAY-1): per partner, the confirmed rebates of the cycle minus
 * the negative balance carried in (R-CLAW-3), capped (R-REB-2, already in each rebate), frozen
 * partners left out (R-BL-1). Computed by the engine's own payout function (rules/payouts.ts)
 * over the rebates of the latest engine run and the payout lines as they are *now*: a batch
 * approved after that run already counts as paid, so nobody is paid twice for a cycle even
 * before the next recompute. When the engine ran after the last approval, this equals the
 * engine's `due` rows (`export --what payouts-due`). Portable Kysely.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { defaultRuleConfig, engineParams, ruleConfigSchema, type EngineParams } from '../rules/config';
import { payoutsOf } from '../rules/payouts';
import { cycleFromKey, type Cycle } from '../rules/time';
import type { Database } from '../store/database';
import { PayoutError } from './errors';

type Db = Kysely<Database> | Transaction<Database>;

export interface EngineRunRef {
  runId: number;
  asOf: number;
  configVersion: number;
  params: EngineParams;
}

/** The latest engine run and the rule configuration it used; refused when the engine never ran. */
export async function latestRun(db: Db): Promise<EngineRunRef> {
  const run = await db
    .selectFrom('engine_runs')
    .select(['run_id', 'as_of', 'config_version'])
    .orderBy('run_id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!run)
    throw new PayoutError(
      'PAYOUT_NO_ENGINE_RUN',
      '规则引擎尚未运行，请先重新计算 / run the rule engine first (recompute)',
    );
  const cfg = await db
    .selectFrom('rule_configs')
    .select('config_json')
    .where('version', '=', run.config_version)
    .executeTakeFirst();
  const config = cfg ? ruleConfigSchema.parse(JSON.parse(cfg.config_json)) : defaultRuleConfig;
  return {
    runId: run.run_id,
    asOf: run.as_of,
    configVersion: run.config_version,
    params: engineParams(config),
  };
}

/** A cycle key of DATA.md (`2026-04`, `2026-04a`, `2026-W15`), or a refusal naming the forms. */
export function parseCycleKey(key: string): Cycle {
  const c = cycleFromKey(key.trim());
  if (!c)
    throw new PayoutError(
      'PAYOUT_BAD_CYCLE',
      `周期 "${key}" 无法识别，应为 2026-04、2026-04a / 2026-04b 或 2026-W15 / ` +
        `"${key}" is not a cycle: use 2026-04, 2026-04a / 2026-04b or 2026-W15`,
      { cycleKey: key },
    );
  return c;
}

export interface DueLine {
  partnerId: string;
  confirmedFen: number;
  cappedFen: number;
  /** carried in from earlier cycles (negative: a clawed-back balance, R-CLAW-3) */
  carriedFen: number;
  amountFen: number;
}

export interface CycleDue {
  cycle: Cycle;
  run: EngineRunRef;
  /** partners with an amount above zero, by partner id */
  lines: DueLine[];
  /** R-BL-1: blacklisted partners with rebates confirmed in the cycle, left out */
  frozen: { partners: number; fen: number };
}

const CHUNK = 500;
async function inChunks<T>(ids: string[], fn: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await fn(ids.slice(i, i + CHUNK))));
  return out;
}

/** Fen already paid per partner and cycle: lines of approved batches, approved or paid (not failed). */
export async function paidByCycle(db: Db, partnerIds: string[]): Promise<Map<string, Map<string, number>>> {
  const rows = await inChunks(partnerIds, (chunk) =>
    db
      .selectFrom('payout_lines as l')
      .innerJoin('payout_batches as b', 'b.batch_id', 'l.batch_id')
      .select(['l.partner_id', 'b.cycle_key', 'l.amount_fen'])
      .where('b.status', '=', 'approved')
      .where('l.status', 'in', ['approved', 'paid'])
      .where('l.partner_id', 'in', chunk)
      .execute(),
  );
  const out = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const m = out.get(r.partner_id) ?? new Map<string, number>();
    m.set(r.cycle_key, (m.get(r.cycle_key) ?? 0) + r.amount_fen);
    out.set(r.partner_id, m);
  }
  return out;
}

/**
 * R-BL-1, R-OP-3: the partners among `partnerIds` with a blacklist entry in force at `at` (from its
 * effective instant, until it is lifted). The results say who was blacklisted at the engine's
 * as-of; an entry added since (the recompute not run yet) freezes the partner's rewards all the
 * same: they are never put in a payout.
 */
export async function blacklistedAt(db: Db, partnerIds: string[], at: number): Promise<Set<string>> {
  const rows = await inChunks(partnerIds, (chunk) =>
    db
      .selectFrom('blacklist_entries')
      .select('partner_id')
      .distinct()
      .where('partner_id', 'in', chunk)
      .where('added_at', '<=', at)
      .where((eb) => eb.or([eb('lifted_at', 'is', null), eb('lifted_at', '>', at)]))
      .execute(),
  );
  return new Set(rows.map((r) => r.partner_id));
}

/**
 * R-BL-3 as the engine reads it (load.ts closedCyclesOf): a cycle is closed for a partner when an
 * approved batch of it has no line of theirs (they were frozen then); a rebate of it released
 * later is carried into the next payout.
 */
export async function closedCyclesFor(
  db: Db,
  partnerIds: string[],
): Promise<(partnerId: string) => { has(cycleKey: string): boolean }> {
  const approved = new Set(
    (
      await db
        .selectFrom('payout_batches')
        .select('cycle_key')
        .distinct()
        .where('status', '=', 'approved')
        .execute()
    ).map((r) => r.cycle_key),
  );
  const lined = new Map<string, Set<string>>();
  if (approved.size > 0)
    for (const r of await inChunks(partnerIds, (chunk) =>
      db
        .selectFrom('payout_lines as l')
        .innerJoin('payout_batches as b', 'b.batch_id', 'l.batch_id')
        .select(['l.partner_id', 'b.cycle_key'])
        .distinct()
        .where('b.status', '=', 'approved')
        .where('l.partner_id', 'in', chunk)
        .execute(),
    )) {
      const set = lined.get(r.partner_id) ?? new Set<string>();
      set.add(r.cycle_key);
      lined.set(r.partner_id, set);
    }
  return (pid) => ({ has: (key) => approved.has(key) && !(lined.get(pid)?.has(key) ?? false) });
}

/**
 * R-PAY-1: what each partner is due for `cycleKey` now (`now`: a partner blacklisted at that
 * instant is left out, R-BL-1, even before the next recompute). Reads the valid orders through their
 * partial index (`status = 'valid'` as a literal), every partner's rebates of every cycle (a
 * cycle's amount depends on what earlier cycles carry into it).
 */
/**
 * R-PAY-1 as the engine computes it (engine.ts): of a partner's rebates summed per cycle, the
 * cycles with a confirmed rebate above zero (`fenOf`), as payoutsOf takes them. `cycles` keeps the
 * keys' cycles from one call to the next.
 */
export function confirmedCycles<R extends { cycle_key: string | null }>(
  rows: readonly R[],
  fenOf: (r: R) => number,
  cycles = new Map<string, Cycle | null>(),
): { cycle: Cycle; fen: number }[] {
  const out: { cycle: Cycle; fen: number }[] = [];
  for (const r of rows) {
    if (r.cycle_key === null) continue;
    let c = cycles.get(r.cycle_key);
    if (c === undefined) cycles.set(r.cycle_key, (c = cycleFromKey(r.cycle_key)));
    const fen = fenOf(r);
    if (c && fen > 0) out.push({ cycle: c, fen });
  }
  return out;
}

export async function cycleDue(db: Db, cycleKey: string, now = Date.now()): Promise<CycleDue> {
  const cycle = parseCycleKey(cycleKey);
  const run = await latestRun(db);
  // per partner with a rebate confirmed in the cycle, and per cycle up to this one: the confirmed
  // rebates not frozen, the capped part, the frozen rebates (summed by the store, one index scan)
  const valid = sql.lit('valid' as const);
  const sums = await db
    .selectFrom('result_orders')
    .select((eb) => [
      'partner_id',
      'cycle_key',
      eb.fn.sum<number>(sql`CASE WHEN rebate_status = 'frozen' THEN 0 ELSE rebate_fen END`).as('confirmed'),
      eb.fn.sum<number>(sql`CASE WHEN rebate_status = 'frozen' THEN 0 ELSE capped_fen END`).as('capped'),
      eb.fn.sum<number>(sql`CASE WHEN rebate_status = 'frozen' THEN rebate_fen ELSE 0 END`).as('frozen'),
    ])
    .where('status', '=', valid)
    .where('confirm_at', '<=', run.asOf)
    // a later cycle cannot change what this one pays (payoutsOf carries forward only)
    .where('confirm_at', '<', cycle.end)
    .where((eb) =>
      eb.or([
        eb(
          'partner_id',
          'in',
          eb
            .selectFrom('result_orders')
            .select('partner_id')
            .where('status', '=', valid)
            .where('cycle_key', '=', cycle.key)
            .where('confirm_at', '<=', run.asOf),
        ),
        // R-BL-3: partners whose released rewards the engine carried into this cycle
        eb(
          'partner_id',
          'in',
          eb
            .selectFrom('result_payouts')
            .select('partner_id')
            .where('cycle_key', '=', cycle.key)
            .where('carried_fen', '>', 0),
        ),
      ]),
    )
    .groupBy(['partner_id', 'cycle_key'])
    .orderBy('partner_id')
    .execute();
  const byPartner = new Map<string, typeof sums>();
  for (const r of sums) {
    const pid = r.partner_id!;
    let list = byPartner.get(pid);
    if (!list) byPartner.set(pid, (list = []));
    list.push(r);
  }
  const candidates = [...byPartner.keys()];
  const partners = new Map(
    (
      await inChunks(candidates, (chunk) =>
        db
          .selectFrom('result_partners')
          .select(['partner_id', 'level', 'blacklisted'])
          .where('partner_id', 'in', chunk)
          .execute(),
      )
    ).map((p) => [p.partner_id, p]),
  );
  const paid = await paidByCycle(db, candidates);
  const closedFor = await closedCyclesFor(db, candidates);
  const blacklistedNow = await blacklistedAt(db, candidates, now);
  const cycles = new Map<string, Cycle | null>();
  const lines: DueLine[] = [];
  const frozen = { partners: 0, fen: 0 };
  for (const pid of candidates) {
    const list = byPartner.get(pid)!;
    const p = partners.get(pid);
    if (!p) continue;
    const own = list.find((r) => r.cycle_key === cycle.key);
    if (p.blacklisted === 1 || blacklistedNow.has(pid)) {
      // R-BL-1: computed and shown, never put in a payout (blacklisted since the engine's run:
      // the cycle's confirmed rebates are frozen too)
      frozen.partners++;
      frozen.fen += Number(own?.frozen ?? 0) + (p.blacklisted === 1 ? 0 : Number(own?.confirmed ?? 0));
      continue;
    }
    const confirmed = confirmedCycles(list, (r) => Number(r.confirmed), cycles);
    const capped = Number(own?.capped ?? 0);
    const kind = run.params.levels.find((l) => l.id === p.level)?.cycle ?? run.params.levels[0].cycle;
    const { rows } = payoutsOf(pid, confirmed, paid.get(pid) ?? new Map(), run.asOf, kind, closedFor(pid));
    const row = rows.find((r) => r.cycleKey === cycle.key);
    if (!row || row.status !== 'due' || row.amountFen <= 0) continue;
    lines.push({
      partnerId: pid,
      confirmedFen: row.confirmedFen,
      cappedFen: capped,
      carriedFen: row.carriedFen,
      amountFen: row.amountFen,
    });
  }
  return { cycle, run, lines, frozen };
}
