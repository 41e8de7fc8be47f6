import { defineSource, id, money, oneOf, time } from './define';

/** 退款 / 降配: reversals of orders (R-CLAW-*); amount (yuan) is stored as amount_fen. */
export const refundsSource = defineSource({
  name: 'refunds',
  labelZh: '退款',
  key: ['refund_id'],
  columns: [
    id('refund_id', ['退款单号']),
    id('order_id', ['订单号']),
    oneOf('kind', ['类型'], ['refund', 'downgrade'], true),
    money('amount', ['退款金额'], 'amount_fen'),
    time('refunded_at', ['退款时间'], true),
  ],
  references: [{ column: 'order_id', table: 'orders', keyColumn: 'order_id' }],
});
