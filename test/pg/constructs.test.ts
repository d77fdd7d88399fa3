// PostgreSQL against DuckDB on random data, for the constructs the catalog does not use and for
// the places where the engines differ: median and percentile with filters, round() on halves (on
// doubles), integer division, least/greatest with nulls, case/if/coalesce, not/in with nulls,
// previous() two back, `on`, snapshots, overlap_days(), period_start(), dates against timestamps, a
// nullable reference, string literals with a quote and a backslash, and dimension values that a
// linguistic collation sorts differently ('B', 'a', '_c', 'é'). Every grain, random ranges, up to
// two dimensions; both the bound query of `kpi run` and the literal query of a generated file.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProject, emitSql, planQuery } from '../../src/index.js';
import { duckdbScratch } from '../../src/run/duckdb.js';
import type { ScratchEngine } from '../../src/run/engine.js';
import { openPostgresScratch } from '../../src/run/postgres.js';
import { agree, queryOptions, type RowsOptions } from './agree.js';
import { createDatabase } from './database.js';

const RUNS = Number(process.env.KPI_FUZZ_RUNS ?? 8);

const SOURCES: Record<string, string> = {
  jobs: `table: jobs
primary_key: id
time: done_at
lifespan: { from: opened_on, to: closed_on }
columns:
  id: { type: integer }
  site_id: { type: integer, nullable: true, references: sites }
  opened_on: { type: date }
  closed_on: { type: date, nullable: true }
  started_at: { type: timestamp, nullable: true }
  done_at: { type: timestamp, nullable: true }
  hours: { type: decimal, nullable: true, unit: hours }
  visits: { type: integer, nullable: true, unit: count }
  kind: { type: string, nullable: true, values: [a, b, c] }
  note: { type: string, nullable: true }
  urgent: { type: boolean, nullable: true }
`,
  sites: `table: sites
primary_key: id
columns:
  id: { type: integer }
  area: { type: string, nullable: true, values: [x, y] }
  open: { type: boolean }
`,
};

/** Formulas as YAML double-quoted strings: `\\\\` is one backslash in the formula. */
const KPIS: Record<string, [unit: string, formula: string]> = {
  job_median: ['hours', 'jobs.median(hours)'],
  job_p90: ['hours', "jobs.percentile(hours_between(started_at, done_at), 0.9 where urgent or kind not in ['a', 'b'])"],
  job_spread: ['count', 'jobs.max(visits) - jobs.min(visits) + jobs.avg(visits)'],
  job_rounded: ['hours', 'round(jobs.sum(abs(-hours) where not urgent), 1) + coalesce(jobs.min(hours), -1)'],
  job_halves: ['hours', 'jobs.sum(round(hours, 1) + round(hours * 10, 0) + round(hours / 8, 2)) + round(jobs.avg(hours), 2)'],
  job_division: ['count', 'jobs.sum(visits / 2) + 7 / 2'],
  job_case: ['hours', "jobs.sum(case when kind = 'a' then hours when kind = 'b' then 2 * hours else 0 end)"],
  job_clamped: ['hours', 'jobs.avg(least(hours, 8) + greatest(hours, 1))'],
  job_if: ['count', 'jobs.count(where if(urgent, visits > 1, visits is null)) + jobs.count(visits)'],
  job_sites: ['count', 'jobs.count_distinct(site_id where sites.open)'],
  job_snapshots: ['count', 'jobs.count(at start) + 10 * jobs.count(at end)'],
  job_overlap: ['days', "jobs.sum(overlap_days() where kind != 'c' during)"],
  job_late_start: ['count', 'jobs.count(where started_at < period_start())'],
  job_growth: ['count', 'jobs.count() - previous(previous(jobs.count()))'],
  job_started_ratio: ['ratio', 'jobs.count(on started_at) / jobs.count()'],
  job_wait: ['minutes', 'jobs.avg(minutes_between(opened_on, started_at) where opened_on <= started_at)'],
  job_notes: ['count', "jobs.count(where note in ['it''s', 'a\\\\b'] or note = 'B')"],
  job_rolling: ['count', 'jobs.count(over 3 months) + jobs.count_distinct(site_id where urgent over 10 days)'],
  job_to_date: ['hours', 'jobs.sum(hours over year to date) + jobs.sum(hours over month to date) + jobs.sum(hours over all time)'],
  job_last: ['count', 'jobs.sum(visits at last per site_id) + jobs.count(on started_at at first)'],
  job_offsets: ['count', 'jobs.count() - previous(jobs.count(), 1 year) + start_of(jobs.count(), quarter) + previous(jobs.count(), 10 days)'],
  job_disc: ['hours', 'jobs.median_disc(hours) + jobs.percentile_disc(hours, 0.3)'],
};
const DIMENSIONS = ['kind', 'area', 'note'];
const NOTES = ["it's", 'a\\b', 'B', 'a', '_c', 'é', 'Z'];

function writeProject(): string {
  const root = mkdtempSync(join(tmpdir(), 'kpi-pg-constructs-'));
  mkdirSync(join(root, 'schemas', 'sources'), { recursive: true });
  mkdirSync(join(root, 'kpis', 'test'), { recursive: true });
  for (const [table, text] of Object.entries(SOURCES)) writeFileSync(join(root, 'schemas', 'sources', `${table}.yaml`), text);
  for (const [id, [unit, formula]] of Object.entries(KPIS)) {
    const lines = [`id: ${id}`, `name: ${id}`, 'description: A construct under test.', 'question: Does PostgreSQL agree with DuckDB?', 'tier: tactical', 'roles: [manager]', 'owner: test'];
    lines.push(`unit: ${unit}`, 'better: higher', `formula: "${formula}"`, 'grain: month', `dimensions: [${DIMENSIONS.join(', ')}]`, '');
    writeFileSync(join(root, 'kpis', 'test', `${id}.yaml`), lines.join('\n'));
  }
  return root;
}

