import type { EngineParams } from './config';
import type { ExpEntry, LevelChange, LevelOverrideIn } from './types';

export interface LevelAt {
  level: EngineParams['levels'][number];
  /** net experience credited strictly before t */
  experienceBefore: number;
  source: 'experience' | 'override';
  overrideId: number | null;
}

/**
 * R-LVL-1: the level at t is the highest whose threshold the net experience *before* t reaches
 * (credits at the earning order's time, debits at the refund's time, never retroactive).
 * R-LVL-2: an override in force at t wins (latest start, then highest id, when several overlap);
 * a revoked override ends at its revocation. R-LVL-3 follows: an order uses the level of its time.
 */
export class LevelTimeline {
  private readonly times: number[];
  private readonly cumulative: number[];
  constructor(
    exp: ExpEntry[],
    private readonly overrides: LevelOverrideIn[],
    private readonly params: EngineParams,
  ) {
    const sorted = [...exp].sort((a, b) => a.at - b.at);
    this.times = sorted.map((e) => e.at);
    this.cumulative = [];
    let s = 0;
    for (const e of sorted) this.cumulative.push((s += e.delta));
  }

  /** net experience of entries with time < t (or ≤ t when inclusive) */
  experienceBefore(t: number, inclusive = false): number {
    let lo = 0;
    let hi = this.times.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (inclusive ? this.times[mid] <= t : this.times[mid] < t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? 0 : Math.max(0, this.cumulative[found]);
  }

  levelForExperience(x: number): EngineParams['levels'][number] {
    const levels = this.params.levels;
    let l = levels[0];
    for (const cand of levels) if (x >= cand.threshold) l = cand;
    return l;
  }

  at(t: number, inclusive = false): LevelAt {
    const x = this.experienceBefore(t, inclusive);
    let best: LevelOverrideIn | null = null;
    for (const o of this.overrides) {
      if (o.from <= t && (o.until === null || t < o.until)) {
        if (!best || o.from > best.from || (o.from === best.from && o.overrideId > best.overrideId)) best = o;
      }
    }
    if (best) {
      const lvl = this.params.levels.find((l) => l.id === best.level);
      if (lvl) return { level: lvl, experienceBefore: x, source: 'override', overrideId: best.overrideId };
    }
    return { level: this.levelForExperience(x), experienceBefore: x, source: 'experience', overrideId: null };
  }

  /**
   * The level over time up to `until` (inclusive), a row where it changes: the first row at
   * instant 0, then at every instant experience is credited or deducted and at every start and
   * end of an override, the level from that instant on (after what is credited at it).
   */
  changes(until: number): LevelChange[] {
    const instants = new Set<number>([0, ...this.times]);
    for (const o of this.overrides) {
      instants.add(o.from);
      if (o.until !== null) instants.add(o.until);
    }
    const out: LevelChange[] = [];
    for (const t of [...instants].filter((x) => x >= 0 && x <= until).sort((a, b) => a - b)) {
      const l = this.at(t, true);
      const last = out[out.length - 1];
      if (last && last.level === l.level.id && last.source === l.source && last.overrideId === l.overrideId)
        continue;
      out.push({
        at: t,
        level: l.level.id,
        experience: l.experienceBefore,
        source: l.source,
        overrideId: l.overrideId,
      });
    }
    return out;
  }
}
