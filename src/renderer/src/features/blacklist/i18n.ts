import { defineStrings } from '../../shared/strings';

export const blacklistStrings = defineStrings({
  'zh-CN': {
    title: '黑名单',
    summary: '将违规云客加入或移出黑名单（须填写原因并记入日志），冻结其返利并限制其继续推广。',
  },
  en: {
    title: 'Blacklist',
    summary:
      'Add partners to the blacklist or lift them from it, with a logged reason: their rebates are frozen and their promotion is stopped.',
  },
});
