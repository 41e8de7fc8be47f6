import { describe, expect, it } from 'vitest';
import { hintValues } from './hint-values';

describe('hintValues', () => {
  it('gives a hint the numbers and texts of its error’s details (PIN_LOCKED’s minutes), nothing else', () => {
    expect(
      hintValues({ operatorId: 'FIN3', retryAfterSeconds: 30, minutes: 1, issues: [{ path: [] }] }),
    ).toEqual({
      operatorId: 'FIN3',
      retryAfterSeconds: 30,
      minutes: 1,
    });
    expect(hintValues(undefined)).toEqual({});
    expect(hintValues([1, 2])).toEqual({});
    expect(hintValues('text')).toEqual({});
  });
});
