import { describe, expect, it } from 'vitest';
import { filterInput, readFilters } from './params';

describe('the audit filters in the hash', () => {
  it('dates are Beijing calendar days, both inclusive: [00:00 of from, 00:00 after to) in UTC ms', () => {
    const f = readFilters(new URLSearchParams('from=2026-11-01&to=2026-11-02&role=support&action=config.'));
    expect(filterInput(f)).toEqual({
      role: 'support',
      action: 'config.',
      from: Date.UTC(2026, 9, 31, 16), // 2026-11-01 00:00 in Beijing
      until: Date.UTC(2026, 10, 2, 16), // 2026-11-03 00:00 in Beijing
    });
  });

  it('unreadable values are no filter at all', () => {
    const f = readFilters(new URLSearchParams('from=2026-13-45&role=root&operator=%20'));
    expect(filterInput(f)).toEqual({});
  });
});
