/**
 * A SecretBox for the loopback bridge (`yunke-desk serve`) in tests and browser development: the
 * app seals secrets with the OS keychain (Electron's safeStorage), which a plain Node process does
 * not have. With YUNKE_BRIDGE_SECRET_KEY set (64 hex digits, 32 bytes) serve seals with
 * AES-256-GCM under that key; without it, serve has no SecretBox and refuses to keep a secret,
 * as before. Never used by the packaged app.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretBox } from './context';

export const BRIDGE_SECRET_KEY_ENV = 'YUNKE_BRIDGE_SECRET_KEY';

/** AES-256-GCM under `key`: iv (12) · tag (16) · ciphertext, base64. */
export function aesSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('an AES-256 key is 32 bytes');
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
    },
    open(sealed) {
      const buf = Buffer.from(sealed, 'base64');
      const d = createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
      d.setAuthTag(buf.subarray(12, 28));
      return Buffer.concat([d.update(buf.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

/** The bridge's SecretBox from its environment, or undefined when the key is not set. */
export function secretBoxFromEnv(env: NodeJS.ProcessEnv = process.env): SecretBox | undefined {
  const hex = env[BRIDGE_SECRET_KEY_ENV];
  if (!hex) return undefined;
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error(`${BRIDGE_SECRET_KEY_ENV} must be 64 hex digits`);
  return aesSecretBox(Buffer.from(hex, 'hex'));
}
