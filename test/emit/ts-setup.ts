// Shared by the TypeScript-calculator tests: the catalog's generated code written to a temp folder
// and imported, and the mapping between the calculators' dimension names and the SQL's.

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileProject } from '../../src/index.js';
import type { CheckedProject } from '../../src/check/check.js';
import { renderTsOutputs } from '../../src/emit/ts/emit.js';
import { duckdb } from '../../src/emit/sql/duckdb.js';
import { emitSql } from '../../src/emit/sql/emit.js';
import type { ColumnDef, SourceDef } from '../../src/load/types.js';
import { planQuery } from '../../src/plan/query.js';
import { runQuery, type Database } from '../../src/run/duckdb.js';

export type Cell = string | number | boolean | null;
export interface CalcRow {
  period: string;
  value: number | null;
  [dimension: string]: Cell | undefined;
}
export interface CalcOptions {
  from: string;
  to: string;
  grain?: 'day' | 'week' | 'month' | 'quarter' | 'year' | 'none';
  periods?: 'all' | 'data';
  by?: string[];
}
export interface GeneratedKpi {
  id: string;
  grain: CalcOptions['grain'];
  dimensions: readonly string[];
  tables: readonly string[];
  calculate: (rows: Record<string, Record<string, unknown>[]>, options: CalcOptions) => CalcRow[];
}

export const ROOT = new URL('../..', import.meta.url).pathname;

export function loadCatalog(root = ROOT): CheckedProject {
  const compiled = compileProject(root);
  if (!compiled.ok) throw new Error(`the catalog does not compile: ${compiled.diagnostics.map((d) => d.message).join('; ')}`);
  return compiled.value;
}

/** Writes generated/ts for the project into a fresh temp folder; returns the folder. */
export function writeGenerated(project: CheckedProject): string {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-ts-'));
  for (const [path, content] of renderTsOutputs(project)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

export async function importGenerated(dir: string): Promise<Record<string, GeneratedKpi>> {
  const mod = (await import(pathToFileURL(join(dir, 'ts', 'index.ts')).href)) as { kpis: Record<string, GeneratedKpi> };
  return mod.kpis;
}

/** `region` asks for a declared `customers.region`, and `customers.region` for a declared `region` (as the planner matches them). */
export function matchesDimension(declared: string, asked: string): boolean {
  return declared === asked || declared.endsWith(`.${asked}`) || asked.endsWith(`.${declared}`);
}

/** The calculator's name of a dimension a fixture or a user asks for. */
export function calculatorDimension(project: CheckedProject, kpi: GeneratedKpi, asked: string): string {
  const def = project.kpis.find((k) => k.def.id.value === kpi.id)!.def;
  const i = def.dimensions.findIndex((d) => matchesDimension(d.value, asked));
  if (i < 0) throw new Error(`${kpi.id} has no dimension '${asked}'`);
  return kpi.dimensions[i];
}

/** The declared name of a calculator's dimension (what the planner takes). */
export function declaredDimension(project: CheckedProject, kpi: GeneratedKpi, name: string): string {
  const def = project.kpis.find((k) => k.def.id.value === kpi.id)!.def;
  return def.dimensions[kpi.dimensions.indexOf(name)].value;
}

export function closeEnough(actual: number | null, expected: number | null): boolean {
  if (actual === null || expected === null) return actual === expected;
  return Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
}

// ---------------------------------------------------------------------------------------------
// Random data in a small window, biased to the edges of periods

const DAY = 86_400_000;
const WINDOW_START = Date.UTC(2024, 10, 1);
const WINDOW_DAYS = 151; // 2024-11-01 .. 2025-03-31
/** Days that start a week, month, quarter or year, and the days before them. */
const EDGE_DAYS = ['2024-11-01', '2024-11-04', '2024-12-01', '2024-12-30', '2024-12-31', '2025-01-01', '2025-01-05', '2025-01-06', '2025-02-01', '2025-02-28', '2025-03-01', '2025-03-31', '2025-04-01'];
/** A few instants shared between rows, so that timestamps compare equal. */
const SHARED = ['2025-01-01 00:00:00', '2024-12-31 23:59:59', '2025-02-14 12:00:00', '2025-01-06 00:00:00'];

const iso = (ms: number) => new Date(ms).toISOString();
const dayText = fc.oneof(
  { weight: 2, arbitrary: fc.integer({ min: 0, max: WINDOW_DAYS - 1 }).map((d) => iso(WINDOW_START + d * DAY).slice(0, 10)) },
  { weight: 1, arbitrary: fc.constantFrom(...EDGE_DAYS) },
);
const timestampText = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: WINDOW_DAYS * 86_400 - 1 }).map((s) => iso(WINDOW_START + s * 1000).slice(0, 19).replace('T', ' ')) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...EDGE_DAYS), fc.constantFrom('00:00:00', '23:59:59', '00:00:01')).map(([d, t]) => `${d} ${t}`) },
  { weight: 1, arbitrary: fc.constantFrom(...SHARED) },
);
const decimal = fc.oneof(
  fc.constantFrom(0, 0.5, 1, 2.25, 100, -3.75, 0.1, 0.2, 1234.56),
  fc.integer({ min: -500, max: 200_000 }).map((c) => c / 100),
);

