/**
 * 给云客的回复: the answer support sends a partner who asks "why was / wasn't this order
 * rewarded?". It leads with the decision in plain words, then the rule behind it; it is built
 * only from the order's own stored result (never from identity data), so it cannot carry another
 * person's phone, ID number, name or IP, nor internal ids such as same-person group keys.
 */
import { formatLocal } from '../rules/time';
import { percent, yuan, type Lang } from './messages';

export interface ReplyFacts {
  orderId: string;
  orderedAt: number;
  paidFen: number;
  netFen: number;
  status: string;
  reasons: string[];
  rebateFen: number;
  grossRebateFen: number;
  cappedFen: number;
  rebateStatus: string | null;
  ratioBp: number | null;
  cycleKey: string | null;
  confirmAt: number | null;
}

/** Plain words for each reason, as a partner reads them, with the rule ids at the end. */
const WHY: Record<string, Record<Lang, string>> = {
  SAME_PERSON_AS_PARTNER: {
    'zh-CN': '该客户与您被判定为同一人（同人），推广本人账号不产生奖励',
    en: 'the customer was judged to be the same person as you, and promoting your own account earns nothing',
  },
  LOCKED_BY_OTHER_PARTNER: {
    'zh-CN': '该客户此前 30 天内已通过其他云客的链接注册，仍在保护期内，您的链接未能建立关联',
    en: "the customer had registered through another partner's link less than 30 days before and was still protected, so your link could not attach",
  },
  SALES_OWNED: {
    'zh-CN': '该客户的实名主体已由云厂商的销售团队拓展',
    en: "the customer's real-name subject is already developed by the cloud's own sales team",
  },
  PARTNER_BLACKLISTED: {
    'zh-CN': '推广发生时您的账号处于推广受限状态（黑名单）',
    en: 'your account was restricted from promoting (blacklisted) when the visit happened',
  },
  PARTNER_NOT_ACTIVE: {
    'zh-CN': '推广发生时该云客账号尚未完成实名认证或未获批准',
    en: 'the partner account was not yet real-name verified or approved when the visit happened',
  },
  NOT_ATTRIBUTED: {
    'zh-CN': '下单时该客户与任何云客都没有有效的关联关系（通过推广链接注册或登录后 30 天内有效）',
    en: 'at the time of the order the customer had no valid link to any partner (a registration or login through a partner link counts for 30 days)',
  },
  NOT_ELIGIBLE_PRODUCT: {
    'zh-CN': '该订单的产品线不参与云客推广返利',
    en: "the order's product line is not part of the referral program",
  },
  NOT_PREPAID: { 'zh-CN': '该订单不是预付费订单', en: 'the order is not prepaid' },
  ZERO_AMOUNT: { 'zh-CN': '该订单实付金额为 0', en: 'the order was paid 0' },
  PRIOR_PROGRAM_ORDER: {
    'zh-CN': '在与您建立关联之前，该客户（含其名下其他账号）已购买过参与推广的产品',
    en: 'before the customer was linked to you, they (or another account of theirs) had already bought a program product',
  },
  NOT_FIRST_ORDER: {
    'zh-CN': '只有客户的首个符合条件的预付费订单计为有效订单，该客户此前已有这样的订单',
    en: "only a customer's first qualifying prepaid order counts, and this customer already had one",
  },
  CHANNEL_OWNED: {
    'zh-CN': '该客户已有销售、代理商或付费渠道的服务',
    en: 'the customer is already served by sales, an agent or a paid channel',
  },
};

const RULES_OF: Record<string, string[]> = {
  SAME_PERSON_AS_PARTNER: ['R-SAME-2', 'R-EXCL-3'],
  LOCKED_BY_OTHER_PARTNER: ['R-ATTR-1'],
  SALES_OWNED: ['R-ATTR-4c'],
  PARTNER_BLACKLISTED: ['R-BL-2'],
  PARTNER_NOT_ACTIVE: ['R-JOIN-1'],
  NOT_ATTRIBUTED: ['R-ORDER-1b'],
  NOT_ELIGIBLE_PRODUCT: ['R-EXCL-2'],
  NOT_PREPAID: ['R-ORDER-3'],
  ZERO_AMOUNT: ['R-ORDER-3'],
  PRIOR_PROGRAM_ORDER: ['R-EXCL-1'],
  NOT_FIRST_ORDER: ['R-ORDER-1a'],
  CHANNEL_OWNED: ['R-EXCL-4'],
};

