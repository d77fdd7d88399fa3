// PostgreSQL against DuckDB on random rows of a small project's tables: the rows (a small window
// with the days around period edges drawn often, references to keys 1..4), and the comparison of
// the bound query of `kpi run` and the literal query of a generated file on both engines.

import fc from 'fast-check';
import { emitSql, planQuery } from '../../src/index.js';
import type { CheckedProject } from '../../src/check/check.js';
import type { ColumnDef, SourceDef } from '../../src/load/types.js';
import type { Grain } from '../../src/plan/ir.js';
import type { Row, ScratchEngine } from '../../src/run/engine.js';
import { closeEnough } from '../../src/run/fixtures.js';

const DAY = 86_400_000;
const START = Date.UTC(2024, 10, 1);
const DAYS = 151;
const iso = (ms: number) => new Date(ms).toISOString();

/** What the random rows draw from beyond the common window. */
export interface RowsOptions {
  /** Days drawn often, as 'YYYY-MM-DD' (period edges). */
  edges: string[];
  /** Decimal values drawn often (halves, values a double cannot hold exactly). */
  decimals: number[];
  /** Strings for columns without declared values. */
  strings: string[];
  maxRows: number;
}

export function rowsOf(source: SourceDef, o: RowsOptions): fc.Arbitrary<Record<string, unknown>[]> {
  const day = fc.oneof(fc.integer({ min: 0, max: DAYS - 1 }).map((d) => iso(START + d * DAY).slice(0, 10)), fc.constantFrom(...o.edges));
  const instant = fc.oneof(
    fc.integer({ min: 0, max: DAYS * 86_400 - 1 }).map((s) => iso(START + s * 1000).slice(0, 19).replace('T', ' ')),
    fc.tuple(fc.constantFrom(...o.edges), fc.constantFrom('00:00:00', '23:59:59')).map(([d, t]) => `${d} ${t}`),
  );
  const decimal = fc.oneof(fc.constantFrom(...o.decimals), fc.integer({ min: -500, max: 20_000 }).map((c) => c / 100));
  const valueOf = (c: ColumnDef): fc.Arbitrary<unknown> => {
    let a: fc.Arbitrary<unknown>;
    if (c.references) a = fc.integer({ min: 1, max: 4 });
    else if (c.type === 'integer') a = fc.integer({ min: -2, max: 9 });
    else if (c.type === 'decimal') a = decimal;
    else if (c.type === 'boolean') a = fc.boolean();
    else if (c.type === 'string') a = fc.constantFrom(...(c.values ?? o.strings));
    else if (c.type === 'date') a = day;
    else a = instant;
    return c.nullable ? fc.option(a, { nil: null, freq: 4 }) : a;
  };
  const others = source.columns.filter((c) => c.name !== source.primaryKey);
  const row = fc.record(Object.fromEntries(others.map((c) => [c.name, valueOf(c)])));
  return fc.array(row, { maxLength: o.maxRows }).map((rows) => rows.map((r, i) => ({ [source.primaryKey]: i + 1, ...r })));
}

/** A query's range bounds, from a little before the window to a little after. */
export const rangeDay = fc.integer({ min: -20, max: DAYS + 20 }).map((d) => iso(START + d * DAY).slice(0, 10));

export interface QueryOptions {
  from: string;
  to: string;
  grain: Grain | 'none';
  periods: 'all' | 'data';
  by: string[];
}

/** Random query options: every grain, both period modes, up to `maxBy` of the dimensions. */
export function queryOptions(dimensions: string[], maxBy: number): fc.Arbitrary<QueryOptions> {
  return fc.record({
    from: rangeDay,
    to: rangeDay,
    grain: fc.constantFrom<Grain | 'none'>('day', 'week', 'month', 'quarter', 'year', 'none'),
    periods: fc.constantFrom<'all' | 'data'>('all', 'data'),
    by: fc.shuffledSubarray(dimensions, { maxLength: Math.min(maxBy, dimensions.length) }),
  });
}

/** Where two engines' rows differ (the KPI's column to 1e-9, the others exactly), at most six. */
export function differences(what: string, a: Row[], b: Row[], id: string): string[] {
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

/**
 * Runs `runs` random cases of KPI `id` on both engines and throws at the first difference. Returns
 * how many cases had a value to compare (some row not null).
 */
export async function agree(project: CheckedProject, id: string, rows: RowsOptions, options: fc.Arbitrary<QueryOptions>, duck: ScratchEngine, pg: ScratchEngine, runs: number): Promise<number> {
  let withValues = 0;
  const data = fc.record(Object.fromEntries(project.sources.map((s) => [s.table, rowsOf(s, rows)])));
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
    { numRuns: runs, seed: process.env.KPI_FUZZ_SEED ? Number(process.env.KPI_FUZZ_SEED) : undefined },
  );
  return withValues;
}
