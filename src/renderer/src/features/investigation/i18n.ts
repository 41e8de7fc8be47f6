import { defineStrings } from '../../shared/strings';

export const investigationStrings = defineStrings({
  'zh-CN': {
    title: '同人调查',
    summary: '查看同人分组及其证据（账号、手机号、身份证号与姓名、IP 地址），核实并处理可疑的自我推广。',
  },
  en: {
    title: 'Investigations',
    summary:
      'Review same-person groups and the evidence that joined them (account, phone, ID number with name, IP address) to investigate self-referrals.',
  },
});
