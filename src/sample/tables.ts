// The physical layout of the sample tables. It mirrors schemas/sources/*.yaml (the test checks
// that it does): integer → BIGINT (INTEGER for scores), decimal → DECIMAL(18,2), boolean →
// BOOLEAN, string → VARCHAR, date → DATE, timestamp → TIMESTAMP (UTC, no time zone).

const ID = 'BIGINT';
const MONEY = 'DECIMAL(18,2)';
const NUM = 'DECIMAL(18,2)';
const TS = 'TIMESTAMP';

export type TableLayout = readonly (readonly [column: string, sqlType: string])[];

export const TABLES: Record<string, TableLayout> = {
  customers: [
    ['id', ID], ['name', 'VARCHAR'], ['region', 'VARCHAR'], ['segment', 'VARCHAR'], ['channel', 'VARCHAR'],
    ['created_at', 'DATE'], ['churned_at', 'DATE'], ['health', 'VARCHAR'], ['monthly_recurring_revenue', MONEY],
  ],
  customer_health: [
    ['id', ID], ['customer_id', ID], ['health', 'VARCHAR'], ['monthly_recurring_revenue', MONEY], ['valid_from', 'DATE'], ['valid_to', 'DATE'],
  ],
  technicians: [
    ['id', ID], ['name', 'VARCHAR'], ['region', 'VARCHAR'], ['active', 'BOOLEAN'], ['hired_at', 'DATE'], ['left_at', 'DATE'],
  ],
  assets: [
    ['id', ID], ['customer_id', ID], ['product_line', 'VARCHAR'], ['installed_at', 'DATE'], ['decommissioned_at', 'DATE'],
    ['under_contract', 'BOOLEAN'], ['monitored', 'BOOLEAN'], ['list_price', MONEY],
  ],
  product_sales: [
    ['id', ID], ['customer_id', ID], ['asset_id', ID], ['sold_at', TS], ['amount', MONEY], ['cost', MONEY],
    ['region', 'VARCHAR'], ['channel', 'VARCHAR'], ['contract_attached', 'BOOLEAN'],
  ],
  contracts: [
    ['id', ID], ['customer_id', ID], ['asset_id', ID], ['sale_id', ID], ['start_date', 'DATE'], ['end_date', 'DATE'],
    ['monthly_value', MONEY], ['renewal_due_at', 'DATE'], ['renewed', 'BOOLEAN'], ['term_months', 'INTEGER'],
  ],
  tickets: [
    ['id', ID], ['customer_id', ID], ['asset_id', ID], ['opened_at', TS], ['first_response_at', TS], ['resolved_at', TS],
    ['closed_at', TS], ['sla_due_at', TS], ['category', 'VARCHAR'], ['priority', 'VARCHAR'], ['channel', 'VARCHAR'],
    ['resolved_first_contact', 'BOOLEAN'], ['resolved_remotely', 'BOOLEAN'], ['detected_proactively', 'BOOLEAN'],
    ['needs_visit', 'BOOLEAN'], ['service_cost', MONEY], ['customer_impact_at', TS],
  ],
  work_orders: [
    ['id', ID], ['ticket_id', ID], ['asset_id', ID], ['technician_id', ID], ['type', 'VARCHAR'], ['status', 'VARCHAR'],
    ['emergency', 'BOOLEAN'], ['created_at', TS], ['dispatched_at', TS], ['accepted', 'BOOLEAN'], ['scheduled_start', TS],
    ['completed_at', TS], ['closed_at', TS], ['failure_reported_at', TS], ['restored_at', TS],
    ['resolved_on_first_visit', 'BOOLEAN'], ['visit_count', 'INTEGER'], ['labour_cost', MONEY], ['parts_cost', MONEY],
    ['travel_cost', MONEY], ['revenue', MONEY],
  ],
  visits: [
    ['id', ID], ['work_order_id', ID], ['technician_id', ID], ['visit_number', 'INTEGER'], ['window_start', TS],
    ['window_end', TS], ['promised_arrival_at', TS], ['arrived_at', TS], ['departed_at', TS], ['travel_minutes', NUM],
    ['parts_needed', 'BOOLEAN'], ['parts_on_hand', 'BOOLEAN'],
  ],
  timesheets: [
    ['id', ID], ['technician_id', ID], ['work_date', 'DATE'], ['available_hours', NUM], ['billable_hours', NUM],
    ['training_hours', NUM], ['paid_hours', NUM],
  ],
  surveys: [
    ['id', ID], ['customer_id', ID], ['ticket_id', ID], ['kind', 'VARCHAR'], ['answered_at', TS], ['nps_score', 'INTEGER'],
    ['csat_score', 'INTEGER'],
  ],
  engagements: [
    ['id', ID], ['customer_id', ID], ['occurred_at', TS], ['channel', 'VARCHAR'], ['sentiment', 'VARCHAR'],
  ],
  revenue: [
    ['id', ID], ['customer_id', ID], ['booked_at', 'DATE'], ['amount', MONEY], ['kind', 'VARCHAR'],
    ['work_order_id', ID], ['sale_id', ID],
  ],
  service_costs: [
    ['id', ID], ['customer_id', ID], ['booked_at', 'DATE'], ['amount', MONEY], ['category', 'VARCHAR'],
    ['defect_related', 'BOOLEAN'], ['ticket_id', ID],
  ],
  monitored_systems: [
    ['id', ID], ['customer_id', ID], ['asset_id', ID], ['kind', 'VARCHAR'], ['monitored_from', 'DATE'], ['monitored_to', 'DATE'],
  ],
  incidents: [
    ['id', ID], ['system_id', ID], ['started_at', TS], ['responded_at', TS], ['resolved_at', TS], ['outage_minutes', NUM],
    ['security_breach', 'BOOLEAN'],
  ],
  predictions: [
    ['id', ID], ['asset_id', ID], ['predicted_at', TS], ['window_start', 'DATE'], ['window_end', 'DATE'], ['confirmed', 'BOOLEAN'],
  ],
};

export function createTableSql(table: string): string {
  const columns = TABLES[table].map(([name, type]) => `${name} ${type}`).join(', ');
  return `CREATE TABLE ${table} (${columns})`;
}
