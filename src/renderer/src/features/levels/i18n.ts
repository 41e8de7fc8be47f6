import { defineStrings } from '../../shared/strings';

export const levelsStrings = defineStrings({
  'zh-CN': {
    title: '等级',
    summary: '查看云客的等级与经验值，并可按原因调整等级（可设置结束日期）。',
  },
  en: {
    title: 'Levels',
    summary:
      'See each partner’s level and experience, and override a level with a reason and an optional end date.',
  },
});
