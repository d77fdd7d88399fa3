// The sample data on PostgreSQL: `kpi sample --url` loads it, and every KPI of kpis/ gives there
// what it gives on DuckDB (same rows, same nulls, values to 1e-9), at its own grain, sliced
// (--by), filtered (--where), through `kpi run --dialect postgres`, and as the generated files in
// generated/sql-postgres/ run as they stand. Then the ways it can go wrong: data that lacks what a
// query reads, a server that refuses a query, a load that cannot replace the tables, a bad URL.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProject, emitSql, planQuery } from '../../src/index.js';
import { openEngine, type Engine, type Row } from '../../src/run/engine.js';
import { closeEnough } from '../../src/run/fixtures.js';
import type { QueryRequest } from '../../src/plan/query.js';
import { engineTarget, type QueryOptions } from '../../src/cli/query-options.js';
import { createDatabase } from './database.js';
import { serverBinaries } from './server.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'cli', 'main.js');
const project = compileProject(ROOT);
const RANGE = { from: '2024-07-01', to: '2025-12-31' };
let work: string;
let duckFile: string;
let db: Awaited<ReturnType<typeof createDatabase>>;
let duck: Engine;
let pgEngine: Engine;
let sampleLog: { code: number | null; err: string };

function kpi(args: string[], env: Record<string, string | undefined> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, KPI_PG_URL: undefined, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function sql(text: string, url = db.url): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'kpi-pg-sample-'));
  duckFile = join(work, 'sample.duckdb');
  db = await createDatabase('sample');
  // One build: the DuckDB file, and the same tables copied into PostgreSQL.
  sampleLog = kpi(['sample', '--rows', '20000', '--out', duckFile, '--url', db.url]);
  expect(sampleLog.code, sampleLog.err).toBe(0);
  duck = (await openEngine({ engine: 'duckdb', location: { kind: 'db', path: duckFile }, label: duckFile }, project.value.sources)).engine!;
  pgEngine = (await openEngine({ engine: 'postgres', url: db.url }, project.value.sources)).engine!;
}, 120_000);

afterAll(async () => {
  await duck?.close();
  await pgEngine?.close();
  await db?.drop();
  rmSync(work, { recursive: true, force: true });
});

/** Both backends' rows for one query; the differences, one line each. */
async function compare(request: QueryRequest, range = RANGE): Promise<{ rows: Row[]; differences: string[] }> {
  const plan = planQuery(project.value, request);
  expect(plan.diagnostics).toEqual([]);
  const a = await duck.runQuery(emitSql(plan.value!, { dialect: duck.dialect, mode: 'bound' }, range));
  const b = await pgEngine.runQuery(emitSql(plan.value!, { dialect: pgEngine.dialect, mode: 'bound' }, range));
  const differences: string[] = [];
  if (a.length !== b.length) differences.push(`${request.ids.join(',')}: ${a.length} rows on DuckDB, ${b.length} on PostgreSQL`);
  a.forEach((row, i) => {
    for (const [col, v] of Object.entries(row)) {
      const w = b[i]?.[col];
      const same = request.ids.includes(col) ? closeEnough(w as number | null, v as number | null) : w === v;
      if (!same) differences.push(`${request.ids.join(',')} row ${i} ${col}: DuckDB ${JSON.stringify(v)}, PostgreSQL ${JSON.stringify(w)}`);
    }
  });
  return { rows: a, differences };
}

