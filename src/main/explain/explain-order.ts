/**
 * "Why did / didn't this order earn" (R-RECALC-2). Recomputes the order's same-person group and
 * its partner on demand (no per-order explanation is stored), checks that this agrees with the
 * stored results, and renders plain sentences a support agent can paste to a partner.
 */
import type { SqlPort } from '../store/sql-port';
import { loadRuleConfig } from '../engine/load';
import { maskEvidence, maskKnownIn, type KnownIdentity } from './mask';
import { partnerReply } from './reply';
import { evaluatePartnersWith, evaluateStoredGroups, lastRun } from '../engine/recompute';
import { formatLocal } from '../rules/time';
import type { AttributionResult, OrderResult, RebateResult } from '../rules/types';
import {
  CODE_RULES,
  CODE_TEXT,
  EVIDENCE_TEXT,
  REBATE_STATUS_TEXT,
  STATUS_TEXT,
  percent,
  yuan,
  type Lang,
} from './messages';

export class ExplainError extends Error {
  readonly exitCode = 1;
  constructor(
    readonly code: 'ORDER_NOT_FOUND' | 'NOT_COMPUTED',
    message: string,
  ) {
    super(message);
  }
}

export interface ExplainLine {
  text: string;
  rules: string[];
}

export interface OrderExplanation {
  orderId: string;
  status: string;
  reasons: string[];
  rebateFen: number;
  rebateStatus: string | null;
  partnerId: string | null;
  configVersion: number;
  asOf: number;
  /** the recomputation agrees with the stored results */
  consistent: boolean;
  lines: ExplainLine[];
  ruleIds: string[];
  /** identity data in the lines is masked (the support role) */
  masked: boolean;
  /** the answer for the partner: the decision in plain words, no one's identity data */
  reply: string;
}

interface StoredOrder {
  order_id: string;
  customer_id: string;
  group_id: string;
  partner_id: string | null;
  status: string;
  reasons_json: string;
  rebate_fen: number;
  rebate_status: string | null;
  experience: number;
  product_line: string;
  billing: string;
  subscription: number;
  paid_fen: number;
  ordered_at: number;
  net_fen: number;
  gross_rebate_fen: number;
  capped_fen: number;
  ratio_bp: number | null;
  cycle_key: string | null;
  confirm_at: number | null;
}

const L = (lang: Lang, zh: string, en: string) => (lang === 'zh-CN' ? zh : en);

