import { defineStrings } from '../../shared/strings';

export const lookupStrings = defineStrings({
  'zh-CN': {
    title: '查询',
    summary: '支持人员可按客户、订单或云客查询归属关系与返利结果，并查看每项判定所依据的规则。',
  },
  en: {
    title: 'Lookup',
    summary:
      'Support staff look up a customer, order or partner and see its attribution and rebate, with the rule behind each decision.',
  },
});