// Random rows: the days around period edges drawn often; halves and values a double cannot hold
// exactly (0.285) for round(); notes that sort differently by collation.
const ROWS: RowsOptions = {
  edges: ['2024-11-01', '2024-12-30', '2024-12-31', '2025-01-01', '2025-01-06', '2025-03-31', '2025-04-01'],
  decimals: [0, 0.5, 2.25, -3.75, 0.285, 1.005, 2.675, 1234.56, -0.05],
  strings: NOTES,
  maxRows: 12,
};
const options = queryOptions(DIMENSIONS, 2);

const root = writeProject();
const compiled = compileProject(root);
let db: Awaited<ReturnType<typeof createDatabase>>;
let duck: ScratchEngine;
let pg: ScratchEngine;
let withValues = 0;

beforeAll(async () => {
  db = await createDatabase('constructs');
  duck = await duckdbScratch();
  const opened = await openPostgresScratch(db.url);
  expect(opened.diagnostics).toEqual([]);
  pg = opened.engine!;
});

afterAll(async () => {
  await duck?.close();
  await pg?.close();
  await db?.drop();
  rmSync(root, { recursive: true, force: true });
});

describe('constructs: PostgreSQL agrees with DuckDB on random data', () => {
  it('the project checks', () => {
    expect(compiled.diagnostics.map((d) => `${d.file}: ${d.message}`)).toEqual([]);
    expect(compiled.value.kpis.map((k) => k.def.id.value).sort()).toEqual(Object.keys(KPIS).sort());
  });

  for (const id of Object.keys(KPIS).sort()) it(id, async () => void (withValues += await agree(compiled.value, id, ROWS, options, duck, pg, RUNS)));

  it('had values to compare in most runs', () => {
    expect(withValues).toBeGreaterThan((Object.keys(KPIS).length * RUNS) / 3);
  });
});

describe('where the engines differ by default', () => {
  it("orders string dimensions by code point, not by the database's en-US collation", async () => {
    const project = compiled.value;
    const notes = ['é', 'a', 'B', '_c', 'Z', "it's", 'a\\b'];
    const jobs = notes.map((note, i) => ({ id: i + 1, opened_on: '2025-01-01', done_at: '2025-01-02 10:00:00', note }));
    await duck.loadTables(project.sources, { jobs });
    await pg.loadTables(project.sources, { jobs });
    const plan = planQuery(project, { ids: ['job_notes'], grain: 'month', by: ['note'] }).value!;
    const order = async (e: ScratchEngine) => (await e.runQuery(emitSql(plan, { dialect: e.dialect, mode: 'bound' }))).map((r) => [r.note, r.job_notes]);
    // By hand: byte order puts upper case, then '_', then lower case, then 'é'; the notes counted are it's, a\b and B.
    const expected = [['B', 1], ['Z', 0], ['_c', 0], ['a', 0], ['a\\b', 1], ["it's", 1], ['é', 0]];
    expect(await order(duck)).toEqual(expected);
    expect(await order(pg)).toEqual(expected);
  });

  it('rounds doubles as DuckDB does, and decimals exactly', async () => {
    // By hand: 0.285 is 0.28499999999999998 as a double, so it rounds down; as a decimal, up.
    // 2.5 and -2.5 go away from zero on both (PostgreSQL's own round of a double would give 2).
    const cases: [value: string, duckType: string, pgType: string, digits: string, expected: number][] = [
      ['0.285', 'DOUBLE', 'double precision', '2', 0.28],
      ['0.285', 'DECIMAL(18,3)', 'numeric(18,3)', '2', 0.29],
      ['2.5', 'DOUBLE', 'double precision', '0', 3],
      ['-2.5', 'DOUBLE', 'double precision', '0', -3],
      ['1.005', 'DOUBLE', 'double precision', '2', 1],
      ['1250', 'DOUBLE', 'double precision', '-2', 1300],
      ['-1249.9', 'DOUBLE', 'double precision', '-2', -1200],
      ['7', 'BIGINT', 'bigint', '1', 7],
    ];
    for (const [value, duckType, pgType, digits, expected] of cases) {
      const onDuck = await duck.runQuery({ sql: `SELECT CAST(${duck.dialect.round(`CAST(${value} AS ${duckType})`, digits)} AS DOUBLE) AS v`, params: [], columns: ['v'] });
      const onPg = await pg.runQuery({ sql: `SELECT CAST(${pg.dialect.round(`CAST(${value} AS ${pgType})`, digits)} AS double precision) AS v`, params: [], columns: ['v'] });
      expect([value, duckType, digits, onDuck[0].v], 'DuckDB').toEqual([value, duckType, digits, expected]);
      expect([value, pgType, digits, onPg[0].v], 'PostgreSQL').toEqual([value, pgType, digits, expected]);
    }
  });

  it('writes string literals that read back the same, whatever standard_conforming_strings says', async () => {
    const strings = ["it's", 'a\\b', '\\', "\\'", 'é ✓', "'); DROP TABLE jobs; --"];
    for (const conforming of ['on', 'off']) {
      await pg.runQuery({ sql: `SET standard_conforming_strings = ${conforming}`, params: [], columns: [] });
      for (const s of strings) {
        const [row] = await pg.runQuery({ sql: `SELECT ${pg.dialect.literal(s, 'string')} AS v`, params: [], columns: ['v'] });
        expect(row.v, `${s} with standard_conforming_strings ${conforming}`).toBe(s);
      }
    }
    await pg.runQuery({ sql: 'RESET standard_conforming_strings', params: [], columns: [] });
  });
});
