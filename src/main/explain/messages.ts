/** Sentences of explanations, zh-CN and en. Codes and rule ids stay as they are (support cites them). */
export type Lang = 'zh-CN' | 'en';

export const CODE_TEXT: Record<string, Record<Lang, string>> = {
  SAME_PERSON_AS_PARTNER: {
    'zh-CN': '客户与云客被判定为同一人',
    en: 'the customer is the same person as the partner',
  },
  LOCKED_BY_OTHER_PARTNER: {
    'zh-CN': '客户 30 天内通过其他云客的链接注册，处于保护期',
    en: 'the customer registered through another partner’s link less than 30 days before',
  },
  SALES_OWNED: {
    'zh-CN': '客户实名认证主体已被销售拓展',
    en: 'the customer’s real-name subject is already developed by sales',
  },
  PARTNER_BLACKLISTED: {
    'zh-CN': '云客在黑名单中，推广受限',
    en: 'the partner is blacklisted and restricted from promoting',
  },
  PARTNER_NOT_ACTIVE: {
    'zh-CN': '云客未完成实名认证或未获批准',
    en: 'the partner is not real-name verified or not approved',
  },
  NOT_ATTRIBUTED: { 'zh-CN': '下单时没有有效的关联关系', en: 'no valid attribution at the order’s time' },
  NOT_ELIGIBLE_PRODUCT: { 'zh-CN': '产品线不可返利', en: 'the product line is not rebate-eligible' },
  NOT_PREPAID: { 'zh-CN': '不是预付费订单', en: 'the order is not prepaid' },
  ZERO_AMOUNT: { 'zh-CN': '实付金额为 0', en: 'the paid amount is 0' },
  PRIOR_PROGRAM_ORDER: {
    'zh-CN': '关联开始前，该客户（或其同人账号）已有可返利产品线的付费订单',
    en: 'the customer (or another account of the same person) already had a paid order on an eligible line before the attribution began',
  },
  NOT_FIRST_ORDER: {
    'zh-CN': '该客户（同一人）此前已有首个有效条件的订单',
    en: 'the same person already had a qualifying first order',
  },
  CHANNEL_OWNED: {
    'zh-CN': '客户已有销售、代理商或付费渠道服务',
    en: 'the customer already has sales, agent or paid-channel service',
  },
  PARTNER_FROZEN: {
    'zh-CN': '云客在黑名单中，奖励冻结',
    en: 'the partner is blacklisted; the reward is frozen',
  },
  CLAWED_BACK: {
    'zh-CN': '30 天内发生退款/降配，已扣回',
    en: 'a refund or downgrade within 30 days clawed it back',
  },
  CAPPED: {
    'zh-CN': '超出本周期返利上限的部分不发放',
    en: 'the part above the cycle’s rebate cap is not paid',
  },
};

export const CODE_RULES: Record<string, string> = {
  SAME_PERSON_AS_PARTNER: 'R-ATTR-4a, R-EXCL-3, R-SAME-2',
  LOCKED_BY_OTHER_PARTNER: 'R-ATTR-1, R-ATTR-4b',
  SALES_OWNED: 'R-ATTR-4c',
  PARTNER_BLACKLISTED: 'R-ATTR-4d, R-BL-2',
  PARTNER_NOT_ACTIVE: 'R-JOIN-1, R-ATTR-4e',
  NOT_ATTRIBUTED: 'R-ORDER-1b',
  NOT_ELIGIBLE_PRODUCT: 'R-EXCL-2, R-ORDER-3',
  NOT_PREPAID: 'R-ORDER-3',
  ZERO_AMOUNT: 'R-ORDER-3',
  PRIOR_PROGRAM_ORDER: 'R-EXCL-1, R-ORDER-4',
  NOT_FIRST_ORDER: 'R-ORDER-1a, R-ORDER-4',
  CHANNEL_OWNED: 'R-EXCL-4',
  PARTNER_FROZEN: 'R-EXCL-5, R-BL-1',
  CLAWED_BACK: 'R-CLAW-1',
  CAPPED: 'R-REB-2',
};

export const STATUS_TEXT: Record<string, Record<Lang, string>> = {
  valid: { 'zh-CN': '有效订单', en: 'valid order' },
  excluded: { 'zh-CN': '不奖励（排除）', en: 'excluded' },
  not_attributed: { 'zh-CN': '未关联云客', en: 'not attributed' },
  not_first: { 'zh-CN': '非首单', en: 'not the first order' },
  ineligible: { 'zh-CN': '不符合有效订单条件', en: 'ineligible' },
};

export const REBATE_STATUS_TEXT: Record<string, Record<Lang, string>> = {
  pending: { 'zh-CN': '待确认', en: 'pending' },
  confirmed: { 'zh-CN': '已确认', en: 'confirmed' },
  frozen: { 'zh-CN': '已冻结', en: 'frozen' },
  clawed_back: { 'zh-CN': '已扣回', en: 'clawed back' },
  capped: { 'zh-CN': '受上限限制', en: 'capped' },
};

export const EVIDENCE_TEXT: Record<string, Record<Lang, string>> = {
  account: { 'zh-CN': '同一账号', en: 'same account' },
  phone: { 'zh-CN': '同一手机号', en: 'same phone number' },
  id_number_name: { 'zh-CN': '同一证件号+姓名', en: 'same ID number and name' },
  ip: { 'zh-CN': '同一 IP 地址', en: 'same IP address' },
};

export function yuan(fen: number): string {
  const neg = fen < 0;
  const a = Math.abs(fen);
  const int = Math.floor(a / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}¥${int}.${String(a % 100).padStart(2, '0')}`;
}

export function percent(bp: number): string {
  return `${(bp / 100).toFixed(bp % 100 === 0 ? 0 : 2)}%`;
}
