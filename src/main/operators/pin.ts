/**
 * Operator PINs (R-OP-1, R-OP-4): stored only as scrypt hashes with their own salt, compared in
 * constant time. A PIN is 4 to 12 digits.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

export const PIN_PATTERN = /^\d{4,12}$/;
const KEY_LENGTH = 32;
// N = 2^14: about 30 ms per check, slow enough against guessing a stolen store's PINs offline
const COST = { N: 1 << 14, r: 8, p: 1 };

export function hashPin(pin: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(pin, salt, KEY_LENGTH, COST);
  return `scrypt$${salt.toString('base64')}$${key.toString('base64')}`;
}

export function pinMatches(pin: string, stored: string): boolean {
  const [scheme, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const got = scryptSync(pin, Buffer.from(salt, 'base64'), expected.length, COST);
  return got.length === expected.length && timingSafeEqual(got, expected);
}