describe('kpi sample --url', () => {
  it('loads every sample table with the row counts of the DuckDB file and types from the source schemas', async () => {
    const built = /wrote .* in [\d.]+ s: (.*)\n/.exec(sampleLog.err);
    const counts = Object.fromEntries(built![1].split(', ').map((t) => [t.split(' ')[0], Number(t.split(' ')[1])]));
    expect(Object.keys(counts)).toHaveLength(17);
    expect(counts.work_orders).toBe(20000);
    for (const [table, n] of Object.entries(counts)) expect((await sql(`SELECT count(*)::int AS n FROM "${table}"`)).rows[0].n, table).toBe(n);
    const types = await sql("SELECT column_name AS c, data_type AS t, is_nullable AS n FROM information_schema.columns WHERE table_name = 'work_orders' ORDER BY ordinal_position");
    const byName = Object.fromEntries(types.rows.map((r) => [r.c, `${r.t}${r.n === 'NO' ? ' not null' : ''}`]));
    expect(byName).toMatchObject({ id: 'bigint not null', ticket_id: 'bigint', status: 'text not null', emergency: 'boolean not null', created_at: 'timestamp without time zone not null', completed_at: 'timestamp without time zone', labour_cost: 'numeric not null' });
    // Decimals arrive exactly, and so do timestamps and nulls.
    const check = 'SELECT sum(labour_cost + parts_cost)::text AS cost, min(completed_at)::text AS first, count(restored_at)::int AS restored FROM work_orders';
    const [onDuck] = await duck.runQuery({ sql: check.replace(/::text/g, '::VARCHAR').replace('::int', ''), params: [], columns: ['cost', 'first', 'restored'] });
    const [onPg] = (await sql(check)).rows;
    expect(onPg).toEqual({ cost: onDuck.cost, first: onDuck.first, restored: onDuck.restored });
  });
});

