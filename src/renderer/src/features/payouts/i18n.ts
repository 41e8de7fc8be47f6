import { defineStrings } from '../../shared/strings';

export const payoutsStrings = defineStrings({
  'zh-CN': {
    title: '返利发放',
    summary: '按结算周期生成返利发放批次，经另一位复核人审批后导出给财务系统，并记录付款状态。',
  },
  en: {
    title: 'Payouts',
    summary:
      'Prepare a payout batch per cycle, have a second person approve it, export it for the finance system and record payment.',
  },
});
