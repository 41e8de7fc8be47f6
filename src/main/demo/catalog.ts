/**
 * Product lines of the demo cloud and what their orders cost. Amounts are yuan in the catalog
 * and fen in the store (integer money). R-ORDER-3 / R-EXCL-2: only lines with `eligible` earn.
 */
import { Rng, Weighted } from './prng';

export interface ProductLine {
  id: string;
  name: string;
  eligible: boolean;
}

export const PRODUCT_LINES: readonly ProductLine[] = [
  { id: 'ecs', name: '云服务器 ECS', eligible: true },
  { id: 'rds', name: '云数据库 RDS', eligible: true },
  { id: 'redis', name: '云数据库 Redis', eligible: true },
  { id: 'slb', name: '负载均衡 SLB', eligible: true },
  { id: 'oss', name: '对象存储 OSS', eligible: true },
  { id: 'polardb', name: '云原生数据库 PolarDB', eligible: true },
  { id: 'waf', name: 'Web应用防火墙', eligible: true },
  { id: 'cdn', name: 'CDN', eligible: false },
  { id: 'sms', name: '短信服务', eligible: false },
  { id: 'domain', name: '域名注册', eligible: false },
  { id: 'ssl', name: 'SSL证书', eligible: false },
  { id: 'market', name: '云市场', eligible: false },
  { id: 'support', name: '企业支持计划', eligible: false },
];

const ELIGIBLE_LINES = new Weighted<string>([
  ['ecs', 50],
  ['rds', 16],
  ['redis', 9],
  ['slb', 7],
  ['oss', 10],
  ['polardb', 4],
  ['waf', 4],
]);
const INELIGIBLE_LINES = new Weighted<string>([
  ['cdn', 30],
  ['sms', 25],
  ['domain', 25],
  ['ssl', 10],
  ['market', 8],
  ['support', 2],
]);

// 包年包月 prices in yuan: the 99 new-user ECS year, monthly plans, 1-year and 3-year terms.
const SUBSCRIPTION_YUAN = new Weighted<number>([
  [99, 18],
  [199, 8],
  [59, 5],
  [120, 5],
  [300, 6],
  [600, 14],
  [1200, 16],
  [2400, 6],
  [3600, 9],
  [7200, 3],
]);
const ENTERPRISE_SUBSCRIPTION_YUAN = new Weighted<number>([
  [1200, 10],
  [3600, 14],
  [7200, 10],
  [12000, 8],
  [36000, 5],
  [60000, 2],
  [120000, 1],
]);

export type OrderKind = 'prepaid-eligible' | 'prepaid-ineligible' | 'postpaid' | 'zero';

export interface OrderDraft {
  productLine: string;
  billing: 'prepaid' | 'postpaid';
  subscription: boolean;
  paidFen: number;
}

/** Price of a non-subscription purchase: resource packs, one-off items; log-uniform, 2 decimals. */
function oneOffFen(rng: Rng, minYuan: number, maxYuan: number): number {
  const yuan = Math.exp(rng.range(Math.log(minYuan), Math.log(maxYuan)));
  return rng.chance(0.5) ? Math.round(yuan) * 100 : Math.round(yuan * 100);
}

export function draftOrder(rng: Rng, kind: OrderKind, enterprise: boolean): OrderDraft {
  switch (kind) {
    case 'prepaid-eligible': {
      const productLine = ELIGIBLE_LINES.sample(rng);
      if (rng.chance(0.62)) {
        const yuan = (enterprise ? ENTERPRISE_SUBSCRIPTION_YUAN : SUBSCRIPTION_YUAN).sample(rng);
        return { productLine, billing: 'prepaid', subscription: true, paidFen: yuan * 100 };
      }
      return {
        productLine,
        billing: 'prepaid',
        subscription: false,
        paidFen: oneOffFen(rng, 5, enterprise ? 50_000 : 3_000),
      };
    }
    case 'prepaid-ineligible': {
      const productLine = INELIGIBLE_LINES.sample(rng);
      const fen =
        productLine === 'domain'
          ? rng.pick([5500, 6900, 3900, 100])
          : productLine === 'sms'
            ? rng.pick([1000, 4500, 10000, 50000])
            : productLine === 'ssl'
              ? rng.pick([0, 160000, 560000])
              : oneOffFen(rng, 10, enterprise ? 20_000 : 2_000);
      return {
        productLine,
        billing: 'prepaid',
        subscription: productLine === 'support' || productLine === 'ssl',
        paidFen: fen,
      };
    }
    case 'postpaid': {
      // 按量付费 monthly bills; a few cents for idle resources, thousands for busy ones.
      const productLine = rng.chance(0.55) ? ELIGIBLE_LINES.sample(rng) : INELIGIBLE_LINES.sample(rng);
      return {
        productLine,
        billing: 'postpaid',
        subscription: false,
        paidFen: Math.round(Math.exp(rng.range(Math.log(1), Math.log(enterprise ? 2_000_000 : 300_000)))),
      };
    }
    case 'zero': {
      // 0 元试用 / fully paid by a voucher (R-ORDER-3: never a valid order, never the "first").
      return {
        productLine: ELIGIBLE_LINES.sample(rng),
        billing: 'prepaid',
        subscription: rng.chance(0.5),
        paidFen: 0,
      };
    }
  }
}
