import { describe, expect, it } from 'vitest';
import { Rng } from './prng';
import {
  chineseName,
  idCheckDigit,
  uniqueCreditCode,
  uniqueIdNumber,
  uniqueIp,
  uniquePhone,
  usccCheckChar,
} from './identity';

describe('demo identities', () => {
  it('gives a correct 身份证 check digit (GB 11643) for a known number', () => {
    // the standard's worked example
    expect(idCheckDigit('11010519491231002')).toBe('X');
  });

  it('makes distinct, valid 18-digit ID numbers with a plausible adult birth date', () => {
    const seen = new Set<string>();
    const bad: string[] = [];
    for (let k = 0; k < 50_000; k++) {
      const { idNumber, male } = uniqueIdNumber(k, 12345);
      const year = Number(idNumber.slice(6, 10));
      const birth = new Date(
        `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}T00:00:00Z`,
      );
      const ok =
        /^\d{17}[\dX]$/.test(idNumber) &&
        idNumber[17] === idCheckDigit(idNumber.slice(0, 17)) &&
        birth.toISOString().slice(0, 10).replaceAll('-', '') === idNumber.slice(6, 14) &&
        year >= 1962 &&
        year <= 2006 &&
        (Number(idNumber[16]) % 2 === 1) === male;
      if (!ok) bad.push(idNumber);
      seen.add(idNumber);
    }
    expect(bad).toEqual([]);
    expect(seen.size).toBe(50_000);
  });

  it('makes distinct 11-digit mobile numbers with real 13x/15x/18x/19x prefixes', () => {
    const seen = new Set<string>();
    for (let k = 0; k < 50_000; k++) {
      seen.add(uniquePhone(k, 777));
    }
    expect([...seen].filter((p) => !/^1[3589]\d{9}$/.test(p))).toEqual([]);
    expect(seen.size).toBe(50_000);
  });

  it('makes distinct IPv4 addresses', () => {
    const seen = new Set<string>();
    for (let k = 0; k < 100_000; k++) {
      seen.add(uniqueIp(k, 99));
    }
    const octet = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
    const ipv4 = new RegExp(`^${octet}\\.${octet}\\.${octet}\\.${octet}$`);
    expect([...seen].filter((ip) => !ipv4.test(ip))).toEqual([]);
    expect(seen.size).toBe(100_000);
  });

  it('makes unified social credit codes whose check character verifies', () => {
    for (let k = 0; k < 2_000; k++) {
      const code = uniqueCreditCode(k, 5);
      expect(code).toMatch(/^91\d{6}[0-9X]{9}[0-9A-HJ-NPQRTUWXY]$/);
      expect(code[17]).toBe(usccCheckChar(code.slice(0, 17)));
    }
  });

  it('writes Chinese names of two to four characters', () => {
    const rng = new Rng(3);
    for (let k = 0; k < 1_000; k++) expect(chineseName(rng, k % 2 === 0)).toMatch(/^[\u4e00-\u9fa5]{2,4}$/);
  });
});
