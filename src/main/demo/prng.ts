/**
 * Seeded pseudo-random numbers for the demo generator. The demo must be byte-identical for a
 * seed (tests compare two stores), so nothing in the data may come from Math.random or the clock.
 * mulberry32: 32-bit state, fast, good enough for synthetic data (not for anything secret).
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    // splitmix-style scramble so that nearby seeds (1, 2, 3) give unrelated streams
    let s = (seed ^ 0x9e3779b9) >>> 0;
    s = Math.imul(s ^ (s >>> 16), 0x85ebca6b) >>> 0;
    s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35) >>> 0;
    this.state = (s ^ (s >>> 16)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform float in [min, max). */
  range(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)];
  }

  /** Exponentially distributed with the given mean. */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
}

/** Picks from weighted options; the weights are cumulated once, sampling is a linear scan. */
export class Weighted<T> {
  private readonly cumulative: number[] = [];
  private readonly values: T[] = [];
  private readonly total: number;

  constructor(options: readonly (readonly [T, number])[]) {
    let sum = 0;
    for (const [value, weight] of options) {
      sum += weight;
      this.values.push(value);
      this.cumulative.push(sum);
    }
    this.total = sum;
  }

  sample(rng: Rng): T {
    const x = rng.next() * this.total;
    for (let i = 0; i < this.cumulative.length; i++) if (x < this.cumulative[i]) return this.values[i];
    return this.values[this.values.length - 1];
  }
}
