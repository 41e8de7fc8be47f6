import { bool, defineSource, id, money, oneOf, time } from './define';

/** 订单: paid_amount (yuan) is stored as paid_fen; subscription defaults to false (DATA.md). */
export const ordersSource = defineSource({
  name: 'orders',
  labelZh: '订单',
  key: ['order_id'],
  columns: [
    id('order_id', ['订单号']),
    id('customer_id', ['客户ID']),
    id('product_line', ['产品线']),
    oneOf('billing', ['计费方式'], ['prepaid', 'postpaid'], true),
    bool('subscription', ['包年包月'], false, 0),
    money('paid_amount', ['实付金额'], 'paid_fen'),
    time('ordered_at', ['下单时间'], true),
  ],
  references: [{ column: 'customer_id', table: 'customers', keyColumn: 'customer_id' }],
});
