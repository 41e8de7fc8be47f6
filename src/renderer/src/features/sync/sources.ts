import { syncSourceNames } from '../../../../main/api/methods/sync.contract';

export const SOURCE_NAMES = syncSourceNames;

const SOURCE_COLORS: Record<string, string> = {
  partners: 'yunke',
  customers: 'cyan',
  referral_events: 'grape',
  orders: 'teal',
  refunds: 'orange',
  login_ips: 'gray',
  product_lines: 'indigo',
  sales_subjects: 'pink',
};

export function sourceColor(source: string): string {
  return SOURCE_COLORS[source] ?? 'gray';
}
