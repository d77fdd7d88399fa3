// The generated TypeScript calculators on related aggregates (their hand-computed fixtures run in
// ts-fixtures.test.ts): the tables each reads, then the calculators against the DuckDB SQL on random
// rows of test/projects/related's tables (references drawn from a few keys: several related rows,
// none, rows of no outer row), random grains, ranges and dimensions. KPI_FUZZ_RUNS sets the cases
// per KPI; KPI_FUZZ_SEED replays one.

import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../src/index.js';
import { Differential, importGenerated, writeGenerated, type GeneratedKpi } from './ts-setup.js';
import { RELATED_FIXTURES } from '../projects/related/fixtures.js';

const RUNS = Number(process.env.KPI_FUZZ_RUNS ?? 25);
const PROJECT = resolve(import.meta.dirname, '..', 'projects', 'related');

const compiled = compileProject(PROJECT);
const project = compiled.value;
let kpis: Record<string, GeneratedKpi>;
const differential = new Differential(project);

beforeAll(async () => {
  if (!compiled.ok) return;
  kpis = await importGenerated(writeGenerated(project));
  await differential.open(kpis);
});

afterAll(() => {
  differential.close();
  console.log(`related: ${differential.report(RUNS)}`);
});

describe('calculators on the fixtures of test/projects/related', () => {
  it('the project checks, with the fixtures listed here', () => {
    expect(compiled.diagnostics.map((d) => `${d.file}:${d.span?.line}:${d.span?.column} ${d.code} ${d.message}`)).toEqual([]);
    expect(project.kpis.flatMap((k) => k.def.tests.map(() => k.def.id.value))).toEqual(RELATED_FIXTURES);
  });

  // Each fixture's values through the calculators: in ts-fixtures.test.ts, with the catalog's.

  it('every calculator reads the related tables it needs', () => {
    const reads: Record<string, string[]> = Object.fromEntries(Object.values(kpis).map((k) => [k.id, [...k.tables].sort()]));
    expect(reads).toEqual({
      active_customers: ['customers', 'jobs', 'sites'],
      alarm_sites: ['alarms', 'sites'],
      contract_sites_during: ['contracts', 'sites'],
      contract_sites_opened: ['contracts', 'sites'],
      covered_sites: ['contracts', 'monitors', 'sites'],
      covered_sites_change: ['contracts', 'sites'],
      days_to_first_visit: ['jobs', 'sites', 'visits'],
      first_month_visits: ['jobs', 'visits'],
      job_cost_per_site: ['jobs', 'sites'],
      visit_profile: ['jobs', 'sites', 'visits'],
    });
  });
});

describe('related aggregates: calculators agree with the SQL on random rows', () => {
  for (const id of [...new Set(RELATED_FIXTURES)]) it(id, () => differential.check(id, RUNS));
});
