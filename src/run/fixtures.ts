// Runs the fixtures of KPI files (`tests:`) on DuckDB: the given rows in fresh tables, the KPI's
// query at the fixture's grain and range, and every expected row compared to 1e-9 relative.

import type { CheckedProject } from '../check/check.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { duckdb } from '../emit/sql/duckdb.js';
import { emitSql } from '../emit/sql/emit.js';
import type { ColumnDef, Fixture, KpiDef } from '../load/types.js';
import { planQuery } from '../plan/query.js';
import { duckdbApi, quote, runQuery, type Cell, type Database, type Row } from './duckdb.js';

export interface FixtureResult {
  kpi: string;
  fixture: string;
  file: string;
  passed: boolean;
  /** What differs, one line each. */
  failures: string[];
  diagnostics: Diagnostic[];
}

const SQL_TYPE: Record<ColumnDef['type'], string> = { integer: 'BIGINT', decimal: 'DOUBLE', boolean: 'BOOLEAN', string: 'VARCHAR', date: 'DATE', timestamp: 'TIMESTAMP' };

export function closeEnough(actual: number | null, expected: number | null): boolean {
  if (actual === null || expected === null) return actual === expected;
  return Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
}

export async function runFixtures(project: CheckedProject, ids?: string[]): Promise<FixtureResult[]> {
  const { DuckDBInstance } = await duckdbApi();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  const db: Database = { connection, close: () => connection.closeSync() };
  const results: FixtureResult[] = [];
  try {
    for (const k of project.kpis) {
      if (ids && !ids.includes(k.def.id.value)) continue;
      for (const f of k.def.tests) results.push(await runFixture(project, k.def, f, db));
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return results;
}

async function runFixture(project: CheckedProject, kpi: KpiDef, f: Fixture, db: Database): Promise<FixtureResult> {
  const result: FixtureResult = { kpi: kpi.id.value, fixture: f.name, file: kpi.file, passed: false, failures: [], diagnostics: [] };
  const fail = (message: string, hint?: string) => result.diagnostics.push({ severity: 'error', code: 'KPI0601', message: `fixture '${f.name}': ${message}`, file: kpi.file, span: f.span, hint });
  for (const [table, rows] of Object.entries(f.given)) {
    const source = project.catalog.tables.get(table);
    if (!source) {
      fail(`there is no table '${table}'`, didYouMean(table, project.catalog.tables.keys()));
      continue;
    }
    const unknown = new Set(rows.flatMap((row) => Object.keys(row)).filter((col) => !source.columns.some((c) => c.name === col)));
    for (const col of [...unknown].sort()) fail(`${table} has no column '${col}'`, didYouMean(col, source.columns.map((c) => c.name)));
  }
  if (result.diagnostics.length > 0) return result;
  const plan = planQuery(project, { ids: [kpi.id.value], grain: f.grain, by: f.by });
  if (!plan.value) {
    result.diagnostics.push(...plan.diagnostics);
    return result;
  }
  for (const source of project.sources) {
    await db.connection.run(`DROP TABLE IF EXISTS ${quote(source.table)}`);
    await db.connection.run(`CREATE TABLE ${quote(source.table)} (${source.columns.map((c) => `${quote(c.name)} ${SQL_TYPE[c.type]}`).join(', ')})`);
    for (const row of f.given[source.table] ?? []) {
      const cols = Object.keys(row);
      if (cols.length === 0) continue;
      const values = cols.map((c) => inputValue(row[c]));
      await db.connection.run(`INSERT INTO ${quote(source.table)} (${cols.map(quote).join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`, values as never);
    }
  }
  const query = emitSql(plan.value, { dialect: duckdb, mode: 'bound' }, { from: f.from, to: f.to });
  let rows: Row[];
  try {
    rows = await runQuery(db, query);
  } catch (e) {
    fail(`the query failed: ${(e as Error).message}`);
    return result;
  }
  result.failures = compare(rows, f, kpi.id.value, plan.value.dimensions.map((d) => d.name));
  result.passed = result.failures.length === 0;
  return result;
}

function inputValue(v: unknown): unknown {
  // YAML timestamps are strings here (the core schema); TIMESTAMP takes no zone suffix.
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(v)) return v.slice(0, -1).replace('T', ' ');
  return v;
}

function key(period: string, dims: string[], row: Record<string, unknown>): string {
  return JSON.stringify([period, ...dims.map((d) => row[d] ?? null)]);
}

function compare(rows: Row[], f: Fixture, id: string, dims: string[]): string[] {
  const failures: string[] = [];
  const actual = new Map<string, Row>();
  for (const r of rows) {
    const k = key(String(r.period), dims, r);
    if (actual.has(k)) failures.push(`${[r.period, ...dims.map((d) => `${d}=${r[d]}`)].join(' ')}: the query returned this row twice`);
    actual.set(k, r);
  }
  const expectedKeys = new Set<string>();
  for (const e of f.expect) {
    const k = key(e.period, dims, e.dims);
    expectedKeys.add(k);
    const row = actual.get(k);
    const label = [e.period, ...dims.map((d) => `${d}=${e.dims[d] ?? null}`)].join(' ');
    if (!row) failures.push(`${label}: expected ${e.value}, but the query returned no such row`);
    else if (!closeEnough(row[id] as number | null, e.value)) failures.push(`${label}: expected ${e.value}, got ${show(row[id])}`);
  }
  for (const [k, r] of actual) {
    if (!expectedKeys.has(k)) failures.push(`${[r.period, ...dims.map((d) => `${d}=${r[d]}`)].join(' ')}: the query returned ${show(r[id])}, which the fixture does not expect`);
  }
  return failures;
}

function show(v: Cell | undefined): string {
  return v === null || v === undefined ? 'null' : String(v);
}
