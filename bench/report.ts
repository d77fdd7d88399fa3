// docs/benchmarks.md from the recorded results (bench/results/*.json).

import type { CalculatorsResult } from './calculators.js';
import type { CompileResult } from './compile.js';
import type { ManyResult } from './many.js';
import type { QueriesResult } from './queries.js';
import type { SampleResult } from './sample.js';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  duckdb: string;
  duckdbThreads: number;
}

export interface Recorded<T> {
  date: string;
  seconds: number;
  runs: number;
  machine: Machine;
  loadBefore: number[];
  loadAfter: number[];
  note: string | null;
  result: T;
}

export interface Results {
  compile?: Recorded<CompileResult>;
  queries?: Recorded<QueriesResult>;
  many?: Recorded<ManyResult>;
  calculators?: Recorded<CalculatorsResult>;
  sample?: Recorded<SampleResult>;
}

const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
const n1 = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const n2 = (x: number) => x.toFixed(2);
const n3 = (x: number) => x.toFixed(3);
const yes = (ok: boolean) => (ok ? 'met' : '**missed**');
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const table = (head: string[], rows: (string | number)[][], align?: string) =>
  [row(head), align ?? `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map(row)].join('\n');

function when(r: Recorded<unknown>, runs = `median of ${r.runs} runs after a warm-up`): string {
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' / ');
  return `Run ${r.date.slice(0, 16).replace('T', ' ')} UTC, ${n0(r.seconds)} s, ${runs}; load average (1 / 5 / 15 min) ${load(r.loadBefore)} before, ${load(r.loadAfter)} after.${r.note ? ` ${r.note}` : ''}`;
}

export function renderReport(results: Results): string {
  const out: string[] = [];
  const any = results.compile ?? results.queries ?? results.many ?? results.calculators ?? results.sample;
  out.push(
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts); the raw numbers are in bench/results/. Speed is measured',
    'here, never by a timed test. `BENCH_ONLY=compile` (or queries, many, calculators, sample) runs one',
    'benchmark, `BENCH_SIZES=100,1000` fewer compile sizes, `BENCH_RUNS=7` more runs; the large sample',
    'is `BENCH_DB` (default data/sample-10m.duckdb), built first when missing.',
    '',
  );
  if (any) {
    const m = any.machine;
    out.push('## Machine', '', table(['', ''], [
      ['CPU', `${m.cpu}, ${m.cores} cores`],
      ['Memory', `${n0(m.memoryGb)} GB`],
      ['OS', m.os],
      ['Node', m.node],
      ['DuckDB', `${m.duckdb} (@duckdb/node-api), ${m.duckdbThreads} threads`],
    ], '|---|---|'), '');
    out.push(
      'The machine is shared: while these numbers were taken, other agents were building, type-checking',
      'and running test suites on the same 2 cores (the load averages under each section say how busy it',
      'was). Medians of several runs damp that, but single numbers can be 20-50% off, and ratios measured',
      'in the same run (generated against hand-written SQL, together against alone) are the reliable part.',
      '',
    );
  }
  out.push(...summary(results));
  if (results.compile) out.push(...compileSection(results.compile));
  if (results.queries) out.push(...queriesSection(results.queries));
  if (results.many) out.push(...manySection(results.many));
  if (results.calculators) out.push(...calculatorsSection(results.calculators));
  if (results.sample) out.push(...sampleSection(results.sample));
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

function summary(r: Results): string[] {
  const rows: (string | number)[][] = [];
  const c = r.compile?.result;
  const at = (n: number) => c?.sizes.find((s) => s.kpis === n);
  const k1 = at(1000);
  const k10 = at(10000);
  if (k1) {
    rows.push(['Compile 1,000 KPIs in a fresh process: under 1 s', `${n2(k1.fresh.medianMs / 1000)} s`, yes(k1.fresh.medianMs < 1000)]);
    rows.push(['Compile 1,000 KPIs warm, in one process: under 100 ms', `${n0(k1.warm.medianMs)} ms`, yes(k1.warm.medianMs < 100)]);
  }
  if (k1 && k10) {
    const growth = k10.warm.medianMs / 10 / k1.warm.medianMs;
    rows.push(['Compile cost grows linearly (warm time per KPI at 10,000 within 1.25x of that at 1,000)', `${n2(growth)}x`, yes(growth <= 1.25)]);
    const peak = k10.fresh.peakRssMb;
    rows.push(['Compile 10,000 KPIs in under 1 GB (peak resident memory of `kpi compile`)', `${n0(peak)} MB`, yes(peak < 1024)]);
  }
  const q = r.queries?.result;
  if (q) rows.push(['Generated SQL within 1.05x of hand-written SQL (median of the per-KPI ratios)', `${n3(q.medianRatio)}x`, yes(q.medianRatio <= 1.05)]);
  const many = r.many?.result.groups[0];
  if (many) rows.push([`All KPIs of ${r.many!.result.table} together under 1.5x the slowest alone`, `${n2(many.ratio)}x`, yes(many.ratio < 1.5)]);
  const calc = r.calculators?.result;
  if (calc) {
    const rates = calc.kpis.map((k) => k.calculatorRowsPerSecond);
    rows.push(['TypeScript calculators, rows per second (no bar)', `${n2(Math.min(...rates) / 1e6)}-${n2(Math.max(...rates) / 1e6)} M/s`, '']);
  }
  const s = r.sample?.result;
  if (s) rows.push([`Sample data, ${n0(s.rows)} work orders (the issue asks for seconds; no number)`, `${n0(s.seconds)} s, ${n2(s.peakRssMb / 1024)} GB`, '']);
  return rows.length ? ['## The bars', '', table(['Bar', 'Measured', ''], rows, '|---|---:|---|'), ''] : [];
}

function compileSection(rec: Recorded<CompileResult>): string[] {
  const { mix, sizes } = rec.result;
  const out = [
    '## 1. Compile',
    '',
    when(rec),
    '',
    `The projects are copies of the catalog (bench/kpi-project.ts): ${mix.kpis} KPIs, of which ${mix.filtered} have filtered`,
    `aggregates, ${mix.crossTable} read several tables, ${mix.snapshot} take snapshots (at start, at end, during), ${mix.previousPeriod} compare`,
    `with the previous period and ${mix.kpiReferences} build on other KPIs, with ${mix.fixtures} fixtures between them; each copy's ids are`,
    'suffixed and its references point within the copy. The files are the catalog\'s own, about 5 KB',
    'each with their fixtures, descriptions and targets. **Fresh** is `node dist/cli/main.js compile --root',
    '<project>` in a new process (start-up, load, check, SQL + docs + TypeScript, writing generated/);',
    '**warm** is the library in one process (`loadProject`, `checkProject`, `renderOutputs`, in memory),',
    'after a warm-up. Peak memory is the process\'s maximum resident set size (for warm, over all its',
    'runs, so it includes what earlier runs left for the garbage collector).',
    '',
    table(
      ['KPIs', 'YAML', 'outputs', 'fresh', 'fresh peak', 'warm', 'load (YAML parse)', 'check', 'render', 'warm peak', 'warm per KPI'],
      sizes.map((s) => [
        n0(s.kpis),
        `${n1(s.yamlMb)} MB`,
        n0(s.outputs),
        `${n0(s.fresh.medianMs)} ms`,
        `${n0(s.fresh.peakRssMb)} MB`,
        `${n0(s.warm.medianMs)} ms`,
        `${n0(s.warm.loadMs)} (${n0(s.warm.yamlParseMs)}) ms`,
        `${n0(s.warm.checkMs)} ms`,
        `${n0(s.warm.renderMs)} ms`,
        `${n0(s.warm.peakRssMb)} MB`,
        `${n2(s.warm.medianMs / s.kpis)} ms`,
      ]),
    ),
    '',
  ];
  const k1 = sizes.find((s) => s.kpis === 1000);
  const k10 = sizes.find((s) => s.kpis === 10000);
  if (k1 && k10) {
    out.push(
      `From 1,000 to 10,000 KPIs the warm time per KPI grows ${n2(k10.warm.medianMs / 10 / k1.warm.medianMs)}x, most of it in the YAML parse (${n2(k1.warm.yamlParseMs / 1000)} ms`,
      `per file at 1,000, ${n2(k10.warm.yamlParseMs / 10000)} ms at 10,000): the same work with a larger heap for the garbage collector`,
      `to walk. A 10,000-KPI compile peaks at ${n0(k10.fresh.peakRssMb)} MB: the loaded and checked project and ${n0(k10.outputs)} outputs`,
      'held together until they are written.',
      '',
    );
  }
  if (k1) {
    out.push(
      `At 1,000 KPIs the yaml package's parser alone (\`parseDocument\` with source positions, which every`,
      `diagnostic needs) takes ${n0(k1.warm.yamlParseMs)} ms of the ${n0(k1.warm.loadMs)} ms load stage: ${n1(k1.yamlMb)} MB of YAML at about`,
      `${n1(k1.yamlMb / (k1.warm.yamlParseMs / 1000))} MB/s. That one step is ${n1(k1.warm.yamlParseMs / 100)} times the 100 ms warm budget, so the warm bar cannot be met`,
      'with this parser and KPI files of the catalog\'s size; nor can the fresh one, which adds start-up',
      '(about 0.25 s: Node, the modules, the templates) and writing the files. What was done instead:',
      '',
    );
  }
  out.push(
    '- YAML is parsed with a plain copy of `process.env` in place: the yaml package reads',
    '  `process.env.LOG_TOKENS` for every token, a slow native lookup in Node (a quarter of the parse).',
    '- Chevrotain is loaded from the single-file bundle it ships, not its entry point, which loads',
    '  lodash-es file by file (0.25-1 s at every start of the CLI); the DuckDB bindings load only when a',
    '  command queries (0.2 s).',
    '- Three costs grew with the square of the number of KPIs: the docs pages looked KPIs and',
    '  dependents up by scanning every KPI, per page and per measure; the checker built the set of all',
    '  KPI ids once per KPI (18 s of a 10,000-KPI check, now 2 s); and each SQL file was planned and',
    '  emitted twice (file and docs page).',
    '- Each formula\'s origin (which maps positions for diagnostics) kept its whole file\'s text and',
    '  YAML document alive: 840 MB after loading 10,000 KPIs, now 224 MB.',
    '',
    'Each of these changes keeps generated/ byte-identical (the first ones were also checked on the',
    '1,000-KPI project\'s 3,004 outputs).',
    'What is left is spread thin: in a profile no function of our own takes more than a few percent;',
    'the yaml parser and composer, Handlebars and the garbage collector take the rest. A faster load',
    'needs a different YAML reader (one that keeps positions but builds no document tree), or caching',
    'parsed files by content between runs, which a watch mode or editor plugin would do.',
    '',
  );
  return out;
}

