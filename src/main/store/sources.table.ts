import type { Insertable, Selectable } from 'kysely';

/** 产品线 */
export interface ProductLinesTable {
  product_line: string;
  name: string | null;
  rebate_eligible: number;
  import_id: number | null;
}
export interface SalesSubjectsTable {
  subject_id: string;
  owner: string | null;
  import_id: number | null;
}
/** 云客 */
export interface PartnersTable {
  partner_id: string;
  account_id: string | null;
  name: string | null;
  phone: string | null;
  id_number: string | null;
  status: string;
  verified_at: number | null;
  joined_at: number | null;
  /** 收款账号 / 收款户名 / 开户行: where payouts go (DATA.md `bank` layout); all three or the line is held */
  payee_account: string | null;
  payee_name: string | null;
  payee_bank: string | null;
  import_id: number | null;
}
/** 客户 */
export interface CustomersTable {
  customer_id: string;
  customer_type: string | null;
  name: string | null;
  phone: string | null;
  id_number: string | null;
  registered_at: number;
  registration_ip: string | null;
  subject_id: string | null;
  channel: string | null;
  import_id: number | null;
}
export interface ReferralEventsTable {
  event_id: string;
  partner_id: string;
  customer_id: string;
  kind: string;
  occurred_at: number;
  ip: string | null;
  import_id: number | null;
}
export interface OrdersTable {
  order_id: string;
  customer_id: string;
  product_line: string;
  billing: string;
  subscription: number;
  paid_fen: number;
  ordered_at: number;
  import_id: number | null;
}
export interface RefundsTable {
  refund_id: string;
  order_id: string;
  kind: string;
  amount_fen: number;
  refunded_at: number;
  import_id: number | null;
}
export interface LoginIpsTable {
  account_id: string;
  ip: string;
  seen_at: number;
  import_id: number | null;
}

export type Partner = Selectable<PartnersTable>;
export type NewPartner = Insertable<PartnersTable>;
export type Customer = Selectable<CustomersTable>;
export type Order = Selectable<OrdersTable>;
export type Refund = Selectable<RefundsTable>;
export type ReferralEvent = Selectable<ReferralEventsTable>;
