/**
 * Realistic-looking identities for the demo: Chinese names, mobile numbers, 18-digit resident ID
 * numbers (身份证) with a correct check digit, unified social credit codes (统一社会信用代码) for
 * companies, and IPv4 addresses. Every "fresh" identifier is derived from a counter through a
 * bijection, so two unrelated people never share a phone, ID number or home IP by accident: the
 * only same-person evidence (R-SAME-1) in the demo is the overlap the generator puts there on purpose.
 */
import { Rng, Weighted } from './prng';

// Frequency-weighted common surnames (top of the national list), plus a few two-character ones.
const SURNAMES = new Weighted<string>(
  (
    [
      ['王', 72],
      ['李', 70],
      ['张', 66],
      ['刘', 54],
      ['陈', 47],
      ['杨', 34],
      ['黄', 25],
      ['赵', 21],
      ['吴', 20],
      ['周', 19],
      ['徐', 15],
      ['孙', 15],
      ['马', 14],
      ['朱', 13],
      ['胡', 12],
      ['郭', 12],
      ['何', 11],
      ['高', 11],
      ['林', 10],
      ['罗', 10],
      ['郑', 9],
      ['梁', 9],
      ['谢', 8],
      ['宋', 7],
      ['唐', 7],
      ['许', 7],
      ['韩', 6],
      ['冯', 6],
      ['邓', 6],
      ['曹', 6],
      ['彭', 5],
      ['曾', 5],
      ['肖', 5],
      ['田', 5],
      ['董', 5],
      ['袁', 4],
      ['潘', 4],
      ['于', 4],
      ['蒋', 4],
      ['蔡', 4],
      ['余', 4],
      ['杜', 4],
      ['叶', 4],
      ['程', 4],
      ['苏', 3],
      ['魏', 3],
      ['吕', 3],
      ['丁', 3],
      ['任', 3],
      ['沈', 3],
      ['姚', 3],
      ['卢', 3],
      ['姜', 3],
      ['崔', 3],
      ['钟', 3],
      ['谭', 3],
      ['陆', 3],
      ['汪', 3],
      ['范', 3],
      ['金', 3],
      ['石', 3],
      ['廖', 2],
      ['贾', 2],
      ['夏', 2],
      ['韦', 2],
      ['方', 2],
      ['白', 2],
      ['邹', 2],
      ['孟', 2],
      ['熊', 2],
      ['秦', 2],
      ['邱', 2],
      ['江', 2],
      ['尹', 2],
      ['薛', 2],
      ['段', 2],
      ['雷', 2],
      ['侯', 2],
      ['龙', 2],
      ['史', 2],
      ['陶', 2],
      ['黎', 2],
      ['贺', 2],
      ['顾', 2],
      ['毛', 2],
      ['郝', 2],
      ['龚', 2],
      ['邵', 2],
      ['万', 2],
      ['钱', 2],
      ['严', 1],
      ['覃', 1],
      ['武', 1],
      ['戴', 1],
      ['莫', 1],
      ['孔', 1],
      ['欧阳', 0.5],
      ['司马', 0.2],
      ['上官', 0.2],
      ['诸葛', 0.1],
    ] as const
  ).map(([s, w]) => [s, w] as const),
);

const MALE_CHARS =
  '伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳建国峰亮成志东文晨博轩睿然泽昊天翔瑞锋坤晖彬毅哲诚'.split(
    '',
  );
const FEMALE_CHARS =
  '芳娜敏静丽艳娟霞秀玲燕丹萍红颖琳雪婷慧佳琪欣怡雨涵梦晶倩璐月瑶妍思诗悦蕾薇菲楠洁莉蓉媛璇钰婉馨'.split('');

/** A given name of one or two characters, chosen by sex (the ID number's sequence parity). */
export function chineseName(rng: Rng, male: boolean): string {
  const chars = male ? MALE_CHARS : FEMALE_CHARS;
  const surname = SURNAMES.sample(rng);
  return rng.chance(0.3) ? surname + rng.pick(chars) : surname + rng.pick(chars) + rng.pick(chars);
}

// Real mobile prefixes (13x / 15x / 18x / 19x).
const PHONE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '134',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '153',
  '155',
  '156',
  '157',
  '158',
  '159',
  '180',
  '181',
  '182',
  '183',
  '184',
  '185',
  '186',
  '187',
  '188',
  '189',
  '191',
  '193',
  '195',
  '198',
  '199',
];

/** The k-th distinct mobile number: prefix by k mod n, the 8 digits by an affine bijection of ⌊k/n⌋ mod 10^8. */
export function uniquePhone(k: number, salt: number): string {
  const n = PHONE_PREFIXES.length;
  const q = Math.floor(k / n);
  // 48271 × 1009 is coprime with 10^8 (odd, not a multiple of 5): q ↦ a·q + b is a bijection
  const rest = (48_705_439 * q + (salt % 100_000_000)) % 100_000_000;
  return PHONE_PREFIXES[k % n] + String(rest).padStart(8, '0');
}