export function explainOrder(
  db: SqlPort,
  orderId: string,
  lang: Lang = 'zh-CN',
  options: { mask?: boolean } = {},
): OrderExplanation {
  const mask = options.mask === true;
  const stored = db
    .prepare(
      `SELECT r.order_id, r.customer_id, r.group_id, r.partner_id, r.status, r.reasons_json, r.rebate_fen, r.rebate_status, r.experience,
              o.product_line, o.billing, o.subscription, o.paid_fen, o.ordered_at,
              r.net_fen, r.gross_rebate_fen, r.capped_fen, r.ratio_bp, r.cycle_key, r.confirm_at
       FROM result_orders r JOIN orders o ON o.order_id = r.order_id WHERE r.order_id = ?`,
    )
    .get(orderId) as StoredOrder | undefined;
  if (!stored) {
    const exists = db.prepare('SELECT 1 FROM orders WHERE order_id = ?').get(orderId);
    if (exists)
      throw new ExplainError(
        'NOT_COMPUTED',
        `订单 ${orderId} 尚无计算结果，请先运行 recompute / order ${orderId} has no results yet: run recompute first`,
      );
    throw new ExplainError('ORDER_NOT_FOUND', `未找到订单 ${orderId} / unknown order ${orderId}`);
  }
  const run = lastRun(db)!;
  const cfg = loadRuleConfig(db, run.configVersion)!;
  // only this order's customer is evaluated in full (ExplainFocus): fast in groups of thousands
  const ev = evaluateStoredGroups(db, [stored.group_id], run.asOf, cfg, true, {
    customerId: stored.customer_id,
    at: stored.ordered_at,
  });
  const group = ev.results[0]?.result;
  const fresh = group?.orders.find((o) => o.orderId === orderId);
  let rebate: RebateResult | undefined;
  if (fresh && fresh.status === 'valid' && fresh.partnerId) {
    const pr = evaluatePartnersWith(db, [fresh.partnerId], ev, run.asOf)[0];
    rebate = pr?.rebates.find((r) => r.orderId === orderId);
  }
  const finalReasons = fresh ? [...fresh.reasons, ...(rebate?.extraReasons ?? [])] : [];
  const storedReasons = JSON.parse(stored.reasons_json) as string[];
  const consistent =
    !!fresh &&
    fresh.status === stored.status &&
    fresh.partnerId === stored.partner_id &&
    JSON.stringify(finalReasons) === JSON.stringify(storedReasons) &&
    (rebate?.rebateFen ?? 0) === stored.rebate_fen &&
    (rebate?.rebateStatus ?? null) === stored.rebate_status;

  const lines: ExplainLine[] = [];
  const add = (text: string, ...rules: string[]) =>
    lines.push({ text, rules: rules.flatMap((r) => r.split(/,\s*/)).filter(Boolean) });
  const billing = stored.billing === 'prepaid' ? L(lang, '预付费', 'prepaid') : L(lang, '后付费', 'postpaid');
  const sub = stored.subscription === 1 ? L(lang, '，包年包月', ', subscription') : '';
  const statusText = STATUS_TEXT[stored.status]?.[lang] ?? stored.status;
  const earned =
    stored.status === 'valid'
      ? L(
          lang,
          `，返利 ${yuan(stored.rebate_fen)}（${REBATE_STATUS_TEXT[stored.rebate_status ?? '']?.[lang] ?? stored.rebate_status}）`,
          `, rebate ${yuan(stored.rebate_fen)} (${REBATE_STATUS_TEXT[stored.rebate_status ?? '']?.[lang] ?? stored.rebate_status})`,
        )
      : L(lang, '，不产生返利', ', no rebate');
  add(
    L(
      lang,
      `订单 ${orderId}（客户 ${stored.customer_id}，${formatLocal(stored.ordered_at)} 下单，实付 ${yuan(stored.paid_fen)}，产品线 ${stored.product_line}，${billing}${sub}）：${statusText}${earned}。`,
      `Order ${orderId} (customer ${stored.customer_id}, placed ${formatLocal(stored.ordered_at)}, paid ${yuan(stored.paid_fen)}, product line ${stored.product_line}, ${billing}${sub}): ${statusText}${earned}.`,
    ),
  );
  if (storedReasons.length > 0) {
    for (const c of storedReasons) add(`· ${c}: ${CODE_TEXT[c]?.[lang] ?? c}`, CODE_RULES[c] ?? '');
  }

  // attribution chain (R-ATTR)
  const chain = (group?.attributions ?? []).filter(
    (a) => a.customerId === stored.customer_id && a.from <= stored.ordered_at,
  );
  if (chain.length === 0)
    add(
      L(
        lang,
        '关联记录：该客户在下单前没有通过云客链接注册或登录。',
        'Attribution: the customer never registered or logged in through a partner link before the order.',
      ),
      'R-ATTR-1',
      'R-ATTR-2',
    );
  else add(L(lang, '关联记录（按时间）：', 'Attribution chain (in time order):'));
  // manual attributions of upheld disputes (R-DISP-2): named with their case and who decided it
  const cases = disputesOf(
    db,
    chain.flatMap((a) => (a.kind === 'manual' ? [a.eventId] : [])),
  );
  for (const a of chain.slice(-20))
    add(describeAttribution(a, lang, cases, lockHolder(chain, a)), ...attributionRules(a));
  const t = fresh?.trace;
  const found = t?.inForce?.kind === 'manual' ? cases.get(t.inForce.eventId) : undefined;
  // support sees the case's free text with the identity of the customer and of the partners of its
  // chain (the claimant, and the one the claim is against) masked
  const manualCase =
    found && mask
      ? maskedCase(db, found, stored.customer_id, [found.partnerId, ...chain.map((a) => a.partnerId)])
      : found;
  if (manualCase) {
    add(
      L(
        lang,
        `本单的归属来自争议 #${manualCase.disputeId}：云客 ${manualCase.partnerId} 申诉「${manualCase.claim}」，管理员 ${manualCase.decidedBy} 于 ${formatLocal(manualCase.decidedAt)} 裁定成立（理由：${manualCase.reason}），自 ${formatLocal(manualCase.from)} 起授予人工关联。`,
        `This order's attribution comes from dispute #${manualCase.disputeId}: partner ${manualCase.partnerId} claimed "${manualCase.claim}"; upheld, decided by ${manualCase.decidedBy} on ${formatLocal(manualCase.decidedAt)} (reason: ${manualCase.reason}), with a manual attribution from ${formatLocal(manualCase.from)}.`,
      ),
      'R-DISP-1',
      'R-DISP-2',
    );
  }
  if (t?.inForce) {
    add(
      L(
        lang,
        `下单时生效的关联：云客 ${t.inForce.partnerId}（${sourceOf(t.inForce.eventId, lang)}，${formatLocal(t.inForce.from)} 起，至 ${formatLocal(t.inForce.until!)}${t.inForce.tenureStart < t.inForce.from ? `；自 ${formatLocal(t.inForce.tenureStart)} 起连续关联` : ''}）。奖励归属最近一次有效关联。`,
        `Attribution in force at the order: partner ${t.inForce.partnerId} (${sourceOf(t.inForce.eventId, lang)}, from ${formatLocal(t.inForce.from)} until ${formatLocal(t.inForce.until!)}${t.inForce.tenureStart < t.inForce.from ? `; continuously since ${formatLocal(t.inForce.tenureStart)}` : ''}). The reward belongs to the most recent valid attribution.`,
      ),
      'R-ATTR-2',
      'R-ORDER-1b',
    );
  } else if (fresh && fresh.status !== 'ineligible') {
    add(
      L(
        lang,
        '下单时没有有效的关联关系（关联有效期 30 天，到期不含）。',
        'No attribution was in force at the order’s time (windows last 30 days, end-exclusive).',
      ),
      'R-ORDER-1b',
    );
  }

  // first-order check (R-ORDER-1a, R-ORDER-3, R-ORDER-4, R-EXCL-1)
  if (fresh && stored.status !== 'ineligible') {
    if (t?.firstQualifying) {
      add(
        L(
          lang,
          `首单检查：同一人此前已有订单 ${t.firstQualifying.orderId}（${formatLocal(t.firstQualifying.at)}），本单不是首个有效条件的订单。`,
          `First-order check: the same person already had order ${t.firstQualifying.orderId} (${formatLocal(t.firstQualifying.at)}), so this is not the first qualifying order.`,
        ),
        'R-ORDER-1a',
        'R-ORDER-4',
      );
    } else if (t?.earliestProgramOrder && t.inForce && t.earliestProgramOrder.at < t.inForce.tenureStart) {
      add(
        L(
          lang,
          `首单检查：关联开始前已有可返利产品线的付费订单 ${t.earliestProgramOrder.orderId}（${formatLocal(t.earliestProgramOrder.at)}）。`,
          `First-order check: a paid order on an eligible line, ${t.earliestProgramOrder.orderId} (${formatLocal(t.earliestProgramOrder.at)}), came before the attribution began.`,
        ),
        'R-EXCL-1',
        'R-ORDER-4',
      );
    } else {
      add(
        L(
          lang,
          '首单检查：这是该客户（含同人账号）首个可返利产品线、预付费、实付大于 0 的订单。',
          'First-order check: this is the first prepaid order with a paid amount above 0 on an eligible line for this person (all their accounts).',
        ),
        'R-ORDER-1a',
        'R-SAME-3',
      );
    }
  } else if (stored.status === 'ineligible') {
    add(
      L(
        lang,
        '零金额、后付费或不可返利产品线的订单不是有效订单，也不占用首单名额。',
        'Zero-amount, postpaid or non-eligible orders are never valid and do not use up the first-order slot.',
      ),
      'R-ORDER-3',
    );
  }

  // exclusions tested (R-EXCL)
  if (stored.status === 'valid' || stored.status === 'excluded') {
    const partnerGroup = fresh?.partnerId ? ev.partners.get(fresh.partnerId)?.groupId : undefined;
    const same = partnerGroup !== undefined && partnerGroup === stored.group_id;
    const ch = t?.channel ?? 'none';
    add(
      L(
        lang,
        `排除检查：同人 — ${same ? '客户与云客为同一人（不奖励）' : '客户与云客不是同一人（通过）'}；渠道 — ${['sales', 'agent', 'paid_channel'].includes(ch ?? '') ? `客户已有 ${ch} 渠道服务（不奖励）` : `无销售/代理商/付费渠道服务（通过）`}；客户类型 — 关联前无可返利产品线订单（通过）。`,
        `Exclusions tested: same person — ${same ? 'the customer is the partner (excluded)' : 'the customer is not the partner (passed)'}; channel — ${['sales', 'agent', 'paid_channel'].includes(ch ?? '') ? `the customer already has ${ch} service (excluded)` : 'no sales, agent or paid-channel service (passed)'}; customer type — no eligible order before the attribution (passed).`,
      ),
      'R-EXCL-1',
      'R-EXCL-3',
      'R-EXCL-4',
    );
  }

  // same-person evidence (R-SAME)
  const edges = db
    .prepare(
      'SELECT a_kind, a_id, b_kind, b_id, evidence, value FROM result_same_person_edges WHERE group_id = ? ORDER BY a_kind, a_id, b_kind, b_id, evidence, value LIMIT 50',
    )
    .all(stored.group_id) as {
    a_kind: string;
    a_id: string;
    b_kind: string;
    b_id: string;
    evidence: string;
    value: string;
  }[];
  if (edges.length === 0)
    add(
      L(
        lang,
        '同人判定：没有其他账号与该客户被判定为同一人。',
        'Same person: no other account is judged the same person as this customer.',
      ),
      'R-SAME-1',
    );
  else {
    add(
      L(
        lang,
        `同人判定：该客户属于同人组 ${stored.group_id}，依据：`,
        `Same person: the customer belongs to group ${stored.group_id}, because:`,
      ),
      'R-SAME-1',
      'R-SAME-4',
    );
    const who = (k: string, id: string) =>
      k === 'partner' ? L(lang, `云客 ${id}`, `partner ${id}`) : L(lang, `客户 ${id}`, `customer ${id}`);
    for (const e of edges)
      add(
        `· ${who(e.a_kind, e.a_id)} ↔ ${who(e.b_kind, e.b_id)}: ${EVIDENCE_TEXT[e.evidence]?.[lang] ?? e.evidence} (${mask ? maskEvidence(e.evidence, e.value) : e.value})`,
        'R-SAME-1',
      );
  }

  // refunds (R-CLAW)
  for (const r of t?.refundsCounted ?? [])
    add(
      L(
        lang,
        `退款/降配 ${r.id}（${formatLocal(r.at)}，${yuan(r.amountFen)}）在下单后 30 天内：返利和经验值按扣除后的实付金额 ${yuan(fresh!.netFen)} 计算。`,
        `Refund/downgrade ${r.id} (${formatLocal(r.at)}, ${yuan(r.amountFen)}) came within 30 days of the order: rebate and experience use the net amount ${yuan(fresh!.netFen)}.`,
      ),
      'R-CLAW-1',
    );
  for (const r of t?.refundsIgnored ?? [])
    add(
      L(
        lang,
        `退款 ${r.id}（${formatLocal(r.at)}）在下单 30 天后发生，不影响返利。`,
        `Refund ${r.id} (${formatLocal(r.at)}) came 30 days or more after the order and changes nothing.`,
      ),
      'R-CLAW-2',
    );

  // rebate (R-REB, R-LVL)
  if (rebate && fresh) {
    const lvl = cfg.config.levels.find((l) => l.id === rebate.level);
    const lvlName = lvl ? (lang === 'zh-CN' ? lvl.name_zh : lvl.name_en) : rebate.level;
    add(
      rebate.levelSource === 'override'
        ? L(
            lang,
            `下单时云客等级 ${rebate.level}（${lvlName}，管理员等级调整 #${rebate.overrideId} 生效中），返利比例 ${percent(rebate.ratioBp)}。`,
            `Level at the order's time: ${rebate.level} (${lvlName}, admin override #${rebate.overrideId} in force), ratio ${percent(rebate.ratioBp)}.`,
          )
        : L(
            lang,
            `下单时云客等级 ${rebate.level}（${lvlName}，此前经验值 ${rebate.experienceBefore}），返利比例 ${percent(rebate.ratioBp)}。`,
            `Level at the order's time: ${rebate.level} (${lvlName}, experience before it: ${rebate.experienceBefore}), ratio ${percent(rebate.ratioBp)}.`,
          ),
      'R-LVL-1',
      rebate.levelSource === 'override' ? 'R-LVL-2' : '',
      'R-LVL-3',
    );
    add(
      L(
        lang,
        `返利 = ${yuan(fresh.netFen)} × ${percent(rebate.ratioBp)} = ${yuan(rebate.grossFen)}（四舍五入到分）。`,
        `Rebate = ${yuan(fresh.netFen)} × ${percent(rebate.ratioBp)} = ${yuan(rebate.grossFen)} (rounded half-up to the fen).`,
      ),
      'R-REB-1',
    );
    add(
      rebate.cappedFen > 0
        ? L(
            lang,
            `返利周期 ${rebate.cycleKey} 上限 ${yuan(rebate.capFen)}，此前已占用 ${yuan(rebate.capFilledBefore)}，本单超出部分 ${yuan(rebate.cappedFen)} 不发放（不结转）。`,
            `Cycle ${rebate.cycleKey} has a cap of ${yuan(rebate.capFen)}; ${yuan(rebate.capFilledBefore)} was already used, so ${yuan(rebate.cappedFen)} of this rebate is not paid (not carried over).`,
          )
        : L(
            lang,
            `返利周期 ${rebate.cycleKey}，上限 ${yuan(rebate.capFen)}，未超出。`,
            `Cycle ${rebate.cycleKey}, cap ${yuan(rebate.capFen)}: not exceeded.`,
          ),
      'R-REB-2',
    );
    const when = formatLocal(rebate.confirmAt);
    add(
      rebate.rebateStatus === 'frozen'
        ? L(
            lang,
            '云客当前在黑名单中：奖励已计算但冻结，解除前不发放。',
            'The partner is blacklisted now: the reward is computed but frozen until the blacklist is lifted.',
          )
        : rebate.rebateStatus === 'clawed_back'
          ? L(
              lang,
              '订单已全额退款，返利为 0；该订单仍算作客户的首单。',
              'The order was fully refunded: the rebate is 0, and it still counts as the customer’s first order.',
            )
          : rebate.confirmAt <= run.asOf
            ? L(
                lang,
                `返利已于 ${when} 确认（下单后 30 天），计入 ${rebate.cycleKey} 周期的发放。`,
                `The rebate was confirmed on ${when} (30 days after the order) and belongs to the ${rebate.cycleKey} payout.`,
              )
            : L(
                lang,
                `返利待确认，将于 ${when}（下单后 30 天）确认。`,
                `The rebate is pending until ${when} (30 days after the order).`,
              ),
      rebate.rebateStatus === 'frozen'
        ? 'R-BL-1'
        : rebate.rebateStatus === 'clawed_back'
          ? 'R-CLAW-1'
          : 'R-REB-3',
    );
    add(
      L(
        lang,
        `该客户为云客带来经验值 ${fresh.experience}（1 + floor(包年包月实付合计 / 1200) × 2）。`,
        `This customer gives the partner ${fresh.experience} experience (1 + floor(subscription total / 1200) × 2).`,
      ),
      'R-EXP-1',
      'R-EXP-2',
    );
  }

  add(
    L(
      lang,
      `依据规则配置版本 v${run.configVersion}，计算时点 ${formatLocal(run.asOf)}（北京时间）。`,
      `Rule configuration v${run.configVersion}, as of ${formatLocal(run.asOf)} (Asia/Shanghai).`,
    ),
    'R-RECALC-1',
    'R-RECALC-2',
  );
  if (!consistent)
    add(
      L(
        lang,
        '注意：数据在上次计算后有变化，以上说明按当前数据重算，与已保存结果不一致，请重新运行计算。',
        'Note: the data changed since the last recompute; this explanation reflects the current data and differs from the stored result. Run recompute.',
      ),
      'R-RECALC-1',
    );
  const ruleIds = [...new Set(lines.flatMap((l) => l.rules))].sort();
  return {
    orderId,
    status: stored.status,
    reasons: storedReasons,
    rebateFen: stored.rebate_fen,
    rebateStatus: stored.rebate_status,
    partnerId: stored.partner_id,
    configVersion: run.configVersion,
    asOf: run.asOf,
    consistent,
    lines,
    ruleIds,
    masked: mask,
    reply: partnerReply(
      {
        orderId,
        orderedAt: stored.ordered_at,
        paidFen: stored.paid_fen,
        netFen: stored.net_fen,
        status: stored.status,
        reasons: storedReasons,
        rebateFen: stored.rebate_fen,
        grossRebateFen: stored.gross_rebate_fen,
        cappedFen: stored.capped_fen,
        rebateStatus: stored.rebate_status,
        ratioBp: stored.ratio_bp,
        cycleKey: stored.cycle_key,
        confirmAt: stored.confirm_at,
      },
      lang,
    ),
  };
}

