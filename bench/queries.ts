// Benchmark 2, queries: every catalog KPI on the large sample, the SQL `kpi run` executes against
// the hand-written SQL in bench/sql/<id>.sql, on one connection. Each pair must return the same
// periods and values (to 1e-9) before it is timed; then the two run alternately, RUNS times each
// after a warm-up, and the ratio of their medians is the KPI's result.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type * as Index from '../src/index.js';
import { dist, median, ROOT, RUNS } from './measure.js';

/** The range every KPI is computed over: the sample's whole history, at the KPI's own grain. */
export const RANGE = { from: '2022-01-01', to: '2025-12-31' };

export interface QueryTiming {
  id: string;
  grain: string;
  periods: number;
  generatedMs: number;
  handMs: number;
  /** generated ÷ hand-written, medians. */
  ratio: number;
  generatedRunsMs: number[];
  handRunsMs: number[];
}

export interface QueriesResult {
  db: string;
  rows: Record<string, number>;
  kpis: QueryTiming[];
  medianRatio: number;
  /** Sum of the generated medians over the sum of the hand-written ones. */
  totalRatio: number;
}

type Row = { period: string; value: number | null };

export async function benchQueries(dbPath: string, log: (s: string) => void, only?: string[]): Promise<QueriesResult> {
  const { compileProject, planQuery, emitSql, duckdb } = await dist<typeof Index>('index.js');
  const project = compileProject(ROOT).value;
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(dbPath, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  const result: QueriesResult = { db: dbPath, rows: await tableRows(connection), kpis: [], medianRatio: NaN, totalRatio: NaN };
  try {
    const ids = project.kpis.map((k) => k.def.id.value).filter((id) => !only || only.includes(id)).sort();
    for (const id of ids) {
      const k = project.kpis.find((x) => x.def.id.value === id)!;
      const plan = planQuery(project, { ids: [id] });
      if (!plan.value) throw new Error(`${id} does not plan: ${plan.diagnostics.map((d) => d.message).join('; ')}`);
      const generated = emitSql(plan.value, { dialect: duckdb, mode: 'bound' }, RANGE);
      const genParams = Object.fromEntries(generated.params.map((p) => [p.name, p.value]));
      const hand = readFileSync(join(ROOT, 'bench', 'sql', `${id}.sql`), 'utf8');
      const run = async (sql: string, params: Record<string, unknown>) => {
        const t0 = performance.now();
        const reader = await connection.runAndReadAll(sql, params as never);
        return { ms: performance.now() - t0, rows: reader.getRows() };
      };
      // Warm-up, and the check that both compute the same thing.
      const g = toRows((await run(generated.sql, genParams)).rows);
      const h = toRows((await run(hand, RANGE)).rows);
      const mismatch = compare(g, h);
      if (mismatch) throw new Error(`${id}: the hand-written SQL does not return what the generated SQL returns: ${mismatch}`);
      const genMs: number[] = [];
      const handMs: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        // Alternate which goes first, so neither always runs on the other's warm caches.
        if (i % 2 === 0) {
          genMs.push((await run(generated.sql, genParams)).ms);
          handMs.push((await run(hand, RANGE)).ms);
        } else {
          handMs.push((await run(hand, RANGE)).ms);
          genMs.push((await run(generated.sql, genParams)).ms);
        }
      }
      const t: QueryTiming = { id, grain: k.def.grain, periods: g.length, generatedMs: median(genMs), handMs: median(handMs), ratio: median(genMs) / median(handMs), generatedRunsMs: genMs, handRunsMs: handMs };
      result.kpis.push(t);
      log(`query ${id.padEnd(32)} generated ${t.generatedMs.toFixed(1).padStart(8)} ms  hand ${t.handMs.toFixed(1).padStart(8)} ms  ratio ${t.ratio.toFixed(3)}`);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  result.medianRatio = median(result.kpis.map((k) => k.ratio));
  result.totalRatio = result.kpis.reduce((s, k) => s + k.generatedMs, 0) / result.kpis.reduce((s, k) => s + k.handMs, 0);
  return result;
}

async function tableRows(connection: DuckDBConnection): Promise<Record<string, number>> {
  const reader = await connection.runAndReadAll('SELECT table_name, estimated_size FROM duckdb_tables() ORDER BY 1');
  return Object.fromEntries(reader.getRows().map((r) => [String(r[0]), Number(r[1])]));
}

/** Rows of (period, value): the generated SQL's columns are period and the KPI, the hand-written period and value. */
function toRows(rows: unknown[][]): Row[] {
  return rows.map((r) => ({ period: String(r[0]), value: toNumber(r[r.length - 1]) }));
}

function toNumber(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'object' && v !== null && 'toDouble' in v) return (v as { toDouble(): number }).toDouble();
  return Number(v);
}

/** Null when both give the same periods and values to 1e-9 (relative, or absolute below 1). */
export function compare(generated: Row[], hand: Row[]): string | null {
  if (generated.length !== hand.length) return `${generated.length} periods against ${hand.length}`;
  for (let i = 0; i < generated.length; i++) {
    const a = generated[i];
    const b = hand[i];
    if (a.period !== b.period) return `period ${i + 1} is ${a.period} against ${b.period}`;
    const same = a.value === null || b.value === null ? a.value === b.value : Math.abs(a.value - b.value) <= 1e-9 * Math.max(1, Math.abs(a.value));
    if (!same) return `${a.period}: ${a.value} against ${b.value}`;
  }
  return null;
}
