import { describe, expect, it } from 'vitest';
import { detectSource, resolveHeaders } from '.';

describe('source detection from headers', () => {
  it('recognises every source from its English headers', () => {
    expect(
      detectSource([
        'order_id',
        'customer_id',
        'product_line',
        'billing',
        'subscription',
        'paid_amount',
        'ordered_at',
      ]).source,
    ).toBe('orders');
    expect(detectSource(['refund_id', 'order_id', 'kind', 'amount', 'refunded_at']).source).toBe('refunds');
    expect(detectSource(['account_id', 'ip', 'seen_at']).source).toBe('login_ips');
    expect(detectSource(['subject_id', 'owner']).source).toBe('sales_subjects');
  });

  it('recognises Chinese headers in any order', () => {
    expect(detectSource(['下单时间', '实付金额', '订单号', '客户ID', '产品线', '计费方式']).source).toBe(
      'orders',
    );
    expect(detectSource(['产品线', '名称', '可返利']).source).toBe('product_lines');
    expect(detectSource(['客户ID', '主体名称', '注册时间', '客户类型']).source).toBe('customers');
    expect(detectSource(['云客ID', '状态', '姓名']).source).toBe('partners');
  });

  it('returns no source when required columns are missing', () => {
    expect(detectSource(['foo', 'bar']).source).toBeNull();
  });

  it('reports extra and missing columns', () => {
    const m = resolveHeaders('orders', ['order_id', 'customer_id', 'note', 'paid_amount']);
    expect(m.extra).toEqual(['note']);
    expect(m.missing).toEqual(['product_line', 'billing', 'ordered_at']);
  });
});
