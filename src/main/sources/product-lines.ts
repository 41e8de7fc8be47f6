import { bool, defineSource, id, text } from './define';

/** 产品线: which product lines earn rebates. */
export const productLinesSource = defineSource({
  name: 'product_lines',
  labelZh: '产品线',
  key: ['product_line'],
  columns: [
    id('product_line', ['产品线']),
    text('name', ['名称'], true),
    bool('rebate_eligible', ['可返利'], true),
  ],
  references: [],
});