function valueOf(c: ColumnDef): fc.Arbitrary<unknown> {
  let a: fc.Arbitrary<unknown>;
  if (c.references) a = fc.integer({ min: 1, max: 5 });
  else if (c.type === 'integer') a = fc.oneof(fc.constantFrom(0, 1, 2, 3), fc.integer({ min: -2, max: 12 }));
  else if (c.type === 'decimal') a = decimal;
  else if (c.type === 'boolean') a = fc.boolean();
  else if (c.type === 'string') a = fc.constantFrom(...(c.values ?? ['a', 'b', 'c']));
  else if (c.type === 'date') a = dayText;
  else a = timestampText;
  return c.nullable ? fc.option(a, { nil: null, freq: 3 }) : a;
}

/** Rows of a table: unique primary keys 1..n, every other column random. */
function rowsOf(source: SourceDef): fc.Arbitrary<Record<string, unknown>[]> {
  const others = source.columns.filter((c) => c.name !== source.primaryKey);
  const row = fc.record(Object.fromEntries(others.map((c) => [c.name, valueOf(c)])));
  return fc.array(row, { minLength: 0, maxLength: 10 }).map((rows) => rows.map((r, i) => ({ [source.primaryKey]: i + 1, ...r })));
}

function optionsOf(kpi: GeneratedKpi): fc.Arbitrary<CalcOptions> {
  const range = fc.integer({ min: -20, max: WINDOW_DAYS + 20 }).map((d) => iso(WINDOW_START + d * DAY).slice(0, 10));
  return fc.record({
    from: fc.oneof(range, fc.constantFrom(...EDGE_DAYS)),
    to: fc.oneof(range, fc.constantFrom(...EDGE_DAYS)),
    grain: fc.constantFrom('day', 'week', 'month', 'quarter', 'year', 'none' as const),
    periods: fc.constantFrom('all', 'data' as const),
    by: kpi.dimensions.length ? fc.shuffledSubarray([...kpi.dimensions], { minLength: 0, maxLength: Math.min(2, kpi.dimensions.length) }) : fc.constant([]),
  });
}

// ---------------------------------------------------------------------------------------------
// Both backends

const SQL_TYPE: Record<ColumnDef['type'], string> = { integer: 'BIGINT', decimal: 'DOUBLE', boolean: 'BOOLEAN', string: 'VARCHAR', date: 'DATE', timestamp: 'TIMESTAMP' };
const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** Creates every table of the project, empty. */
async function createTables(connection: DuckDBConnection, project: CheckedProject): Promise<void> {
  for (const source of project.sources) {
    await connection.run(`CREATE TABLE ${quote(source.table)} (${source.columns.map((c) => `${quote(c.name)} ${SQL_TYPE[c.type]}`).join(', ')})`);
  }
}

/** Replaces the rows of the given tables, with bound parameters. */
async function load(connection: DuckDBConnection, project: CheckedProject, tables: Record<string, Record<string, unknown>[]>): Promise<void> {
  for (const [table, rows] of Object.entries(tables)) {
    const source = project.sources.find((s) => s.table === table)!;
    await connection.run(`DELETE FROM ${quote(table)}`);
    if (rows.length === 0) continue;
    const cols = source.columns.map((c) => c.name);
    const values: unknown[] = [];
    const tuples = rows.map((r) => `(${cols.map((c) => (values.push(r[c] ?? null), `$${values.length}`)).join(', ')})`);
    await connection.run(`INSERT INTO ${quote(table)} (${cols.map(quote).join(', ')}) VALUES ${tuples.join(', ')}`, values as never);
  }
}