describe('the catalog on the sample data: PostgreSQL equals DuckDB', () => {
  it('every KPI at its own grain over six quarters: same rows, same nulls, values to 1e-9', async () => {
    const all: string[] = [];
    let values = 0;
    for (const k of project.value.kpis) {
      const { rows, differences } = await compare({ ids: [k.def.id.value], grain: k.def.grain });
      all.push(...differences);
      values += rows.filter((r) => r[k.def.id.value] !== null).length;
      expect(rows.length, k.def.id.value).toBeGreaterThanOrEqual(6);
    }
    expect(all).toEqual([]);
    expect(project.value.kpis.length).toBeGreaterThan(50);
    expect(values).toBeGreaterThan(project.value.kpis.length * 5);
  });

  it('sliced by dimensions (text, integer, boolean, through references), several KPIs in one query, month and week grains', async () => {
    const requests: QueryRequest[] = [
      { ids: ['first_time_fix_rate', 'mean_time_to_repair'], by: ['region'] },
      { ids: ['first_time_fix_rate'], by: ['technician_id'], grain: 'month' },
      { ids: ['open_tickets', 'closed_opened_ratio'], by: ['priority', 'customers.region'] },
      { ids: ['network_uptime'], grain: 'week' },
      { ids: ['customer_churn_rate', 'customer_lifetime_value'], by: ['segment'] },
    ];
    const all: string[] = [];
    for (const r of requests) {
      const { rows, differences } = await compare(r);
      all.push(...differences);
      expect(rows.length).toBeGreaterThan(6);
    }
    expect(all).toEqual([]);
  });

  it('filtered with --where (strings, numbers, booleans, dates: all bound parameters)', async () => {
    const requests: QueryRequest[] = [
      { ids: ['first_time_fix_rate'], where: "region in ['north', 'east'] and not emergency", by: ['region'] },
      { ids: ['mean_time_to_repair'], where: "visit_count > 1 or type = 'repair'" },
      { ids: ['open_tickets'], where: "priority = 'critical' and opened_at >= '2025-01-01'" },
    ];
    const all: string[] = [];
    for (const r of requests) {
      const { rows, differences } = await compare(r);
      all.push(...differences);
      expect(rows.some((row) => row[r.ids[0]] !== null)).toBe(true);
    }
    expect(all).toEqual([]);
  });

  it('kpi run --dialect postgres prints what kpi run prints on DuckDB (CSV), byte for byte', () => {
    const args = ['run', 'first_time_fix_rate', 'open_tickets', 'network_uptime', '--by', 'region', '--from', '2025-01-01', '--to', '2025-12-31', '--where', "region != 'west'", '--format', 'csv'];
    const onDuck = kpi([...args, '--db', duckFile]);
    const onPg = kpi([...args, '--dialect', 'postgres', '--url', db.url]);
    expect(onDuck.code, onDuck.err).toBe(0);
    expect(onPg.code, onPg.err).toBe(0);
    expect(onPg.out).toBe(onDuck.out);
    const lines = onPg.out.trim().split('\n');
    expect(lines[0]).toBe('period,region,first_time_fix_rate,open_tickets,network_uptime');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(' '))).toEqual(
      ['2025-01-01', '2025-04-01', '2025-07-01', '2025-10-01'].flatMap((p) => ['central', 'east', 'north', 'south'].map((r) => `${p} ${r}`)),
    );
  });

  it('the generated files run as they stand (psql, the range in kpi.from_date/kpi.to_date) and agree with DuckDB', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const all: string[] = [];
    try {
      await client.query("SET kpi.from_date = '2024-07-01'; SET kpi.to_date = '2025-12-31'");
      for (const k of project.value.kpis) {
        const id = k.def.id.value;
        const text = readFileSync(join(ROOT, 'generated', 'sql-postgres', `${id}.sql`), 'utf8');
        // The simple query protocol, as psql sends a file: comments, literals, no parameters.
        const fromFile = (await client.query(text)).rows as { period: Date | string; [id: string]: unknown }[];
        const { rows } = await compare({ ids: [id], grain: k.def.grain });
        if (fromFile.length !== rows.length) all.push(`${id}: the file gives ${fromFile.length} rows, kpi run ${rows.length}`);
        rows.forEach((r, i) => {
          const v = fromFile[i]?.[id] as number | null;
          if (!closeEnough(v, r[id] as number | null)) all.push(`${id} ${r.period}: file ${v}, DuckDB ${r[id]}`);
        });
      }
      // RESET gives '' rather than null: the range is then all the data again.
      await client.query('RESET kpi.from_date; RESET kpi.to_date');
      const whole = await client.query(readFileSync(join(ROOT, 'generated', 'sql-postgres', 'first_time_fix_rate.sql'), 'utf8'));
      expect(whole.rows.length).toBe(16);
    } finally {
      await client.end();
    }
    expect(all).toEqual([]);
    const psql = join(serverBinaries().bin, 'psql');
    const out = execFileSync(psql, [db.url, '-X', '-q', '-A', '-t', '-F', ',', '-v', 'ON_ERROR_STOP=1', '-c', "SET kpi.from_date = '2025-01-01'", '-c', "SET kpi.to_date = '2025-12-31'", '-f', join(ROOT, 'generated', 'sql-postgres', 'first_time_fix_rate.sql')], { encoding: 'utf8' });
    const { rows } = await compare({ ids: ['first_time_fix_rate'] }, { from: '2025-01-01', to: '2025-12-31' });
    expect(out.trim().split('\n')).toEqual(rows.map((r) => `${r.period},${r.first_time_fix_rate}`));
  });

  it('kpi sql --dialect postgres prints the query with numbered parameters', () => {
    const r = kpi(['sql', 'first_time_fix_rate', '--dialect', 'postgres', '--from', '2025-01-01', '--where', "region = 'north'"]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^-- parameters:\n-- {3}\$1 \(from\) = "2025-01-01"\n-- {3}\$2 \(to\) = null\n-- {3}\$3 \(p1\) = "completed"\n/);
    expect(r.out).toContain('CAST($1 AS date) AS from_date');
    expect(r.out).toContain('"region" = CAST(');
    expect(r.out).not.toContain("'north'");
  });
});