/** An upheld dispute as an explanation names it (R-DISP-2). */
interface CaseRef {
  disputeId: number;
  partnerId: string;
  claim: string;
  decidedBy: string;
  decidedAt: number;
  reason: string;
  from: number;
}

/** A case whose claim and reason name the customer or partners of its chain, as the support role reads it. */
function maskedCase(db: SqlPort, c: CaseRef, customerId: string, partnerIds: string[]): CaseRef {
  type Identity = { name: string | null; phone: string | null; id_number: string | null };
  const rows: (Identity | undefined)[] = [
    db.prepare('SELECT name, phone, id_number FROM customers WHERE customer_id = ?').get(customerId) as
      Identity | undefined,
  ];
  const partner = db.prepare('SELECT name, phone, id_number FROM partners WHERE partner_id = ?');
  for (const id of new Set(partnerIds)) rows.push(partner.get(id) as Identity | undefined);
  const known: KnownIdentity[] = rows.flatMap((r) =>
    r ? [{ name: r.name, phone: r.phone, idNumber: r.id_number }] : [],
  );
  return { ...c, claim: maskKnownIn(c.claim, known), reason: maskKnownIn(c.reason, known) };
}

/** The cases behind some manual attributions (`dispute:<id>` keys), by key. */
function disputesOf(db: SqlPort, keys: string[]): Map<string, CaseRef> {
  const out = new Map<string, CaseRef>();
  if (keys.length === 0) return out;
  const q = db.prepare(
    'SELECT dispute_id, partner_id, claim, decided_by, decided_at, decision_reason, manual_from FROM disputes WHERE dispute_id = ?',
  );
  for (const key of keys) {
    const r = q.get(Number(key.slice('dispute:'.length))) as
      | {
          dispute_id: number;
          partner_id: string;
          claim: string;
          decided_by: string | null;
          decided_at: number | null;
          decision_reason: string | null;
          manual_from: number | null;
        }
      | undefined;
    if (r)
      out.set(key, {
        disputeId: r.dispute_id,
        partnerId: r.partner_id,
        claim: r.claim,
        decidedBy: r.decided_by ?? '?',
        decidedAt: r.decided_at ?? 0,
        reason: r.decision_reason ?? '',
        from: r.manual_from ?? 0,
      });
  }
  return out;
}