async function sqlRows(connection: DuckDBConnection, project: CheckedProject, kpi: GeneratedKpi, options: CalcOptions) {
  const by = (options.by ?? []).map((d) => declaredDimension(project, kpi, d));
  const plan = planQuery(project, { ids: [kpi.id], grain: options.grain, periods: options.periods, by });
  // A value of another period needs a grain: both backends refuse --grain none.
  if (!plan.value && plan.diagnostics.every((d) => d.code === 'KPI0510')) return null;
  if (!plan.value) throw new Error(plan.diagnostics.map((d) => d.message).join('; '));
  const db: Database = { connection, close: () => undefined };
  const rows = await runQuery(db, emitSql(plan.value, { dialect: duckdb, mode: 'bound' }, { from: options.from, to: options.to }));
  const names = plan.value.dimensions.map((d) => d.name);
  return rows.map((r) => ({ period: String(r.period), dims: names.map((n) => r[n]), value: r[kpi.id] as number | null }));
}

function differences(options: CalcOptions, ts: ReturnType<GeneratedKpi['calculate']>, sql: NonNullable<Awaited<ReturnType<typeof sqlRows>>>): string[] {
  const by = options.by ?? [];
  const out: string[] = [];
  if (ts.length !== sql.length) out.push(`the calculator returned ${ts.length} rows, the SQL ${sql.length}`);
  for (let i = 0; i < Math.min(ts.length, sql.length); i++) {
    const t = { period: ts[i].period, dims: by.map((d) => ts[i][d] ?? null), value: ts[i].value };
    const s = sql[i];
    if (t.period !== s.period || JSON.stringify(t.dims) !== JSON.stringify(s.dims) || !closeEnough(t.value, s.value)) {
      out.push(`row ${i}: calculator ${JSON.stringify(t)}, SQL ${JSON.stringify(s)}`);
    }
    if (out.length > 5) break;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The runner: both backends on the same random input, per KPI

export class Differential {
  private instance: DuckDBInstance | null = null;
  private connection: DuckDBConnection | null = null;
  private kpis: Record<string, GeneratedKpi> = {};
  /** Property runs (shrinking included), and those whose SQL result held a non-null value. */
  executed = 0;
  withValues = 0;
  readonly checked: string[] = [];

  constructor(readonly project: CheckedProject) {}

  async open(kpis: Record<string, GeneratedKpi>): Promise<void> {
    this.kpis = kpis;
    this.instance = await DuckDBInstance.create(':memory:');
    this.connection = await this.instance.connect();
    await this.connection.run("SET TimeZone = 'UTC'");
    await this.connection.run('SET threads = 1');
    await createTables(this.connection, this.project);
  }

  close(): void {
    this.connection?.closeSync();
    this.instance?.closeSync();
  }

  report(runs: number): string {
    return `${this.checked.length * runs} cases over ${this.checked.length} KPIs (${runs} per KPI); ${this.executed} executions with shrinking, ${this.withValues} with a non-null value`;
  }

  async check(id: string, runs: number): Promise<void> {
    const kpi = this.kpis[id];
    const connection = this.connection!;
    const project = this.project;
    const sources = kpi.tables.map((t) => project.sources.find((s) => s.table === t)!);
    const data = fc.record(Object.fromEntries(sources.map((s) => [s.table, rowsOf(s)])));
    const seed = process.env.KPI_FUZZ_SEED ? Number(process.env.KPI_FUZZ_SEED) : undefined;
    await fc.assert(
      fc.asyncProperty(data, optionsOf(kpi), async (tables, options) => {
        this.executed++;
        await load(connection, project, tables);
        const sql = await sqlRows(connection, project, kpi, options);
        if (sql === null) {
          if (options.grain !== 'none') throw new Error(`${id}: the SQL refused ${JSON.stringify(options)}`);
          let refused = false;
          try {
            kpi.calculate(tables, options);
          } catch {
            refused = true;
          }
          if (!refused) throw new Error(`${id}: the calculator computed --grain none, the SQL refused it`);
          return;
        }
        const ts = kpi.calculate(tables, options);
        if (sql.some((r) => r.value !== null)) this.withValues++;
        const diff = differences(options, ts, sql);
        if (diff.length > 0) throw new Error(`${id} ${JSON.stringify(options)}:\n${diff.join('\n')}`);
      }),
      { numRuns: runs, seed },
    );
    this.checked.push(id);
  }
}
