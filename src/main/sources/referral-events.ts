import { defineSource, id, ip, oneOf, time } from './define';

/** 推广事件: register / login / visit through a partner's link (R-ATTR-*). */
export const referralEventsSource = defineSource({
  name: 'referral_events',
  labelZh: '推广事件',
  key: ['event_id'],
  columns: [
    id('event_id', ['事件ID']),
    id('partner_id', ['云客ID']),
    id('customer_id', ['客户ID']),
    oneOf('kind', ['类型'], ['register', 'login', 'visit'], true),
    time('occurred_at', ['时间'], true),
    ip('ip', ['IP']),
  ],
  references: [
    { column: 'partner_id', table: 'partners', keyColumn: 'partner_id' },
    { column: 'customer_id', table: 'customers', keyColumn: 'customer_id' },
  ],
});
