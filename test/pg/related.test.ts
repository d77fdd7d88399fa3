// Related aggregates on PostgreSQL: the hand-computed fixtures of test/projects/related give the
// values they expect, and DuckDB's rows in DuckDB's order; then PostgreSQL against DuckDB on random
// rows of the project's tables (references drawn from a few keys, so outer rows have several related
// rows, none, or rows of no outer row), every grain, random ranges, the KPIs' own dimensions; both the
// bound query of `kpi run` and the literal query of a generated file.

import fc from 'fast-check';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProject, emitSql, planQuery } from '../../src/index.js';
import type { Grain } from '../../src/plan/ir.js';
import { duckdbScratch } from '../../src/run/duckdb.js';
import type { Row, ScratchEngine } from '../../src/run/engine.js';
import { closeEnough, runFixtures, type FixtureResult } from '../../src/run/fixtures.js';
import { openPostgresScratch } from '../../src/run/postgres.js';
import type { ColumnDef, SourceDef } from '../../src/load/types.js';
import { createDatabase } from './database.js';

const RUNS = Number(process.env.KPI_FUZZ_RUNS ?? 8);
const PROJECT = resolve(import.meta.dirname, '..', 'projects', 'related');

/** Each KPI of the project, once per fixture, in the order runFixtures reports them. */
const RELATED_FIXTURES = [
  'active_customers', 'active_customers', 'alarm_sites', 'contract_sites_during', 'contract_sites_during', 'contract_sites_opened', 'contract_sites_opened',
  'covered_sites', 'covered_sites', 'covered_sites_change', 'days_to_first_visit', 'days_to_first_visit', 'first_month_visits', 'first_month_visits',
  'job_cost_per_site', 'job_cost_per_site', 'visit_profile',
];

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

// ---------------------------------------------------------------------------------------------
// Random rows: a small window with the days around period edges drawn often; references to 1..4.

const DAY = 86_400_000;
const START = Date.UTC(2024, 10, 1);
const DAYS = 151;
const EDGES = ['2024-11-01', '2024-12-30', '2024-12-31', '2025-01-01', '2025-01-06', '2025-02-01', '2025-03-31', '2025-04-01'];
const iso = (ms: number) => new Date(ms).toISOString();
const day = fc.oneof(fc.integer({ min: 0, max: DAYS - 1 }).map((d) => iso(START + d * DAY).slice(0, 10)), fc.constantFrom(...EDGES));
const instant = fc.oneof(
  fc.integer({ min: 0, max: DAYS * 86_400 - 1 }).map((s) => iso(START + s * 1000).slice(0, 19).replace('T', ' ')),
  fc.tuple(fc.constantFrom(...EDGES), fc.constantFrom('00:00:00', '23:59:59')).map(([d, t]) => `${d} ${t}`),
);
const decimal = fc.oneof(fc.constantFrom(0, 0.5, 2.25, -3.75, 100), fc.integer({ min: -500, max: 20_000 }).map((c) => c / 100));

function valueOf(c: ColumnDef): fc.Arbitrary<unknown> {
  let a: fc.Arbitrary<unknown>;
  if (c.references) a = fc.integer({ min: 1, max: 4 });
  else if (c.type === 'integer') a = fc.integer({ min: -2, max: 9 });
  else if (c.type === 'decimal') a = decimal;
  else if (c.type === 'boolean') a = fc.boolean();
  else if (c.type === 'string') a = fc.constantFrom(...(c.values ?? ['ann', 'bob', 'cy']));
  else if (c.type === 'date') a = day;
  else a = instant;
  return c.nullable ? fc.option(a, { nil: null, freq: 4 }) : a;
}

function rowsOf(source: SourceDef): fc.Arbitrary<Record<string, unknown>[]> {
  const others = source.columns.filter((c) => c.name !== source.primaryKey);
  const row = fc.record(Object.fromEntries(others.map((c) => [c.name, valueOf(c)])));
  return fc.array(row, { maxLength: 10 }).map((rows) => rows.map((r, i) => ({ [source.primaryKey]: i + 1, ...r })));
}

const range = fc.integer({ min: -20, max: DAYS + 20 }).map((d) => iso(START + d * DAY).slice(0, 10));

function differences(what: string, a: Row[], b: Row[], id: string): string[] {
  const out: string[] = [];
  if (a.length !== b.length) out.push(`${what}: ${a.length} rows on DuckDB, ${b.length} on PostgreSQL`);
  a.forEach((row, i) => {
    for (const [col, v] of Object.entries(row)) {
      const w = b[i]?.[col];
      if (col === id ? !closeEnough(w as number | null, v as number | null) : w !== v) out.push(`${what} row ${i} ${col}: DuckDB ${JSON.stringify(v)}, PostgreSQL ${JSON.stringify(w)}`);
    }
  });
  return out.slice(0, 6);
}

async function agree(id: string): Promise<void> {
  const project = compiled.value;
  const def = project.kpis.find((k) => k.def.id.value === id)!.def;
  const data = fc.record(Object.fromEntries(project.sources.map((s) => [s.table, rowsOf(s)])));
  const options = fc.record({
    from: range,
    to: range,
    grain: fc.constantFrom<Grain | 'none'>('day', 'week', 'month', 'quarter', 'year', 'none'),
    periods: fc.constantFrom<'all' | 'data'>('all', 'data'),
    by: fc.shuffledSubarray(def.dimensions.map((d) => d.value), { maxLength: Math.min(1, def.dimensions.length) }),
  });
  await fc.assert(
    fc.asyncProperty(data, options, async (tables, o) => {
      const plan = planQuery(project, { ids: [id], grain: o.grain, periods: o.periods, by: o.by });
      // Offsets need a grain: both backends share the refusal, there is nothing to compare.
      if (!plan.value && o.grain === 'none' && plan.diagnostics.every((d) => d.code === 'KPI0510')) return;
      if (!plan.value) throw new Error(plan.diagnostics.map((d) => d.message).join('; '));
      const [from, to] = o.from <= o.to ? [o.from, o.to] : [o.to, o.from];
      await duck.loadTables(project.sources, tables);
      await pg.loadTables(project.sources, tables);
      const bound = (e: ScratchEngine) => e.runQuery(emitSql(plan.value!, { dialect: e.dialect, mode: 'bound' }, { from, to }));
      // A generated file: literals written out, the range unset (all the data).
      const file = (e: ScratchEngine) => e.runQuery(emitSql(plan.value!, { dialect: e.dialect, mode: 'file' }));
      const a = await bound(duck);
      if (a.some((r) => r[id] !== null)) withValues++;
      const diff = [...differences('bound', a, await bound(pg), id), ...differences('file', await file(duck), await file(pg), id)];
      if (diff.length > 0) throw new Error(`${id} ${JSON.stringify({ ...o, from, to })}:\n${diff.join('\n')}`);
    }),
    { numRuns: RUNS, seed: process.env.KPI_FUZZ_SEED ? Number(process.env.KPI_FUZZ_SEED) : undefined },
  );
}

describe('related aggregates: PostgreSQL agrees with DuckDB on random data', () => {
  const ids = [...new Set(RELATED_FIXTURES)];
  for (const id of ids) it(id, () => agree(id));

  it('had values to compare in most runs', () => {
    expect(withValues).toBeGreaterThan((ids.length * RUNS) / 3);
  });
});
