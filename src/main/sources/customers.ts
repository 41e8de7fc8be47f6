import { defineSource, id, ip, oneOf, text, time } from './define';

/** 客户: cloud accounts (customer_id is the account id). */
export const customersSource = defineSource({
  name: 'customers',
  labelZh: '客户',
  key: ['customer_id'],
  columns: [
    id('customer_id', ['客户ID']),
    oneOf('customer_type', ['客户类型'], ['individual', 'enterprise'], false),
    text('name', ['姓名', '主体名称']),
    text('phone', ['手机号']),
    text('id_number', ['证件号']),
    time('registered_at', ['注册时间'], true),
    ip('registration_ip', ['注册IP']),
    id('subject_id', ['实名主体ID'], false),
    oneOf('channel', ['渠道服务'], ['none', 'sales', 'agent', 'paid_channel'], false),
  ],
  references: [],
});
