import type { EvidenceKind } from '../../../../main/api/methods/investigation.contract';

export { EVIDENCE_KINDS } from '../../../../main/api/methods/investigation.contract';
export type { AccountKey, EvidenceKind } from '../../../../main/api/methods/investigation.contract';

/** One Mantine colour per kind of evidence: the chips, the table badges and the graph's edges. */
export const EVIDENCE_COLOR: Record<EvidenceKind, string> = {
  account: 'violet',
  phone: 'teal',
  id_number_name: 'orange',
  ip: 'blue',
};

/** The same colours as hex for the canvas (cytoscape draws outside CSS): Mantine's shade 6 / 4. */
export const EVIDENCE_HEX: Record<EvidenceKind, { light: string; dark: string }> = {
  account: { light: '#7950f2', dark: '#9775fa' },
  phone: { light: '#12b886', dark: '#38d9a9' },
  id_number_name: { light: '#fd7e14', dark: '#ffa94d' },
  ip: { light: '#228be6', dark: '#4dabf7' },
};

/** `customer:K2` → { kind: 'customer', id: 'K2' }. */
export function splitKey(key: string): { kind: 'customer' | 'partner'; id: string } {
  const i = key.indexOf(':');
  return { kind: key.slice(0, i) === 'partner' ? 'partner' : 'customer', id: key.slice(i + 1) };
}

/** Evidence kinds as they sit in the hash (`ev=phone,ip`), unknown ones dropped. */
export function readEvidence(value: string | null): EvidenceKind[] {
  const kinds = ['account', 'phone', 'id_number_name', 'ip'] as const;
  return (value ?? '').split(',').filter((v): v is EvidenceKind => (kinds as readonly string[]).includes(v));
}