function queriesSection(rec: Recorded<QueriesResult>): string[] {
  const q = rec.result;
  const rows = Object.entries(q.rows).map(([t, n]) => `${t} ${n0(n)}`).join(', ');
  return [
    '## 2. Queries',
    '',
    when(rec),
    '',
    `Every catalog KPI at its own grain from 2022-01-01 to 2025-12-31 on the large sample (${rows} rows),`,
    'the SQL `kpi run` executes (bound parameters) against the hand-written SQL in bench/sql/<id>.sql, on',
    'one connection. Before timing, each pair must return the same periods and values to 1e-9. Then they',
    'run alternately (which one goes first alternates too). Ratio = generated ÷ hand-written, medians.',
    '',
    table(
      ['KPI', 'grain', 'generated', 'hand-written', 'ratio'],
      q.kpis.map((k) => [`\`${k.id}\``, k.grain, `${n1(k.generatedMs)} ms`, `${n1(k.handMs)} ms`, n3(k.ratio)]),
      '|---|---|---:|---:|---:|',
    ),
    '',
    `Median of the ratios: **${n3(q.medianRatio)}**; all generated queries together take ${n3(q.totalRatio)} times the hand-written ones`,
    `(${n0(q.kpis.reduce((s, k) => s + k.generatedMs, 0))} ms against ${n0(q.kpis.reduce((s, k) => s + k.handMs, 0))} ms). ${q.kpis.filter((k) => k.ratio > 1.05).length} of ${q.kpis.length} KPIs are above 1.05.`,
    '',
    ...(() => {
      const above = q.kpis.filter((k) => k.ratio > 1.05).sort((a, b) => b.ratio - a.ratio);
      return above.length === 0
        ? []
        : [
            `Above 1.05: ${above.map((k) => `${k.id} (${n1(k.generatedMs)} against ${n1(k.handMs)} ms)`).join(', ')}. In the small ones the`,
            'generated SQL\'s fixed parts show (the bounds and periods CTEs, the grid it joins every scan to,',
            'the casts); the snapshot ones join periods to rows as the hand-written SQL does, and gain nothing',
            'from the per-day aggregation below; recurring_revenue_rate also reads the quarter before the range.',
            '',
          ];
    })(),
    'The hand-written queries are what an analyst writes for DuckDB: `date_trunc` per row, `FILTER`',
    'clauses, inner joins, constant range filters. The generated SQL was slower than that at first (on',
    '10M rows: first_time_fix_rate 1.03, ticket_volume 1.17, arpu 1.29, field_engineer_utilization 1.32,',
    'response_time 2.47; over all 51 KPIs on the 200k sample, a median of 1.49), and four changes to',
    'the SQL emitter (src/emit/sql/emit.ts, each in its own commit, generated/ regenerated) made it faster:',
    '',
    '1. A range given to `kpi run` is filtered on expressions of the bound parameters, which DuckDB',
    '   folds and pushes into the table scan, rather than on subqueries of the bounds CTE; and when the',
    '   range is given, the data\'s own min and max (a scan of each time column) are not computed.',
    '2. A scan whose aggregates all have filters keeps only the rows that pass one of them (`WHERE`),',
    '   so rows are dropped early and conditions reach the scan and the joins.',
    '   With several filters that share conditions (`status = \'completed\'`), WHERE keeps those, which',
    '   reach the scan; and a value is bound once per query, so repeated conditions read the same.',
    '3. Such WHERE conditions that cannot hold without a referenced row make that reference an inner',
    '   join, which DuckDB may reorder (it does not see through a chain of LEFT JOINs by itself).',
    '4. Scans by a time column aggregate per day (a cast to DATE) and then per period. In DuckDB,',
    '   `date_trunc(\'quarter\', ts)` on every row took most of a simple scan\'s time (0.35-0.55 s of',
    '   0.4-0.6 s for 10M rows); grouping by the date and truncating the 1,461 days costs a tenth of',
    '   that. Counts, sums, minima and maxima combine exactly, averages travel as sum and count;',
    '   distinct counts and percentiles stay per period. This is why many generated queries now beat',
    '   the hand-written ones, which truncate per row as most people write it.',
    '',
    'The two traps the issue names were already avoided: filtered aggregates are `CASE WHEN` inside the',
    'aggregate (no `FILTER`), and there is no per-row `* 1.0` (division is `/`, real in DuckDB).',
    'Snapshot KPIs (at end, at start, during) join the few periods to every row of the table; the',
    'hand-written SQL does the same (an analyst writing `range()` as a table function even gets a slower',
    'piecewise merge join there; bench/sql uses `unnest(range(...))`, which DuckDB plans as a nested loop).',
    '',
  ];
}

