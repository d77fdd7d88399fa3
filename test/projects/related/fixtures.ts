// The fixtures of this project: each KPI once per fixture, in the order of the files (the order
// runFixtures reports them in). The runners' tests compare their results with this list.

export const RELATED_FIXTURES = [
  'active_customers', 'active_customers', 'alarm_sites', 'contract_sites_during', 'contract_sites_during', 'contract_sites_opened', 'contract_sites_opened',
  'covered_sites', 'covered_sites', 'covered_sites_change', 'days_to_first_visit', 'days_to_first_visit', 'first_month_visits', 'first_month_visits',
  'job_cost_per_site', 'job_cost_per_site', 'visit_profile',
];
