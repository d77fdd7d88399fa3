// `npm run bench`: runs the benchmarks and writes docs/benchmarks.md. Each benchmark's numbers are
// kept in bench/results/<name>.json, so that running one of them again (BENCH_ONLY) rewrites the
// page with the others' last numbers beside it. Options, as environment variables:
//   BENCH_ONLY=compile,queries,many,calculators,sample   which to run (default: the four benchmarks;
//                                                        the sample is built when the file is missing)
//   BENCH_SIZES=100,1000,10000   KPIs for the compile benchmark
//   BENCH_RUNS=5                 timed runs per measurement, after a warm-up
//   BENCH_DB=data/sample-10m.duckdb, BENCH_ROWS=10000000   the large sample and its size
//   BENCH_NOTE="..."             a line for the page (for example, what else ran on the machine)

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, release, type } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { benchCalculators } from './calculators.js';
import { benchCompile } from './compile.js';
import { benchMany } from './many.js';
import { ROOT, RUNS } from './measure.js';
import { benchQueries } from './queries.js';
import { renderReport, type Machine, type Results } from './report.js';
import { buildLargeSample } from './sample.js';

const NAMES = ['sample', 'compile', 'queries', 'many', 'calculators'] as const;
type Name = (typeof NAMES)[number];

const only = (process.env.BENCH_ONLY ?? 'compile,queries,many,calculators').split(',').map((s) => s.trim()).filter(Boolean);
for (const n of only) if (!NAMES.includes(n as Name)) throw new Error(`BENCH_ONLY: unknown benchmark '${n}' (known: ${NAMES.join(', ')})`);
const sizes = (process.env.BENCH_SIZES ?? '100,1000,10000').split(',').map(Number);
const rows = Number(process.env.BENCH_ROWS ?? 10_000_000);
const db = resolve(ROOT, process.env.BENCH_DB ?? join('data', 'sample-10m.duckdb'));
const resultsDir = join(ROOT, 'bench', 'results');
const log = (s: string) => process.stderr.write(`${s}\n`);

async function machine(): Promise<Machine> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll("SELECT version(), current_setting('threads')");
  const [version, threads] = reader.getRows()[0];
  connection.closeSync();
  instance.closeSync();
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: totalmem() / 2 ** 30,
    os: `${type()} ${release()}`,
    node: process.version,
    duckdb: String(version),
    duckdbThreads: Number(threads),
  };
}

function save(name: Name, value: unknown, started: Date, load: number[], machine: Machine): void {
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${name}.json`);
  const record = { date: started.toISOString(), seconds: (Date.now() - started.getTime()) / 1000, runs: RUNS, machine, loadBefore: load, loadAfter: loadavg(), note: process.env.BENCH_NOTE ?? null, result: value };
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
}

function readResults(): Results {
  const out: Results = {};
  for (const n of NAMES) {
    const file = join(resultsDir, `${n}.json`);
    if (existsSync(file)) (out as Record<string, unknown>)[n] = JSON.parse(readFileSync(file, 'utf8'));
  }
  return out;
}

const m = await machine();
log(`machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb.toFixed(0)} GB, node ${m.node}, DuckDB ${m.duckdb}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
const needsDb = only.some((n) => n === 'queries' || n === 'many' || n === 'calculators');
for (const name of NAMES) {
  const build = name === 'sample' && (only.includes('sample') || (needsDb && !existsSync(db)));
  if (name !== 'sample' && !only.includes(name)) continue;
  if (name === 'sample' && !build) continue;
  const started = new Date();
  const load = loadavg();
  let value: unknown;
  switch (name) {
    case 'sample':
      mkdirSync(dirname(db), { recursive: true });
      value = buildLargeSample(db, rows, log);
      break;
    case 'compile':
      value = await benchCompile(sizes, log);
      break;
    case 'queries':
      value = await benchQueries(db, log);
      break;
    case 'many':
      value = await benchMany(db, log);
      break;
    case 'calculators':
      value = await benchCalculators(db, log);
      break;
  }
  save(name, value, started, load, m);
}
const page = join(ROOT, 'docs', 'benchmarks.md');
writeFileSync(page, renderReport(readResults()));
log(`wrote ${page}`);