function manySection(rec: Recorded<ManyResult>): string[] {
  const m = rec.result;
  const out = ['## 3. Many KPIs at once', '', when(rec), ''];
  out.push(
    `One \`kpi run\` (the library calls the CLI makes once the project is loaded and the database open:`,
    'plan, SQL, run) with all the KPIs against each KPI alone, same range as above. "Passes" counts the',
    `scans in the plan and in DuckDB's own physical plan (EXPLAIN, scan operators reading ${m.table}).`,
    '',
  );
  for (const g of m.groups) {
    out.push(
      `### ${g.kpis.length} KPIs: ${g.label}`,
      '',
      table(['KPI', 'alone'], [...g.alone.map((a) => [`\`${a.id}\``, `${n0(a.ms)} ms`]), ['**all together**', `**${n0(g.together.ms)} ms**`], ['all alone, one after the other', `${n0(g.sumAloneMs)} ms`]], '|---|---:|'),
      '',
      `Together: ${n2(g.ratio)}x the slowest alone (${n0(g.slowestAloneMs)} ms), ${n2(g.together.ms / g.sumAloneMs)}x the sum of all alone. ${g.together.planScans} pass${g.together.planScans === 1 ? '' : 'es'} over ${m.table} in the plan (${g.together.timeSpecs.join('; ')}), ${g.together.tableScans} in DuckDB's plan.`,
      '',
    );
  }
  const all = m.groups[0];
  if (all && all.together.planScans > 1) {
    out.push(
      `Together is faster than one query per KPI, but not within 1.5x of the slowest. The plan reads the`,
      `table once per time column, not once: these KPIs put work orders into periods by ${all.together.planScans} different`,
      'columns or snapshots, each needing its own grouping of every row. And in a columnar engine one',
      'pass does not make the work one KPI\'s: the cost is per column read and per row. The three KPIs',
      'that share completed_at are computed in a single pass (second table), yet that pass reads the',
      'union of their columns (the costs, the first-visit flag, the type, two more timestamps): in',
      'one DuckDB profile its table scan took 0.94 s against 0.49 s for cost_per_work_order\'s alone, and',
      'the query 0.78 s against 0.35 s. A row store, where a scan reads whole rows, is where one scan',
      'for many KPIs pays; here sharing saves only the columns the KPIs have in common (status,',
      'completed_at). GROUPING SETS over one pass for the other time columns would read the union of',
      'every KPI\'s columns again. So the bar is missed, by the factor above, for a reason the plan',
      'cannot remove.',
      '',
    );
  }
  return out;
}

