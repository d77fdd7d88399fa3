// Benchmark 3, many KPIs at once: every catalog KPI that reads only work_orders, computed by one
// `kpi run` (the library calls the CLI makes: plan, SQL, run) against each KPI alone. The plan
// makes one pass over the table per time column (shared by every KPI that groups its rows by
// that column); the count of passes is read from the plan and from DuckDB's own physical plan.
// The same is measured for the KPIs that share the table's default time column, which the plan
// computes in a single pass.

import type { DuckDBConnection } from '@duckdb/node-api';
import type * as Index from '../src/index.js';
import { dist, median, ROOT, RUNS } from './measure.js';
import { RANGE } from './queries.js';

export interface ManyGroup {
  label: string;
  kpis: string[];
  alone: { id: string; ms: number; runsMs: number[] }[];
  together: { ms: number; runsMs: number[]; planScans: number; timeSpecs: string[]; tableScans: number };
  slowestAloneMs: number;
  sumAloneMs: number;
  /** together ÷ the slowest alone. */
  ratio: number;
}

export interface ManyResult {
  table: string;
  groups: ManyGroup[];
}

type Lib = typeof Index;
type Db = NonNullable<Awaited<ReturnType<Lib['openDatabase']>>['db']>;

export async function benchMany(dbPath: string, log: (s: string) => void, table = 'work_orders'): Promise<ManyResult> {
  const lib = await dist<Lib>('index.js');
  const project = lib.compileProject(ROOT).value;
  const only = project.kpis.filter((k) => k.reads.length === 1 && k.reads[0].table === table);
  const defaultTime = project.sources.find((s) => s.table === table)?.time ?? null;
  const sameTime = only.filter((k) => {
    const plan = lib.planQuery(project, { ids: [k.def.id.value] }).value;
    return plan !== null && plan.scans.every((s) => s.time.kind === 'period' && s.time.column === defaultTime);
  });
  const opened = await lib.openDatabase({ kind: 'db', path: dbPath }, project.sources);
  if (!opened.db) throw new Error(opened.diagnostics.map((d) => d.message).join('; '));
  const db = opened.db;
  try {
    const groups: ManyGroup[] = [];
    for (const [label, kpis] of [
      [`every KPI that reads only ${table}`, only],
      [`those grouping ${table} by ${defaultTime}, its default time column`, sameTime],
    ] as const) {
      const g = await measureGroup(lib, project, db, label, kpis.map((k) => k.def.id.value).sort(), table);
      log(`many: ${g.kpis.length} KPIs (${label}) together ${g.together.ms.toFixed(0)} ms; slowest alone ${g.slowestAloneMs.toFixed(0)} ms (ratio ${g.ratio.toFixed(2)}); all alone ${g.sumAloneMs.toFixed(0)} ms; ${g.together.planScans} passes in the plan, ${g.together.tableScans} scans of ${table} in DuckDB's plan`);
      groups.push(g);
    }
    return { table, groups };
  } finally {
    db.close();
  }
}

async function measureGroup(lib: Lib, project: ReturnType<Lib['compileProject']>['value'], db: Db, label: string, ids: string[], table: string): Promise<ManyGroup> {
  // What `kpi run <ids...> --from --to` does once the project is loaded and the database open.
  const prepare = (request: string[]) => {
    const plan = lib.planQuery(project, { ids: request });
    if (!plan.value) throw new Error(`${request.join(' ')} does not plan`);
    return { plan: plan.value, query: lib.emitSql(plan.value, { dialect: lib.duckdb, mode: 'bound' }, RANGE) };
  };
  const time = async (request: string[]) => {
    const t0 = performance.now();
    await lib.runQuery(db, prepare(request).query);
    return performance.now() - t0;
  };
  const all = prepare(ids);
  const alone: ManyGroup['alone'] = ids.map((id) => ({ id, ms: 0, runsMs: [] }));
  const together: number[] = [];
  for (const request of [ids, ...ids.map((id) => [id])]) await time(request); // warm-up
  for (let i = 0; i < RUNS; i++) {
    together.push(await time(ids));
    for (const a of alone) a.runsMs.push(await time([a.id]));
  }
  for (const a of alone) a.ms = median(a.runsMs);
  const params = Object.fromEntries(all.query.params.map((p) => [p.name, p.value]));
  const slowest = Math.max(...alone.map((a) => a.ms));
  return {
    label,
    kpis: ids,
    alone,
    together: {
      ms: median(together),
      runsMs: together,
      planScans: all.plan.scans.length,
      timeSpecs: all.plan.scans.map((s) =>
        s.time.kind === 'snapshot'
          ? `alive at ${s.time.edge === 'during' ? 'any time in the period' : `the period's ${s.time.edge}`} (${s.time.from} to ${s.time.to})`
          : `${s.time.kind === 'period' ? 'by' : `${s.time.kind} by`} ${s.time.column}`,
      ),
      tableScans: await tableScans(db.connection, all.query.sql, params, table),
    },
    slowestAloneMs: slowest,
    sumAloneMs: alone.reduce((s, a) => s + a.ms, 0),
    ratio: median(together) / slowest,
  };
}

/** Scan operators reading `table` in DuckDB's physical plan of the query. */
async function tableScans(connection: DuckDBConnection, sql: string, params: Record<string, unknown>, table: string): Promise<number> {
  const reader = await connection.runAndReadAll(`EXPLAIN (FORMAT json) ${sql}`, params as never);
  interface Node { name: string; children: Node[]; extra_info: Record<string, unknown> }
  const reads = (n: Node) => /SCAN$/.test(n.name) && n.name !== 'CTE_SCAN' && String(n.extra_info.Table ?? '').split('.').pop() === table;
  const count = (n: Node): number => (reads(n) ? 1 : 0) + n.children.reduce((s, c) => s + count(c), 0);
  return (JSON.parse(String(reader.getRows()[0][1])) as Node[]).reduce((s, n) => s + count(n), 0);
}
