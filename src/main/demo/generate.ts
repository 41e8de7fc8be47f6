import type { Store } from '../store/open-store';

export interface DemoOptions {
  /** 1 ≈ 1,000 partners, 25,000 customers, 100,000 events, 50,000 orders, 2,500 refunds. */
  scale: number;
  seed: number;
  operatorId: string;
  onProgress?: (p: { table: string; rows: number }) => void;
}

export interface DemoCounts {
  partners: number;
  customers: number;
  referralEvents: number;
  orders: number;
  refunds: number;
}

export async function generateDemo(_store: Store, _options: DemoOptions): Promise<DemoCounts> {
  throw new Error('demo generator: being written (issue 2, part 8)');
}
