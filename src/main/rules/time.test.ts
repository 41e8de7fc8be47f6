import { describe, expect, it } from 'vitest';
import { cycleFromKey } from './payouts';
import { cycleOf, formatInstant, parseInstant } from './time';

describe('time', () => {
  it('reads ISO 8601 with offset and "YYYY-MM-DD HH:mm:ss" as Asia/Shanghai', () => {
    expect(parseInstant('2026-11-01T00:00:00+08:00')).toBe(Date.parse('2026-10-31T16:00:00Z'));
    expect(parseInstant('2026-11-01 00:00:00')).toBe(Date.parse('2026-10-31T16:00:00Z'));
    expect(parseInstant('2026-11-01')).toBe(Date.parse('2026-10-31T16:00:00Z'));
    expect(parseInstant('2026-02-30 00:00:00')).toBeNull();
    expect(parseInstant('next tuesday')).toBeNull();
    expect(formatInstant(Date.parse('2026-10-31T16:00:00Z'))).toBe('2026-11-01T00:00:00+08:00');
  });

  it('R-LVL-1: cycles are calendar-based in Asia/Shanghai (month, 1–15 / 16–end, Monday–Sunday)', () => {
    const at = (s: string) => parseInstant(s)!;
    expect(cycleOf('monthly', at('2026-03-31 23:59:59')).key).toBe('2026-03');
    expect(cycleOf('monthly', at('2026-04-01 00:00:00')).key).toBe('2026-04');
    expect(cycleOf('semi-monthly', at('2026-02-15 23:59:59')).key).toBe('2026-02a');
    const h2 = cycleOf('semi-monthly', at('2026-02-16 00:00:00'));
    expect([h2.key, formatInstant(h2.end)]).toEqual(['2026-02b', '2026-03-01T00:00:00+08:00']);
    const wk = cycleOf('weekly', at('2026-03-08 23:00:00')); // a Sunday
    expect([formatInstant(wk.start), formatInstant(wk.end)]).toEqual([
      '2026-03-02T00:00:00+08:00',
      '2026-03-09T00:00:00+08:00',
    ]);
    expect(cycleOf('weekly', at('2027-01-01 12:00:00')).key).toBe('2026-W53');
    for (const c of [
      wk,
      h2,
      cycleOf('monthly', at('2026-12-31 12:00:00')),
      cycleOf('weekly', at('2027-01-01 12:00:00')),
    ]) {
      expect(cycleFromKey(c.key)).toEqual(c);
    }
    // DATA.md's spelling of `payouts prepare --cycle KEY`; nothing else is a cycle
    expect(cycleFromKey('2026-04a')).toMatchObject({ kind: 'semi-monthly', key: '2026-04a' });
    expect(formatInstant(cycleFromKey('2026-04b')!.start)).toBe('2026-04-16T00:00:00+08:00');
    expect(formatInstant(cycleFromKey('2026-W15')!.start)).toBe('2026-04-06T00:00:00+08:00');
    for (const bad of ['2026-13', '2026-04c', '2026-04-H1', '2026-W54', '2025-W53', '2026-W00', '26-04', ''])
      expect(cycleFromKey(bad), bad).toBeNull();
    expect(cycleFromKey('2026-W53')?.key).toBe('2026-W53');
  });
});
