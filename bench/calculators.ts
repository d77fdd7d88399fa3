// Benchmark 4, calculators: the generated TypeScript calculators (generated/ts) against DuckDB on
// the same 1 million work orders in memory (every tenth of the large sample's, so every period has
// rows), with the technicians and assets they reference. Both must give the same values (to 1e-9);
// then each KPI is timed RUNS times after a warm-up, and the result is rows per second. DuckDB runs
// with its default threads (all cores) and with one thread, as the calculators do.

import type { DuckDBConnection } from '@duckdb/node-api';
import type * as Index from '../src/index.js';
import type * as Load from '../src/load/types.js';
import { compare, RANGE } from './queries.js';
import { dist, median, ROOT, RUNS } from './measure.js';

export const CALCULATOR_KPIS = ['cost_per_work_order', 'emergency_dispatch_rate', 'first_time_fix_rate', 'job_completion_rate', 'mean_time_to_repair', 'service_backlog_value'];

export interface CalculatorTiming {
  id: string;
  calculatorMs: number;
  duckdbMs: number;
  duckdbOneThreadMs: number;
  calculatorRowsPerSecond: number;
  duckdbRowsPerSecond: number;
  duckdbOneThreadRowsPerSecond: number;
}

export interface CalculatorsResult {
  rows: number;
  tables: Record<string, number>;
  loadSeconds: number;
  kpis: CalculatorTiming[];
}

interface GeneratedKpi {
  tables: readonly string[];
  calculate: (rows: Record<string, readonly Record<string, unknown>[]>, options: { from: string; to: string }) => { period: string; value: number | null }[];
}

export async function benchCalculators(dbPath: string, log: (s: string) => void, every = 10): Promise<CalculatorsResult> {
  const lib = await dist<typeof Index>('index.js');
  const project = lib.compileProject(ROOT).value;
  const { kpis } = (await import('../generated/ts/index.js')) as unknown as { kpis: Record<string, GeneratedKpi> };
  const opened = await lib.openDatabase({ kind: 'memory' }, project.sources);
  const db = opened.db!;
  const c = db.connection;
  try {
    const t0 = performance.now();
    await c.run(`ATTACH '${dbPath.replace(/'/g, "''")}' AS src (READ_ONLY)`);
    // The sampled work orders, and the rows of the tables they reference (dimensions join them).
    const copies: [string, string][] = [
      ['work_orders', `id % ${every} = 0`],
      ['assets', 'id IN (SELECT asset_id FROM work_orders)'],
      ['customers', 'id IN (SELECT customer_id FROM assets)'],
      ['tickets', 'id IN (SELECT ticket_id FROM work_orders)'],
      ['technicians', 'true'],
    ];
    const needed = new Set(CALCULATOR_KPIS.flatMap((id) => kpis[id].tables));
    for (const table of needed) if (!copies.some(([t]) => t === table)) throw new Error(`the calculators benchmark does not load ${table}`);
    const loaded = copies.filter(([t]) => needed.has(t));
    for (const [table, where] of loaded) await c.run(`CREATE TABLE ${table} AS SELECT * FROM src.${table} WHERE ${where}`);
    await c.run('DETACH src');
    const rows: Record<string, Record<string, unknown>[]> = {};
    for (const [table] of loaded) rows[table] = await jsRows(c, project.sources.find((s) => s.table === table)!);
    const result: CalculatorsResult = { rows: rows.work_orders.length, tables: Object.fromEntries(Object.entries(rows).map(([t, r]) => [t, r.length])), loadSeconds: (performance.now() - t0) / 1000, kpis: [] };
    log(`calculators: ${result.rows.toLocaleString('en-US')} work orders in memory (${result.loadSeconds.toFixed(1)} s to load)`);
    for (const id of CALCULATOR_KPIS) {
      const plan = lib.planQuery(project, { ids: [id] }).value!;
      const query = lib.emitSql(plan, { dialect: lib.duckdb, mode: 'bound' }, RANGE);
      const calc = () => kpis[id].calculate(rows, RANGE);
      const sql = async () => (await lib.runQuery(db, query)).map((r) => ({ period: String(r.period), value: r[id] as number | null }));
      const mismatch = compare(await sql(), calc());
      if (mismatch) throw new Error(`${id}: the calculator and DuckDB disagree: ${mismatch}`);
      const time = async (f: () => unknown) => {
        const t = performance.now();
        await f();
        return performance.now() - t;
      };
      const calcMs: number[] = [];
      const sqlMs: number[] = [];
      const oneMs: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        calcMs.push(await time(calc));
        sqlMs.push(await time(sql));
      }
      await c.run('SET threads = 1');
      await sql();
      for (let i = 0; i < RUNS; i++) oneMs.push(await time(sql));
      await c.run('RESET threads');
      const perSecond = (ms: number) => result.rows / (ms / 1000);
      const t: CalculatorTiming = {
        id,
        calculatorMs: median(calcMs),
        duckdbMs: median(sqlMs),
        duckdbOneThreadMs: median(oneMs),
        calculatorRowsPerSecond: perSecond(median(calcMs)),
        duckdbRowsPerSecond: perSecond(median(sqlMs)),
        duckdbOneThreadRowsPerSecond: perSecond(median(oneMs)),
      };
      result.kpis.push(t);
      log(`calculator ${id.padEnd(26)} TypeScript ${(t.calculatorRowsPerSecond / 1e6).toFixed(2)} M rows/s; DuckDB ${(t.duckdbRowsPerSecond / 1e6).toFixed(2)} M rows/s (1 thread ${(t.duckdbOneThreadRowsPerSecond / 1e6).toFixed(2)})`);
    }
    return result;
  } finally {
    db.close();
  }
}

/** A table's rows as the calculators take them: numbers, booleans, 'YYYY-MM-DD' dates and ISO timestamps. */
async function jsRows(c: DuckDBConnection, source: Load.SourceDef): Promise<Record<string, unknown>[]> {
  const cast = (col: Load.ColumnDef) => {
    const q = `"${col.name}"`;
    switch (col.type) {
      case 'integer':
      case 'decimal':
        return `CAST(${q} AS DOUBLE) AS ${q}`;
      case 'date':
        return `strftime(${q}, '%Y-%m-%d') AS ${q}`;
      case 'timestamp':
        return `strftime(${q}, '%Y-%m-%dT%H:%M:%SZ') AS ${q}`;
      default:
        return q;
    }
  };
  const reader = await c.runAndReadAll(`SELECT ${source.columns.map(cast).join(', ')} FROM "${source.table}"`);
  return reader.getRowObjects() as Record<string, unknown>[];
}
