import { describe, expect, it } from 'vitest';
import { paddedDomain, scale, ticks } from './time-axis';

const DAY = 86_400_000;
/** Beijing wall clock → epoch ms. */
const bj = (y: number, m: number, d: number, h = 0) => Date.UTC(y, m - 1, d, h) - 8 * 3_600_000;
const beijing = (ms: number) => new Date(ms + 8 * 3_600_000);

describe('the attribution timeline axis (R-DISP-1: a customer’s events on one time axis, Beijing time)', () => {
  it('pads the instants shown, and widens a single instant to a week', () => {
    const d = paddedDomain([bj(2026, 3, 1), bj(2026, 4, 1)]);
    expect(d.from).toBeLessThan(bj(2026, 3, 1));
    expect(d.until).toBeGreaterThan(bj(2026, 4, 1));
    const one = paddedDomain([bj(2026, 3, 1, 10)]);
    expect(one.until - one.from).toBeGreaterThanOrEqual(6 * DAY);
  });

  it('maps the domain onto the pixels linearly', () => {
    const x = scale({ from: 0, until: 100 }, 10, 210);
    expect(x(0)).toBe(10);
    expect(x(50)).toBe(110);
    expect(x(100)).toBe(210);
  });

  it('puts day and week ticks on Beijing midnights, weeks on Mondays, whatever the machine zone', () => {
    const week = ticks({ from: bj(2026, 1, 7), until: bj(2026, 4, 7) }, 16);
    expect(week.length).toBeGreaterThan(5);
    for (const t of week) {
      const d = beijing(t.at);
      expect([d.getUTCHours(), d.getUTCMinutes()]).toEqual([0, 0]);
      expect(d.getUTCDay()).toBe(1); // Monday
      expect(t.month).toBe(false);
    }
    const days = ticks({ from: bj(2026, 3, 1, 10), until: bj(2026, 3, 5, 10) }, 10);
    expect(days.map((t) => beijing(t.at).getUTCDate())).toEqual([2, 3, 4, 5]);
  });

  it('switches to month ticks (the 1st, Beijing time) when days would crowd the axis', () => {
    const months = ticks({ from: bj(2025, 11, 20), until: bj(2026, 6, 10) }, 8);
    expect(months.every((t) => t.month)).toBe(true);
    expect(months.map((t) => beijing(t.at).toISOString().slice(0, 10))).toEqual([
      '2025-12-01',
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
      '2026-04-01',
      '2026-05-01',
      '2026-06-01',
    ]);
    expect(ticks({ from: bj(2020, 1, 1), until: bj(2026, 1, 1) }, 8).length).toBeLessThanOrEqual(8);
  });
});
