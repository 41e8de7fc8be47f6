import { defineStrings } from '../../shared/strings';

export const auditStrings = defineStrings({
  'zh-CN': {
    title: '操作日志',
    summary: '按时间、操作人和对象查看所有管理操作的记录，包括黑名单、等级调整、发放审批与规则变更。',
  },
  en: {
    title: 'Audit log',
    summary:
      'Browse every admin action — blacklist, level overrides, payout decisions, rule changes — by time, operator and subject.',
  },
});
