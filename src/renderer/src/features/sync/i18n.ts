import { defineStrings } from '../../shared/strings';

export const syncStrings = defineStrings({
  'zh-CN': {
    title: '数据同步',
    summary: '导入云客、客户、推广事件、订单与退款的导出文件或通过接口拉取，并查看导入历史与被拒绝的行。',
  },
  en: {
    title: 'Data sync',
    summary:
      'Import partner, customer, referral-event, order and refund exports or pull them from the API, with import history and rejected rows.',
  },
});
