import { defineSource, id, ip, time } from './define';

/** 登录IP: IP evidence for partners and customers (R-SAME-*); the whole row is the key. */
export const loginIpsSource = defineSource({
  name: 'login_ips',
  labelZh: '登录IP',
  key: ['account_id', 'ip', 'seen_at'],
  columns: [id('account_id', ['账号ID']), ip('ip', ['IP'], true), time('seen_at', ['时间'], true)],
  references: [],
});
