import { defineSource, id, oneOf, text, time } from './define';

/** 云客: the partners of the program (R-JOIN-1 reads status and verified_at). */
export const partnersSource = defineSource({
  name: 'partners',
  labelZh: '云客',
  key: ['partner_id'],
  columns: [
    id('partner_id', ['云客ID']),
    id('account_id', ['账号ID'], false),
    text('name', ['姓名']),
    text('phone', ['手机号']),
    text('id_number', ['证件号']),
    oneOf('status', ['状态'], ['applied', 'active', 'suspended'], true),
    time('verified_at', ['实名认证时间']),
    time('joined_at', ['加入时间']),
    // R-PAY-1 / DATA.md payout files: without all three a payout line is held (MISSING_PAYEE)
    text('payee_account', ['收款账号']),
    text('payee_name', ['收款户名']),
    text('payee_bank', ['开户行']),
  ],
  references: [],
});
