import { defineStrings } from '../../shared/strings';

export const settingsStrings = defineStrings({
  'zh-CN': {
    title: '规则配置',
    summary: '编辑返利比例、等级门槛与结算周期等规则参数；每次修改都会生成可追溯的新配置版本。',
  },
  en: {
    title: 'Rule settings',
    summary:
      'Edit rule parameters such as rebate ratios, level thresholds and payout cycles; every change creates a new, traceable configuration version.',
  },
});