function calculatorsSection(rec: Recorded<CalculatorsResult>): string[] {
  const c = rec.result;
  return [
    '## 4. Calculators',
    '',
    when(rec),
    '',
    `The generated TypeScript calculators (generated/ts, run as TypeScript through tsx) against DuckDB on`,
    `the same ${n0(c.rows)} work orders (every tenth of the large sample) held in memory, with the rows`,
    `they reference (${Object.entries(c.tables).map(([t, n]) => `${t} ${n0(n)}`).join(', ')}): JavaScript objects with ISO`,
    'timestamp strings for the calculators, an in-memory DuckDB database for the SQL. Both give the same',
    'values (checked to 1e-9 first). Rows per second = work orders ÷ median time of one KPI over the range.',
    '',
    table(
      ['KPI', 'TypeScript', 'DuckDB', 'DuckDB, 1 thread'],
      c.kpis.map((k) => [`\`${k.id}\``, `${n2(k.calculatorRowsPerSecond / 1e6)} M rows/s`, `${n2(k.duckdbRowsPerSecond / 1e6)} M rows/s`, `${n2(k.duckdbOneThreadRowsPerSecond / 1e6)} M rows/s`]),
    ),
    '',
    'The calculators are for an application\'s own rows (thousands to a few hundred thousand); on a',
    `million DuckDB is ${n0(Math.min(...c.kpis.map((k) => k.duckdbRowsPerSecond / k.calculatorRowsPerSecond)))}-${n0(Math.max(...c.kpis.map((k) => k.duckdbRowsPerSecond / k.calculatorRowsPerSecond)))} times faster. A calculator visits every row as a JavaScript object, parses`,
    'its timestamp strings (digit by digit since this benchmark: the pattern it used before made them',
    'a third slower), finds its period and looks up the rows it references; DuckDB reads typed columns.',
    '',
  ];
}