describe('what PostgreSQL data lacks, and a server that refuses', () => {
  it('names a missing table, a missing column and a column of another type (KPI0501-0503), with the search_path from the URL', async () => {
    await sql(`CREATE SCHEMA broken;
      CREATE TABLE broken.work_orders AS SELECT id, status, technician_id, type, resolved_on_first_visit FROM public.work_orders;
      CREATE TABLE broken.timesheets AS SELECT id, technician_id, work_date, available_hours::text AS billable_hours, available_hours FROM public.timesheets`);
    const url = `${db.url}?options=${encodeURIComponent('-c search_path=broken')}`;
    const r = kpi(['run', 'first_time_fix_rate', 'technician_utilization', '--by', 'region', '--url', url]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain(`[KPI0502]: table 'work_orders' in the PostgreSQL database ${url} has no column 'completed_at' (timestamp), which the query reads`);
    expect(r.err).toContain(`[KPI0501]: the PostgreSQL database ${url} has no table 'technicians', which the query reads`);
    expect(r.err).toContain(`[KPI0503]: column timesheets.billable_hours in the PostgreSQL database ${url} is text, but the schema says decimal`);
    expect(r.err).toContain('schemas/sources/work_orders.yaml:');
  });

  it('reports a query the server refuses (KPI0521), without the password', async () => {
    await sql("CREATE ROLE outsider LOGIN PASSWORD 'secret'");
    const url = db.url.replace('kpi@', 'outsider:secret@');
    const refused = kpi(['run', 'first_time_fix_rate', '--url', url]);
    expect(refused.code).toBe(1);
    expect(refused.out).toBe('');
    expect(refused.err).toContain(`[KPI0521]: the query failed on the PostgreSQL database ${db.url.replace('kpi@', 'outsider@')}: permission denied for table`);
    expect(refused.err).not.toContain('secret');
  });

  it('reports a server it cannot reach (KPI0520)', async () => {
    const opened = await openEngine({ engine: 'postgres', url: 'postgres://kpi:pw@127.0.0.1:1/none' }, project.value.sources);
    expect(opened.engine).toBeNull();
    expect(opened.diagnostics).toEqual([expect.objectContaining({ code: 'KPI0520', message: expect.stringMatching(/^cannot connect to PostgreSQL at postgres:\/\/kpi@127\.0\.0\.1:1\/none: .*ECONNREFUSED/) })]);
  });

  it('rejects mixed-up options before connecting (KPI0504)', () => {
    const target = (opts: Partial<QueryOptions>) => engineTarget({ root: ROOT, diagnostics: 'text', by: [], ...opts });
    const cases: [Partial<QueryOptions>, string][] = [
      [{ dialect: 'duckdb', url: db.url }, '--url names a PostgreSQL database, and --dialect is duckdb'],
      [{ dialect: 'postgres', db: duckFile }, '--db is DuckDB data, and --dialect is postgres'],
      [{ dialect: 'postgres', data: work }, '--data is DuckDB data, and --dialect is postgres'],
      [{ dialect: 'postgres' }, '--dialect postgres needs a database: give --url postgres://user@host:port/database, or set KPI_PG_URL'],
      [{ url: 'mysql://kpi:secret@host/db' }, "--url must be a PostgreSQL URL starting with postgres:// or postgresql://; 'mysql://kpi@host/db' is not"],
    ];
    const saved = process.env.KPI_PG_URL;
    delete process.env.KPI_PG_URL;
    try {
      for (const [opts, message] of cases) expect(target(opts)).toEqual({ target: null, diagnostics: [expect.objectContaining({ code: 'KPI0504', message })] });
      // --url alone means PostgreSQL; so does --dialect postgres with KPI_PG_URL set; neither means DuckDB's sample.
      expect(target({ url: db.url }).target).toEqual({ engine: 'postgres', url: db.url });
      process.env.KPI_PG_URL = db.url;
      expect(target({ dialect: 'postgres' }).target).toEqual({ engine: 'postgres', url: db.url });
      expect(target({}).target).toMatchObject({ engine: 'duckdb', label: join('data', 'sample.duckdb') });
    } finally {
      if (saved === undefined) delete process.env.KPI_PG_URL;
      else process.env.KPI_PG_URL = saved;
    }
  });

  it('leaves the tables as they were when a load cannot replace them (KPI0522)', async () => {
    await sql('CREATE VIEW public.busy AS SELECT id FROM public.work_orders');
    const before = (await sql('SELECT count(*)::int AS n FROM public.assets')).rows[0].n;
    const r = kpi(['sample', '--rows', '1000', '--url', db.url]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`[KPI0522]: the sample data could not be loaded into PostgreSQL at ${db.url}: cannot drop table work_orders because other objects depend on it`);
    // assets comes before work_orders, and was replaced inside the transaction: it is back as it was.
    expect((await sql('SELECT count(*)::int AS n FROM public.assets')).rows[0].n).toBe(before);
    expect((await sql('SELECT count(*)::int AS n FROM public.work_orders')).rows[0].n).toBe(20000);
    await sql('DROP VIEW public.busy');
  });
});
