import { defineSource, id, text } from './define';

/** 销售主体: subjects already developed by the cloud's sales (R-ATTR-4c). */
export const salesSubjectsSource = defineSource({
  name: 'sales_subjects',
  labelZh: '销售主体',
  key: ['subject_id'],
  columns: [id('subject_id', ['实名主体ID']), text('owner', ['销售/拓展人', '销售', '拓展人'])],
  references: [],
});