// County-level division codes (GB/T 2260) of big cities, where most cloud users live.
const REGIONS = [
  '110101',
  '110105',
  '110108',
  '310104',
  '310115',
  '310112',
  '440106',
  '440305',
  '440304',
  '330106',
  '330108',
  '320106',
  '320506',
  '510107',
  '420106',
  '610113',
  '370102',
  '500103',
  '120101',
  '210102',
  '350203',
  '430104',
  '410105',
  '340104',
  '360102',
  '530102',
  '450103',
  '130102',
  '140105',
  '220102',
  '230103',
  '441900',
  '371202',
  '350102',
];

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643 check character of the first 17 digits of a resident ID number. */
export function idCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11];
}

const BIRTH_FROM = Date.UTC(1962, 0, 1);
const BIRTH_DAYS = 16_000; // 1962 … 2005: every holder is an adult in 2026
const ID_SPACE = BIRTH_DAYS * 999;

/** The k-th distinct resident ID number; `male` follows the sequence parity (odd = male). */
export function uniqueIdNumber(k: number, salt: number): { idNumber: string; male: boolean } {
  const region = REGIONS[k % REGIONS.length];
  const q = Math.floor(k / REGIONS.length);
  const v = (7_368_787 * q + (salt % ID_SPACE)) % ID_SPACE; // 7368787 is prime and does not divide ID_SPACE
  const day = Math.floor(v / 999);
  const seq = (v % 999) + 1;
  const d = new Date(BIRTH_FROM + day * 86_400_000);
  const birth =
    String(d.getUTCFullYear()) +
    String(d.getUTCMonth() + 1).padStart(2, '0') +
    String(d.getUTCDate()).padStart(2, '0');
  const first17 = region + birth + String(seq).padStart(3, '0');
  return { idNumber: first17 + idCheckDigit(first17), male: seq % 2 === 1 };
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** GB 32100 check character of the first 17 characters of a unified social credit code. */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i]) * USCC_WEIGHTS[i];
  return USCC_CHARS[(31 - (sum % 31)) % 31];
}

/** The k-th distinct unified social credit code (工商登记 9, 企业 1, region, org code with its own check). */
export function uniqueCreditCode(k: number, salt: number): string {
  const region = REGIONS[k % REGIONS.length];
  const q = Math.floor(k / REGIONS.length);
  const org = String((91_997 * q + (salt % 100_000_000)) % 100_000_000).padStart(8, '0');
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (org.charCodeAt(i) - 48) * ORG_WEIGHTS[i];
  const c = 11 - (sum % 11);
  const orgCheck = c === 10 ? 'X' : c === 11 ? '0' : String(c);
  const first17 = '91' + region + org + orgCheck;
  return first17 + usccCheckChar(first17);
}

const CITIES = [
  '北京',
  '上海',
  '深圳',
  '杭州',
  '广州',
  '成都',
  '南京',
  '武汉',
  '西安',
  '苏州',
  '厦门',
  '长沙',
  '合肥',
];
const BRANDS =
  '星辰 云帆 智汇 恒信 华创 博远 启明 锐思 天宇 瀚海 蓝鲸 极光 数智 新程 卓越 鼎盛 汇通 九州 东方 正和 微澜 青禾 知行 远图 深蓝 易联 优品 聚力 弘毅 睿达 云栖 乐享 飞鸟 海纳 众合 灵犀 明途 创想 盛景 安泰'.split(
    ' ',
  );
const INDUSTRIES = [
  '科技',
  '网络科技',
  '信息技术',
  '软件',
  '电子商务',
  '文化传媒',
  '教育科技',
  '数据服务',
  '供应链管理',
  '医疗科技',
  '游戏',
  '智能科技',
];

/** A company name (主体名称) like 杭州云帆网络科技有限公司. */
export function companyName(rng: Rng): string {
  const suffix = rng.chance(0.12) ? '股份有限公司' : '有限公司';
  return rng.pick(CITIES) + rng.pick(BRANDS) + rng.pick(INDUSTRIES) + suffix;
}

// First octets of large Chinese ISP blocks (telecom, unicom, mobile broadband). The blocks used
// for universities (166, 162, 202, 210), carrier gateways (117) and co-working NAT (211) are left
// out so a generated home IP never collides with one of those shared addresses.
const IP_BLOCKS = [
  36, 39, 42, 49, 58, 59, 60, 61, 101, 106, 110, 111, 112, 113, 114, 115, 116, 118, 119, 120, 121, 122, 123,
  124, 125, 171, 175, 180, 182, 183, 218, 220, 221, 222,
];