const L = (lang: Lang, zh: string, en: string) => (lang === 'zh-CN' ? zh : en);
const day = (ms: number) => formatLocal(ms).slice(0, 10);

export function partnerReply(f: ReplyFacts, lang: Lang): string {
  const order = L(
    lang,
    `订单 ${f.orderId}（${day(f.orderedAt)} 下单，实付 ${yuan(f.paidFen)}）`,
    `Order ${f.orderId} (placed ${day(f.orderedAt)}, paid ${yuan(f.paidFen)})`,
  );
  const rules = (ids: string[]) => L(lang, `（依据规则 ${ids.join('、')}）`, ` (rules ${ids.join(', ')})`);
  const sep = L(lang, '；', '; ');
  if (f.status === 'valid') {
    const ratio = f.ratioBp === null ? '' : percent(f.ratioBp);
    const amount = L(
      lang,
      `返利 ${yuan(f.rebateFen)}（${yuan(f.netFen)} × ${ratio}${f.cappedFen > 0 ? `，其中 ${yuan(f.cappedFen)} 超出本周期返利上限未计` : ''}）`,
      `a rebate of ${yuan(f.rebateFen)} (${yuan(f.netFen)} × ${ratio}${f.cappedFen > 0 ? `, of which ${yuan(f.cappedFen)} above this cycle's cap is not paid` : ''})`,
    );
    const head = L(
      lang,
      `${order}是您推广的有效订单，${amount}。`,
      `${order} is a valid order of yours and earns ${amount}.`,
    );
    const ids = ['R-ORDER-1', 'R-REB-1', ...(f.cappedFen > 0 ? ['R-REB-2'] : [])];
    switch (f.rebateStatus) {
      case 'frozen':
        return (
          head +
          L(
            lang,
            `您的账号目前处于黑名单中，返利已计算但暂时冻结，解除后随下一期发放。`,
            ` Your account is blacklisted for now: the rebate is computed but frozen, and is paid with the next payout once the blacklist is lifted.`,
          ) +
          rules([...ids, 'R-BL-1'])
        );
      case 'clawed_back':
        return (
          L(
            lang,
            `${order}曾是您推广的有效订单，但客户在下单后 30 天内全额退款，返利已扣回为 0。`,
            `${order} was a valid order of yours, but the customer was fully refunded within 30 days of the order, so its rebate is clawed back to 0.`,
          ) + rules(['R-ORDER-1', 'R-CLAW-1'])
        );
      case 'pending':
        return (
          head +
          L(
            lang,
            `返利将于 ${day(f.confirmAt ?? f.orderedAt)}（下单 30 天后）确认，并随 ${f.cycleKey} 周期发放。`,
            ` It is confirmed on ${day(f.confirmAt ?? f.orderedAt)} (30 days after the order) and paid with the ${f.cycleKey} payout.`,
          ) +
          rules([...ids, 'R-REB-3'])
        );
      default:
        return (
          head +
          L(
            lang,
            `返利已确认，随 ${f.cycleKey} 周期发放。`,
            ` It is confirmed and paid with the ${f.cycleKey} payout.`,
          ) +
          rules([...ids, 'R-REB-3'])
        );
    }
  }
  const codes = f.reasons.filter((c) => WHY[c]);
  // the headline reason first (NOT_ATTRIBUTED is the status; its events' codes say why)
  const main =
    f.status === 'not_attributed' && codes.length > 1 ? codes.filter((c) => c !== 'NOT_ATTRIBUTED') : codes;
  const because =
    main.map((c) => WHY[c][lang]).join(sep) ||
    L(lang, '不符合有效订单的条件', 'it does not meet the conditions of a valid order');
  const ids = [...new Set(main.flatMap((c) => RULES_OF[c] ?? []))];
  return (
    L(lang, `${order}不产生返利：${because}。`, `${order} earns no rebate: ${because}.`) +
    rules(ids.length ? ids : ['R-ORDER-1'])
  );
}