/** "event E1", or "the manual attribution of dispute #4" for a `dispute:<id>` key. */
function sourceOf(key: string | null, lang: Lang): string {
  if (key?.startsWith('dispute:'))
    return L(lang, `争议 #${key.slice(8)} 的人工关联`, `the manual attribution of dispute #${key.slice(8)}`);
  return L(lang, `事件 ${key}`, `event ${key}`);
}

/**
 * A LOCKED_BY_OTHER_PARTNER event: the locked attribution that refused it, the latest lock the
 * engine met before it (the chain is in the engine's order: at one instant, events come before a
 * manual attribution, which therefore never refused an event of its own instant — the lock then
 * was the one before, R-ATTR-1, R-DISP-2).
 */
function lockHolder(chain: AttributionResult[], a: AttributionResult): AttributionResult | null {
  if (!a.reasons.includes('LOCKED_BY_OTHER_PARTNER')) return null;
  let holder: AttributionResult | null = null;
  for (const x of chain) {
    if (x === a) break;
    if (x.locked && x.until !== null) holder = x;
  }
  return holder;
}

function describeAttribution(
  a: AttributionResult,
  lang: Lang,
  cases: Map<string, CaseRef>,
  lockedBy: AttributionResult | null = null,
): string {
  const c = a.kind === 'manual' ? cases.get(a.eventId) : undefined;
  const head =
    a.kind === 'manual'
      ? L(
          lang,
          `· ${formatLocal(a.from)} 争议 #${c?.disputeId ?? a.eventId} 裁定成立（管理员 ${c?.decidedBy ?? '?'}），人工关联给云客 ${a.partnerId}`,
          `· ${formatLocal(a.from)} dispute #${c?.disputeId ?? a.eventId} upheld (decided by ${c?.decidedBy ?? '?'}): manual attribution to partner ${a.partnerId}`,
        )
      : L(
          lang,
          `· ${formatLocal(a.from)} 通过云客 ${a.partnerId} 的链接${a.kind === 'register' ? '注册' : '登录'}（事件 ${a.eventId}）`,
          `· ${formatLocal(a.from)} ${a.kind === 'register' ? 'registered' : 'logged in'} through partner ${a.partnerId}'s link (event ${a.eventId})`,
        );
  if (a.until === null) {
    const why = a.reasons
      .map((c) => L(lang, `${c}（${CODE_TEXT[c]?.[lang] ?? c}）`, `${c} (${CODE_TEXT[c]?.[lang] ?? c})`))
      .join(L(lang, '；', '; '));
    // a lock granted by a dispute (R-DISP-2) is named as such
    const by =
      lockedBy?.kind === 'manual'
        ? L(
            lang,
            `（保护期来自${sourceOf(lockedBy.eventId, lang)}，云客 ${lockedBy.partnerId}）`,
            ` (the lock is ${sourceOf(lockedBy.eventId, lang)}, partner ${lockedBy.partnerId})`,
          )
        : '';
    return head + L(lang, `：建立关联失败 — ${why}${by}`, `: no attribution — ${why}${by}`);
  }
  const lock = a.locked
    ? L(lang, `，保护期锁定至 ${formatLocal(a.until)}`, `, locked until ${formatLocal(a.until)}`)
    : '';
  const end =
    a.status === 'replaced'
      ? L(
          lang,
          a.replacedBy?.startsWith('dispute:')
            ? `，后被${sourceOf(a.replacedBy, lang)}取代`
            : `，后被事件 ${a.replacedBy} 取代`,
          `, later replaced by ${sourceOf(a.replacedBy, lang)}`,
        )
      : a.status === 'expired'
        ? L(lang, '，已到期', ', since expired')
        : L(lang, '，仍有效', ', still active');
  return (
    head +
    L(
      lang,
      `：建立关联，有效至 ${formatLocal(a.until)}${lock}${end}`,
      `: attribution created, valid until ${formatLocal(a.until)}${lock}${end}`,
    )
  );
}

function attributionRules(a: AttributionResult): string[] {
  if (a.until === null) return a.reasons.map((c) => CODE_RULES[c] ?? '');
  if (a.kind === 'manual') return ['R-DISP-2', 'R-ATTR-1'];
  return a.kind === 'register'
    ? ['R-ATTR-1']
    : a.status === 'replaced'
      ? ['R-ATTR-2', 'R-ATTR-3']
      : ['R-ATTR-2'];
}

/** Plain text: one sentence per line, the rule ids in brackets. */
export function renderExplanation(e: OrderExplanation): string {
  return e.lines.map((l) => (l.rules.length ? `${l.text} [${l.rules.join(', ')}]` : l.text)).join('\n');
}

export type { OrderResult };