/** The k-th distinct public IPv4 address (k < 5·10^8): block by k mod n, a 24-bit bijection of ⌊k/n⌋. */
export function uniqueIp(k: number, salt: number): string {
  const n = IP_BLOCKS.length;
  let x = (Math.floor(k / n) ^ (salt & 0xffffff)) & 0xffffff;
  x = Math.imul(x, 0x2c1b3c6d) & 0xffffff;
  x ^= x >>> 12;
  x = Math.imul(x, 0x297a2d39) & 0xffffff;
  x ^= x >>> 11;
  return `${IP_BLOCKS[k % n]}.${x >>> 16}.${(x >>> 8) & 0xff}.${x & 0xff}`;
}

/** University NAT exits (CERNET): thousands of students behind a handful of addresses. */
export const UNIVERSITY_IPS: readonly { ip: string; name: string }[] = [
  { ip: '166.111.8.28', name: '清华大学' },
  { ip: '166.111.8.29', name: '清华大学' },
  { ip: '162.105.129.10', name: '北京大学' },
  { ip: '162.105.129.11', name: '北京大学' },
  { ip: '202.120.2.101', name: '上海交通大学' },
  { ip: '202.120.2.102', name: '上海交通大学' },
  { ip: '202.38.64.3', name: '中国科学技术大学' },
  { ip: '210.32.128.5', name: '浙江大学' },
  { ip: '210.32.128.6', name: '浙江大学' },
  { ip: '202.114.64.12', name: '武汉大学' },
  { ip: '202.115.32.40', name: '四川大学' },
  { ip: '202.116.64.9', name: '中山大学' },
];

/** Mobile carrier gateways (中国移动 GPRS/4G 出口). */
export const CARRIER_GATEWAY_IPS: readonly string[] = [
  '117.136.38.141',
  '117.136.79.55',
  '117.136.12.66',
  '117.136.0.203',
];

/** Co-working spaces and office buildings whose tenants share one NAT address. */
export const COWORKING_IPS: readonly { ip: string; name: string }[] = [
  { ip: '211.95.50.10', name: '望京SOHO 共享办公' },
  { ip: '211.95.50.11', name: '漕河泾开发区 联合办公' },
  { ip: '211.95.50.12', name: '深圳湾科技生态园 孵化器' },
  { ip: '211.95.50.13', name: '杭州梦想小镇 众创空间' },
  { ip: '211.95.50.14', name: '成都天府软件园 共享办公' },
  { ip: '211.95.50.15', name: '中关村创业大街 孵化器' },
];

/** Debit card BINs of the big banks (the first six digits) and the length of their card numbers. */
const BANKS: readonly { bin: string; digits: number; name: string }[] = [
  { bin: '622202', digits: 19, name: '中国工商银行' },
  { bin: '621700', digits: 19, name: '中国建设银行' },
  { bin: '622848', digits: 19, name: '中国农业银行' },
  { bin: '621661', digits: 19, name: '中国银行' },
  { bin: '622588', digits: 16, name: '招商银行' },
  { bin: '622260', digits: 19, name: '交通银行' },
  { bin: '621799', digits: 19, name: '中国邮政储蓄银行' },
  { bin: '622909', digits: 18, name: '兴业银行' },
  { bin: '622521', digits: 16, name: '浦发银行' },
  { bin: '622690', digits: 16, name: '中信银行' },
];
const BRANCH_CITIES = ['北京', '上海', '广州', '深圳', '杭州', '成都', '南京', '武汉', '西安', '苏州'];
const SUB_BRANCHES = [
  '海淀',
  '朝阳',
  '浦东',
  '天河',
  '南山',
  '西湖',
  '高新',
  '鼓楼',
  '江汉',
  '园区',
  '中关村',
];

/** The Luhn check digit of a card number's other digits. */
function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = body.charCodeAt(body.length - 1 - i) - 48;
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/**
 * A partner's payee details (收款账号 / 收款户名 / 开户行): a debit card of one of the big banks in
 * the partner's own name, with a branch; `k` makes the card number distinct.
 */
export function payeeDetails(
  rng: Rng,
  k: number,
  name: string,
): { account: string; bank: string; name: string } {
  const bank = rng.pick(BANKS);
  const middle = String(k).padStart(6, '0') + String(rng.int(0, 999_999_999_999)).padStart(12, '0');
  const body = bank.bin + middle.slice(0, bank.digits - 7);
  const city = rng.pick(BRANCH_CITIES);
  return {
    account: body + luhnDigit(body),
    bank: `${bank.name}${city}分行${rng.pick(SUB_BRANCHES)}支行`,
    name,
  };
}
