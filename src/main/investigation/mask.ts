/**
 * Identity values as a support agent sees them (R-OP-1: support reads everything, but an answer
 * pasted to a partner must not hand out another person's phone or ID): 138****0001,
 * 1101**********0011, 36.112.*.*, 张*. Admins see them whole.
 */
import type { Actor } from '../audit/chain';
import type { EvidenceKind } from '../rules/types';

/** Admins (and scripts run as the system) see identity values whole; other roles masked. */
export const seesIdentity = (actor: Actor | null): boolean =>
  actor !== null && (actor.role === 'admin' || actor.role === 'system');

/** Keeps `head` and `tail` characters, the rest as `*` (a short value keeps less). */
function keepEnds(s: string, head: number, tail: number): string {
  const chars = [...s];
  if (chars.length <= head + tail) {
    const h = Math.max(1, Math.floor(chars.length / 3));
    return chars.slice(0, h).join('') + '*'.repeat(Math.max(1, chars.length - h));
  }
  return chars.slice(0, head).join('') + '*'.repeat(chars.length - head - tail) + chars.slice(-tail).join('');
}

export function maskPhone(p: string): string {
  return keepEnds(p, 3, 4);
}

export function maskIdNumber(id: string): string {
  return keepEnds(id, 4, 4);
}

export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.min(3, Math.max(1, chars.length - 1)));
}

export function maskIp(ip: string): string {
  const v4 = ip.split('.');
  if (v4.length === 4) return `${v4[0]}.${v4[1]}.*.*`;
  const v6 = ip.split(':');
  if (v6.length > 2) return `${v6.slice(0, 2).join(':')}:*`;
  return keepEnds(ip, 2, 0);
}

/** An evidence value as stored (rules/same-person.ts: ID + name are `ID|name`), masked. */
export function maskEvidence(kind: EvidenceKind, value: string): string {
  switch (kind) {
    case 'phone':
      return maskPhone(value);
    case 'ip':
      return maskIp(value);
    case 'id_number_name': {
      const bar = value.indexOf('|');
      return bar < 0
        ? maskIdNumber(value)
        : `${maskIdNumber(value.slice(0, bar))}|${maskName(value.slice(bar + 1))}`;
    }
    case 'account':
      return value;
  }
}

export const shownEvidence = (kind: EvidenceKind, value: string, full: boolean): string =>
  full ? value : maskEvidence(kind, value);

export const shownName = (name: string | null, full: boolean): string | null =>
  name === null || full ? name : maskName(name);
