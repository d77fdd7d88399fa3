// Related aggregates on PostgreSQL: the hand-computed fixtures of test/projects/related give the
// values they expect, and DuckDB's rows in DuckDB's order; then PostgreSQL against DuckDB on random
// rows of the project's tables (references drawn from a few keys, so outer rows have several related
// rows, none, or rows of no outer row), every grain, random ranges, the KPIs' own dimensions; both the
// bound query of `kpi run` and the literal query of a generated file.

import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProject, emitSql, planQuery } from '../../src/index.js';
import { duckdbScratch } from '../../src/run/duckdb.js';
import type { ScratchEngine } from '../../src/run/engine.js';
import { runFixtures, type FixtureResult } from '../../src/run/fixtures.js';
import { openPostgresScratch } from '../../src/run/postgres.js';
import { agree, differences, queryOptions, type RowsOptions } from './agree.js';
import { createDatabase } from './database.js';
import { RELATED_FIXTURES } from '../projects/related/fixtures.js';

const RUNS = Number(process.env.KPI_FUZZ_RUNS ?? 8);
const PROJECT = resolve(import.meta.dirname, '..', 'projects', 'related');

const compiled = compileProject(PROJECT);
let db: Awaited<ReturnType<typeof createDatabase>>;
let duck: ScratchEngine;
let pg: ScratchEngine;
let onDuckdb: FixtureResult[];
let onPostgres: FixtureResult[];
let withValues = 0;

beforeAll(async () => {
  db = await createDatabase('related');
  duck = await duckdbScratch();
  const opened = await openPostgresScratch(db.url);
  expect(opened.diagnostics).toEqual([]);
  pg = opened.engine!;
  if (compiled.diagnostics.length === 0) {
    onDuckdb = await runFixtures(compiled.value);
    onPostgres = await runFixtures(compiled.value, undefined, pg);
  }
});

afterAll(async () => {
  await duck?.close();
  await pg?.close();
  await db?.drop();
});

describe('the related project on PostgreSQL', () => {
  it('checks', () => {
    expect(compiled.diagnostics.map((d) => `${d.file}:${d.span?.line}:${d.span?.column} ${d.code} ${d.message}`)).toEqual([]);
  });

  it('gives the hand-computed values of every fixture', () => {
    expect(onPostgres.map((r) => [r.kpi, r.failures, r.diagnostics])).toEqual(RELATED_FIXTURES.map((id) => [id, [], []]));
    expect(new Set(onPostgres.map((r) => r.backend))).toEqual(new Set(['postgres']));
  });

  it("gives DuckDB's rows, in DuckDB's order, to 1e-9", () => {
    const out: string[] = [];
    onPostgres.forEach((p, i) => {
      const d = onDuckdb[i];
      expect([p.kpi, p.fixture]).toEqual([d.kpi, d.fixture]);
      out.push(...differences(`${p.kpi} / ${p.fixture}`, d.rows ?? [], p.rows ?? [], p.kpi));
    });
    expect(out).toEqual([]);
  });

  it("--where filters the outer rows only (the jobs' own region column is not filtered), as on DuckDB", async () => {
    const project = compiled.value;
    const given = project.kpis.find((k) => k.def.id.value === 'job_cost_per_site')!.def.tests[0].given;
    const plan = planQuery(project, { ids: ['job_cost_per_site'], grain: 'month', where: "region = 'north'" });
    expect(plan.diagnostics).toEqual([]);
    await pg.loadTables(project.sources, given);
    const rows = await pg.runQuery(emitSql(plan.value!, { dialect: pg.dialect, mode: 'bound' }, { from: '2025-01-01', to: '2025-03-31' }));
    // By hand in test/run/related.test.ts: north sites 1, 2; site 1 keeps its south team's job.
    expect(rows.map((r) => [String(r.period), r.job_cost_per_site])).toEqual([
      ['2025-01-01', 150075],
      ['2025-02-01', 20010],
      ['2025-03-01', null],
    ]);
  });
});

// Random rows; references to keys 1..4, so outer rows have several related rows, none, or rows of
// no outer row.
const ROWS: RowsOptions = {
  edges: ['2024-11-01', '2024-12-30', '2024-12-31', '2025-01-01', '2025-01-06', '2025-02-01', '2025-03-31', '2025-04-01'],
  decimals: [0, 0.5, 2.25, -3.75, 100],
  strings: ['ann', 'bob', 'cy'],
  maxRows: 10,
};

function agreeOn(id: string): Promise<number> {
  const def = compiled.value.kpis.find((k) => k.def.id.value === id)!.def;
  return agree(compiled.value, id, ROWS, queryOptions(def.dimensions.map((d) => d.value), 1), duck, pg, RUNS);
}

describe('related aggregates: PostgreSQL agrees with DuckDB on random data', () => {
  const ids = [...new Set(RELATED_FIXTURES)];
  for (const id of ids) it(id, async () => void (withValues += await agreeOn(id)));

  it('had values to compare in most runs', () => {
    expect(withValues).toBeGreaterThan((ids.length * RUNS) / 3);
  });
});
