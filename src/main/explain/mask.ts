/**
 * Identity data as the support role sees it (issue: support sees what support needs, and no
 * more): phone 138****0001, ID number 1101**********0011, name 张*, IP 36.112.*.*; admins and
 * finance see it in full. A masked value still tells two values apart at a glance (same ends).
 */
export function maskPhone(p: string): string {
  const d = p.replace(/\D+/g, '');
  if (d.length < 7) return '*'.repeat(d.length);
  return `${d.slice(0, 3)}${'*'.repeat(d.length - 7)}${d.slice(-4)}`;
}

export function maskIdNumber(id: string): string {
  const s = id.trim();
  if (s.length <= 8) return '*'.repeat(s.length);
  return `${s.slice(0, 4)}${'*'.repeat(s.length - 8)}${s.slice(-4)}`;
}

export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  // (a name of one character would be read whole beside its star)
  if (chars.length === 1) return '*';
  // a company keeps its last characters (…公司) so support can tell an enterprise; a person keeps the family name
  return chars.length > 6
    ? `${chars.slice(0, 2).join('')}${'*'.repeat(chars.length - 4)}${chars.slice(-2).join('')}`
    : `${chars[0]}${'*'.repeat(Math.max(1, chars.length - 1))}`;
}

export function maskIp(ip: string): string {
  const s = ip.trim();
  const v4 = s.split('.');
  if (v4.length === 4) return `${v4[0]}.${v4[1]}.*.*`;
  if (s.includes(':')) {
    const groups = s.split(':').filter(Boolean);
    return `${groups.slice(0, 2).join(':')}:*`;
  }
  return '*';
}

export function maskAccount(id: string): string {
  const s = id.trim();
  return s.length <= 4 ? '*'.repeat(s.length) : `${s.slice(0, 2)}${'*'.repeat(s.length - 4)}${s.slice(-2)}`;
}

/** A same-person evidence value (R-SAME-1) as the support role sees it. */
export function maskEvidence(evidence: string, value: string): string {
  switch (evidence) {
    case 'phone':
      return maskPhone(value);
    case 'id_number_name': {
      const [id, ...name] = value.split('|');
      return `${maskIdNumber(id)}|${maskName(name.join('|'))}`;
    }
    case 'ip':
      return maskIp(value);
    case 'account':
      return maskAccount(value);
    default:
      return '*';
  }
}

/** The identity values of an account, as the store holds them (any may be missing). */
export interface KnownIdentity {
  name?: string | null;
  phone?: string | null;
  idNumber?: string | null;
}

/**
 * Free text an operator wrote (a dispute's claim, a decision's reason) as the support role sees
 * it: each identity value of the accounts it concerns written in it — a name of two characters or
 * more, a phone, an ID number — masked as everywhere else; the other words as written. A value
 * written otherwise (a phone with dashes) is not recognized.
 */
export function maskKnownIn(text: string, known: KnownIdentity[]): string {
  // [value, masked, whether its letters match in either case (an ID number's check letter x / X)]
  const pairs: [string, string, boolean][] = [];
  for (const k of known) {
    const name = k.name?.trim() ?? '';
    const phone = k.phone?.trim() ?? '';
    const id = k.idNumber?.trim() ?? '';
    if ([...name].length >= 2) pairs.push([name, maskName(name), false]);
    if (phone.replace(/\D+/g, '').length >= 7) pairs.push([phone, maskPhone(phone), false]);
    if (id.length > 8) pairs.push([id, maskIdNumber(id), true]);
  }
  // the longest first: a name written inside a longer value is masked with it
  pairs.sort((a, b) => b[0].length - a[0].length);
  let out = text;
  for (const [value, masked, caseless] of pairs)
    out = caseless
      ? out.replace(new RegExp(value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), masked)
      : out.split(value).join(masked);
  return out;
}
