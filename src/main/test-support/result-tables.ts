/**
 * The result tables a full recompute writes, each with the columns that order its rows (a key, or
 * every column of a table without one): tests compare two stores' or two runs' results by them.
 */
export const RESULT_ROW_ORDER = {
  result_orders: 'order_id',
  result_attributions: 'event_id',
  result_experience: 'group_id, customer_id, order_id, source_id, at',
  result_partners: 'partner_id',
  result_levels: 'partner_id, at',
  result_same_person: 'member_kind, member_id',
  result_same_person_edges: 'group_id, a_kind, a_id, b_kind, b_id, evidence, value',
  result_payouts: 'partner_id, cycle_key',
  result_investigation: 'group_id',
  result_investigation_partners: 'partner_id, group_id',
};
