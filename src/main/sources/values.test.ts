import { describe, expect, it } from 'vitest';
import { isIpAddress, parseAmountFen, parseBool, parseTimeMs } from './values';

const fen = (s: string) => parseAmountFen(s);
const ms = (s: string) => parseTimeMs(s);

describe('amounts in yuan become exact integer fen', () => {
  it.each([
    ['1200', 120000],
    ['1200.5', 120050],
    ['1,200.50', 120050],
    ['¥1200.00', 120000],
    ['￥ 1,234,567.89', 123456789],
    [' 0.01 ', 1],
    ['0', 0],
    ['1200.500', 120050],
    ['99999999999.99', 9999999999999],
  ])('%s → %i fen', (text, value) => {
    expect(fen(text)).toEqual({ ok: true, value });
  });

  it.each([
    ['-1', 'AMOUNT_NEGATIVE'],
    ['¥-5.00', 'AMOUNT_NEGATIVE'],
    ['1.234', 'AMOUNT_DECIMALS'],
    ['abc', 'AMOUNT_INVALID'],
    ['1,20', 'AMOUNT_INVALID'],
    ['12,00.5', 'AMOUNT_INVALID'],
    ['1.', 'AMOUNT_INVALID'],
    ['1e3', 'AMOUNT_INVALID'],
    ['', 'AMOUNT_INVALID'],
    ['12345678901234', 'AMOUNT_TOO_LARGE'],
  ])('%s is refused (%s)', (text, code) => {
    expect(fen(text)).toEqual({ ok: false, code });
  });

  it('never goes through floating point (0.29 yuan is 29 fen, not 28)', () => {
    expect(fen('0.29')).toEqual({ ok: true, value: 29 });
    expect(fen('1.13')).toEqual({ ok: true, value: 113 });
  });
});

describe('times become UTC epoch ms, Asia/Shanghai when no offset', () => {
  const shanghai10am = Date.UTC(2026, 2, 1, 2, 0, 0);
  it.each([
    '2026-03-01 10:00:00',
    '2026-03-01T10:00:00',
    '2026-03-01T10:00:00+08:00',
    '2026-03-01T02:00:00Z',
    '2026-03-01T02:00:00.000Z',
    '2026-03-01T12:00:00+10:00',
    '2026-03-01T12:00:00+10',
    '2026-03-01T12:30:00+1030',
    '2026-03-01T07:30:00+05:30',
    '2026/03/01 10:00',
    '2026/3/1 10:00:00',
    '2026-03-01 10:00',
  ])('%s', (text) => {
    expect(ms(text)).toEqual({ ok: true, value: shanghai10am });
  });

  it('a bare date is midnight in Shanghai', () => {
    expect(ms('2026-03-01')).toEqual({ ok: true, value: Date.UTC(2026, 1, 28, 16) });
  });

  it('keeps milliseconds', () => {
    expect(ms('2026-03-01T02:00:00.123Z')).toEqual({ ok: true, value: shanghai10am + 123 });
  });

  it.each([
    '2026-02-30 10:00:00',
    '2026-13-01',
    '2026-03-01 25:00:00',
    'yesterday',
    '03/01/2026',
    '2026-03-01T10:00:00+8',
    '',
    // cut off inside a field (a half-written file, found by the importers' fuzz test): refused,
    // never a NaN instant that reaches the store
    '2026-03-12 10:0',
    '2026-03-12 10:00:0',
    '2026-03-12T10:00:00.',
    '2026-03-12 10:00:00+08:0',
    // an offset cut off after its colon: not +05:00 (a +05:30 half written would be 30 minutes off)
    '2026-03-12 10:00:00+05:',
    '2026-03-12 10:00:00-03:',
    '2026/3/1 1',
    '2026/3/',
  ])('%s is refused', (text) => {
    expect(ms(text)).toEqual({ ok: false, code: 'TIME_INVALID' });
  });
});

describe('booleans', () => {
  it.each([
    ['true', 1],
    ['FALSE', 0],
    ['1', 1],
    ['0', 0],
    ['yes', 1],
    ['No', 0],
    ['是', 1],
    ['否', 0],
  ])('%s → %i', (text, value) => {
    expect(parseBool(text)).toEqual({ ok: true, value });
  });
  it('refuses anything else', () => {
    expect(parseBool('maybe')).toEqual({ ok: false, code: 'BOOL_INVALID' });
  });
});

describe('IP addresses (issue 12: customers.registration_ip, login_ips.ip, referral_events.ip)', () => {
  it.each([
    '0.0.0.0',
    '10.1.0.2',
    '203.0.113.7',
    '255.255.255.255',
    '::',
    '::1',
    '2001:db8::1',
    '2001:DB8:0:0:8:800:200C:417A',
    'fe80::',
    '1:2:3:4:5:6:7:8',
    '1:2:3:4:5:6:7::',
    '::2:3:4:5:6:7:8',
    '1::8',
    '::ffff:192.0.2.128',
    '64:ff9b::192.0.2.33',
    '1:2:3:4:5:6:1.2.3.4',
    '::1.2.3.4',
  ])('accepts %s', (ip) => expect(isIpAddress(ip)).toBe(true));

  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '1.2.3.04',
    '01.2.3.4',
    '00.0.0.0',
    '1..2.3',
    '1.2.3.',
    '.1.2.3',
    '1.2.3.4 ',
    '1.2.3.-4',
    '1.2.3.4/24',
    '１.2.3.4',
    'a.b.c.d',
    'localhost',
    'ip-10-1-0-2',
    ':',
    ':::',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '1::2::3',
    '12345::1',
    'g::1',
    '1:2:3:4:5:6:7:8::',
    '1:2:3:4:5:6:7::8',
    ':1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:',
    '::ffff:256.0.0.1',
    '::1.2.3',
    '1.2.3.4::',
    '1:2:3:4:5:6:7:1.2.3.4',
    'fe80::1%eth0',
    '[::1]',
  ])('refuses %j', (ip) => expect(isIpAddress(ip)).toBe(false));

  it('agrees with node:net on random dotted quads and colon groups (property)', async () => {
    const { isIP } = await import('node:net');
    const parts = [
      '0',
      '1',
      '9',
      '10',
      '99',
      '100',
      '199',
      '255',
      '256',
      '01',
      '001',
      '',
      'a',
      'ff',
      'FFFF',
      '12345',
      '0:0',
    ];
    for (let i = 0; i < 20_000; i++) {
      const n = 1 + (i % 9);
      const sep = i % 2 ? '.' : ':';
      const s = Array.from({ length: n }, () => parts[Math.floor(Math.random() * parts.length)]).join(sep);
      // node:net also takes zone ids (%eth0), which we refuse; none are generated here
      expect(isIpAddress(s), s).toBe(isIP(s) !== 0);
    }
  });
});