function sampleSection(rec: Recorded<SampleResult>): string[] {
  const s = rec.result;
  return [
    `## Sample data at ${n0(s.rows)} work orders`,
    '',
    when(rec, 'one build'),
    '',
    `\`kpi sample --rows ${s.rows} --out ${s.path.replace(/^.*\//, '…/')}\`: **${n1(s.seconds)} s**, peak resident memory **${n2(s.peakRssMb / 1024)} GB**, file ${n0(s.fileMb)} MB.`,
    '',
    table(['step', 'rows', 'seconds'], s.steps.map((x) => [x.step, x.rows === null ? '' : n0(x.rows), n1(x.seconds)])),
    '',
    'Before this benchmark the same build took 112 s and 4.66 GB on this machine (busier then; 92 s',
    'as issue 2 recorded it). The costs that remain were measured statement by statement at 2M work',
    'orders: a quarter of the build is the work-order plan (one query drawing some sixty hash-based',
    'random values per work order, 4.4 s of 17 s), then the inserts of the large tables, each mostly',
    'random draws too. The row_number() sorts that give ids in time order are now per day (the count',
    'of earlier days\' rows plus the row\'s number within its day): the same ids and so the same data',
    '(every table of the 200k and 2M samples compared row for row, and the 10M one by row count and',
    'a sum of row hashes per table), a quarter faster for the largest tables, about 5% overall.',
    'Dropping the sorts altogether needs ids computed from the source keys, which changes every value',
    'drawn from an id: every number of the sample, the dashboards and what the sample tests read',
    '(ranges, in test/sample/realism.test.ts). The work-order staging copy (wo_plan into work_orders,',
    'about 5% of the build) stays: visits, tickets and revenue read fifteen columns of the plan that',
    'work_orders does not have, and drawing them again would cost more than the copy.',
    '',
  ];
}
