// Runs the built `kpi` binary as a user would: exit codes, what it prints, what it leaves on disk.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'dist', 'cli', 'main.js');
let work: string;
let db: string;
/** The catalog's KPI files, counted the way `kpi check` finds them. */
const KPI_COUNT = readdirSync(join(ROOT, 'kpis'), { recursive: true }).filter((f) => String(f).endsWith('.yaml')).length;

function kpi(args: string[], cwd = work) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kpi-cli-'));
  for (const dir of ['kpis', 'schemas']) cpSync(join(ROOT, dir), join(work, dir), { recursive: true });
  db = join(work, 'sample.duckdb');
  const r = kpi(['sample', '--rows', '3000', '--seed', '7', '--out', db]);
  expect(r.code, r.err).toBe(0);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('kpi start', () => {
  it('builds the sample data on a fresh project and prints every role dashboard for four quarters', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-start-'));
    for (const d of ['kpis', 'schemas']) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
    const r = kpi(['start'], dir);
    expect(r.code, r.err).toBe(0);
    expect(existsSync(join(dir, 'data', 'sample.duckdb'))).toBe(true);
    expect(readdirSync(join(dir, 'generated', 'sql'))).toHaveLength(KPI_COUNT);
    for (const title of ['Executive dashboard', 'Service manager dashboard', 'Dispatcher dashboard', 'Technician dashboard']) expect(r.out).toContain(title);
    const header = r.out.split('\n').find((l) => l.startsWith('KPI'))!;
    expect(header.match(/\d{4} Q\d/g)).toHaveLength(4);
    expect(r.out).toMatch(/First Time Fix Rate\s+\d+\.\d%/);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});

describe('kpi check', () => {
  it('passes on the catalog', () => {
    const r = kpi(['check']);
    expect(r.err).toMatch(new RegExp(`checked ${KPI_COUNT} KPIs over \\d+ tables: 0 errors`));
    expect(r.code).toBe(0);
  });

  it('points at a misspelt column with file, line, column and the column it meant, and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-bad-'));
    cpSync(join(work, 'schemas'), join(dir, 'schemas'), { recursive: true });
    cpSync(join(work, 'kpis'), join(dir, 'kpis'), { recursive: true });
    const file = join(dir, 'kpis', 'tactical', 'first_time_fix_rate.yaml');
    const text = readFileSync(file, 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('resolved_on_first_visit)'));
    expect(line).toBeGreaterThan(0);
    const column = text.split('\n')[line].indexOf('resolved_on_first_visit') + 1;
    writeFileSync(file, text.replace('resolved_on_first_visit)', 'resolved_on_frist_visit)'));
    const r = kpi(['check'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`kpis/tactical/first_time_fix_rate.yaml:${line + 1}:${column}`);
    expect(r.err).toContain("work_orders has no column 'resolved_on_frist_visit'");
    expect(r.err).toContain("did you mean 'resolved_on_first_visit'?");
    const json = kpi(['check', '--format', 'json'], dir);
    expect(json.code).toBe(1);
    const inFile = (JSON.parse(json.out) as { file: string }[]).filter((d) => d.file === 'kpis/tactical/first_time_fix_rate.yaml');
    expect(inFile).toEqual([expect.objectContaining({ code: 'KPI0302', file: 'kpis/tactical/first_time_fix_rate.yaml', span: { line: line + 1, column, length: 23 } })]);
    const gh = kpi(['check', '--format', 'github'], dir);
    expect(gh.err).toContain(`::error file=kpis/tactical/first_time_fix_rate.yaml,line=${line + 1},col=${column},`);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('kpi run', () => {
  it('prints one row per quarter and region as JSON', () => {
    const r = kpi(['run', 'first_time_fix_rate', '--grain', 'quarter', '--by', 'region', '--format', 'json', '--db', db, '--from', '2024-01-01', '--to', '2024-12-31']);
    expect(r.code, r.err).toBe(0);
    const rows = JSON.parse(r.out) as { period: string; region: string; first_time_fix_rate: number | null }[];
    const periods = [...new Set(rows.map((x) => x.period))];
    expect(periods).toEqual(['2024-01-01', '2024-04-01', '2024-07-01', '2024-10-01']);
    const regions = [...new Set(rows.map((x) => x.region))].sort();
    expect(regions).toEqual(['central', 'east', 'north', 'south', 'west']);
    expect(rows).toHaveLength(20);
    for (const row of rows) expect(row.first_time_fix_rate).toBeGreaterThan(0.4);
  });

  it('gives the same numbers as a hand-written query', async () => {
    const r = kpi(['run', 'first_time_fix_rate', '--grain', 'year', '--format', 'csv', '--db', db, '--from', '2024-01-01', '--to', '2024-12-31']);
    expect(r.code, r.err).toBe(0);
    const [header, line] = r.out.trim().split('\n');
    expect(header).toBe('period,first_time_fix_rate');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const inst = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
    const c = await inst.connect();
    const res = await c.runAndReadAll(`SELECT count(*) FILTER (WHERE status = 'completed' AND resolved_on_first_visit) / count(*) FILTER (WHERE status = 'completed') AS v
      FROM work_orders WHERE completed_at >= TIMESTAMP '2024-01-01' AND completed_at < TIMESTAMP '2025-01-01'`);
    const expected = Number(res.getRowObjects()[0].v);
    c.closeSync();
    inst.closeSync();
    expect(line.split(',')[0]).toBe('2024-01-01');
    expect(Math.abs(Number(line.split(',')[1]) - expected)).toBeLessThan(1e-12);
  });

  it('--grain none gives one value over the range, equal to a hand-written query; --periods data drops empty periods', async () => {
    const r = kpi(['run', 'first_time_fix_rate', 'service_revenue_ytd', '--grain', 'none', '--format', 'csv', '--db', db, '--from', '2024-02-10', '--to', '2024-11-20']);
    expect(r.code, r.err).toBe(0);
    const [header, line] = r.out.trim().split('\n');
    expect(header).toBe('period,first_time_fix_rate,service_revenue_ytd');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const inst = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
    const c = await inst.connect();
    const ftfr = await c.runAndReadAll(`SELECT count(*) FILTER (WHERE status = 'completed' AND resolved_on_first_visit) / count(*) FILTER (WHERE status = 'completed') AS v
      FROM work_orders WHERE completed_at >= TIMESTAMP '2024-02-10' AND completed_at < TIMESTAMP '2024-11-21'`);
    // Year to date at the range's end: from 2024-01-01 (the year of the range's last instant) to 2024-11-21.
    const ytd = await c.runAndReadAll(`SELECT sum(amount)::DOUBLE AS v FROM revenue WHERE kind IN ('service', 'recurring') AND booked_at >= DATE '2024-01-01' AND booked_at < DATE '2024-11-21'`);
    const months = await c.runAndReadAll(`SELECT count(DISTINCT date_trunc('month', completed_at)) AS n FROM work_orders WHERE completed_at >= TIMESTAMP '2020-01-01' AND completed_at < TIMESTAMP '2030-01-01'`);
    const expected = [Number(ftfr.getRowObjects()[0].v), Number(ytd.getRowObjects()[0].v)];
    const withData = Number(months.getRowObjects()[0].n);
    c.closeSync();
    inst.closeSync();
    const cells = line.split(',');
    expect(cells[0]).toBe('2024-02-10');
    expect(Math.abs(Number(cells[1]) - expected[0])).toBeLessThan(1e-12);
    expect(Math.abs(Number(cells[2]) - expected[1]) / expected[1]).toBeLessThan(1e-9);
    // Ten years of months asked for; only the months with completed work orders come back.
    const data = kpi(['run', 'first_time_fix_rate', '--grain', 'month', '--periods', 'data', '--format', 'csv', '--db', db, '--from', '2020-01-01', '--to', '2029-12-31']);
    expect(data.code, data.err).toBe(0);
    expect(data.out.trim().split('\n')).toHaveLength(1 + withData);
    const all = kpi(['run', 'first_time_fix_rate', '--grain', 'month', '--format', 'csv', '--db', db, '--from', '2020-01-01', '--to', '2029-12-31']);
    expect(all.out.trim().split('\n')).toHaveLength(1 + 120);
    const refused = kpi(['run', 'service_revenue_yoy_growth', '--grain', 'none', '--db', db]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('error[KPI0510]: service_revenue_yoy_growth reads a value of another period');
    const bad = kpi(['run', 'first_time_fix_rate', '--periods', 'some', '--db', db]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("--periods must be 'all' or 'data'; 'some' is not");
  });

  it('binds --where values and rejects a --where that names no column', () => {
    const ok = kpi(['run', 'open_tickets', '--grain', 'year', '--where', "priority = 'critical'", '--db', db, '--from', '2024-01-01', '--to', '2024-12-31', '--format', 'json']);
    expect(ok.code, ok.err).toBe(0);
    expect(JSON.parse(ok.out)).toHaveLength(1);
    const sql = kpi(['sql', 'open_tickets', '--where', "priority = 'critical'"]);
    expect(sql.out).toContain('$p1 = "critical"');
    expect(sql.out).not.toContain("'critical'");
    const bad = kpi(['run', 'open_tickets', '--where', "priorty = 'critical'", '--db', db]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("'priorty' is not a column of tickets");
    const aggregate = kpi(['run', 'open_tickets', '--where', 'surveys.count() > 0', '--db', db]);
    expect(aggregate.code).toBe(1);
    expect(aggregate.err).toContain("error[KPI0424]: a query's row condition (--where) cannot hold an aggregate");
    expect(aggregate.out).toBe('');
  });

  it('rejects bad options with a clear message and exit 1', () => {
    const cases: [string[], RegExp][] = [
      [['run', 'first_time_fix_rate', '--grain', 'fortnight', '--db', db], /\[KPI0504\]: --grain must be one of day, week, month, quarter, year/],
      [['run', 'first_time_fix_rate', '--from', '2024-13-01', '--db', db], /\[KPI0504\]: --from must be a date written YYYY-MM-DD/],
      [['run', 'first_time_fix_rate', '--from', '2025-01-01', '--to', '2024-01-01', '--db', db], /is after --to/],
      [['run', 'first_time_fix_rte', '--db', db], /\[KPI0505\]: there is no KPI 'first_time_fix_rte'[\s\S]*did you mean 'first_time_fix_rate'/],
      [['run', 'first_time_fix_rate', '--by', 'colour', '--db', db], /\[KPI0507\]: first_time_fix_rate cannot be sliced by 'colour'/],
      [['run', 'first_time_fix_rate', '--db', join(work, 'nope.duckdb')], /\[KPI0506\]: the database file .* does not exist/],
      [['run', 'first_time_fix_rate', '--format', 'xml', '--db', db], /\[KPI0504\]: option '--format <format>' argument 'xml' is invalid/],
      [['run', 'first_time_fix_rate', '--db', db, '--data', work], /\[KPI0504\]: give --db or --data, not both/],
      [['sample', '--rows', 'many'], /\[KPI0504\]: --rows must be a whole number/],
      [['sample', '--rows', '1000', '--out', join(work, 'no', 'such', 'dir', 'x.duckdb')], /\[KPI0509\]: the sample data could not be built/],
    ];
    for (const [args, message] of cases) {
      const r = kpi(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err, args.join(' ')).toMatch(message);
    }
  });

  it('says which column a data folder lacks', () => {
    const folder = join(work, 'csv');
    cpSync(join(ROOT, 'test', 'data', 'missing-column'), folder, { recursive: true });
    const r = kpi(['run', 'technician_utilization', '--data', folder]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("[KPI0502]: table 'timesheets' in " + folder + " has no column 'billable_hours'");
    const missingTable = kpi(['run', 'first_time_fix_rate', '--data', folder]);
    expect(missingTable.code).toBe(1);
    expect(missingTable.err).toContain(`[KPI0501]: ${folder} has no table 'work_orders'`);
  });

  it('says which column has another type than the schema promises', () => {
    const folder = join(work, 'typed');
    cpSync(join(ROOT, 'test', 'data', 'missing-column'), folder, { recursive: true });
    writeFileSync(join(folder, 'timesheets.csv'), 'id,technician_id,work_date,available_hours,billable_hours,training_hours,paid_hours\n1,1,2025-01-02,8,lots,0,8\n');
    const r = kpi(['run', 'technician_utilization', '--data', folder]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('[KPI0503]: column timesheets.billable_hours in ' + folder + ' is VARCHAR, but the schema says decimal');
  });
});

describe('kpi test', () => {
  it('passes on the catalog and fails, naming the row, on a wrong expectation', () => {
    const ok = kpi(['test']);
    expect(ok.code, ok.out + ok.err).toBe(0);
    expect(ok.out).toMatch(/fixtures on duckdb: (\d+) passed, 0 failed/);
    const file = join(work, 'kpis', 'tactical', 'open_tickets.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/(given:\n\s+tickets:\n)/, '$1        - { id: 999, opened_atx: 2025-01-01 }\n'));
    const bad = kpi(['test', 'open_tickets']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("[KPI0601]: fixture");
    expect(bad.err).toContain("tickets has no column 'opened_atx'");
    writeFileSync(file, text);
  });
});

describe('generated SQL files', () => {
  it('run as they stand, with the range from session variables, and agree with kpi run', async () => {
    expect(kpi(['compile']).code).toBe(0);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const inst = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
    const c = await inst.connect();
    try {
      for (const id of ['first_time_fix_rate', 'open_tickets', 'recurring_revenue_rate', 'customer_lifetime_value', 'technician_utilization']) {
        const sql = readFileSync(join(work, 'generated', 'sql', `${id}.sql`), 'utf8');
        await c.run("SET VARIABLE kpi_from = DATE '2024-01-01'");
        await c.run("SET VARIABLE kpi_to = DATE '2024-12-31'");
        const fromFile = (await c.runAndReadAll(sql)).getRowObjects().map((r) => [String(r.period), r[id] === null ? null : Number(r[id])]);
        const run = kpi(['run', id, '--db', db, '--from', '2024-01-01', '--to', '2024-12-31', '--format', 'json']);
        expect(run.code, run.err).toBe(0);
        const fromRun = (JSON.parse(run.out) as Record<string, string | number | null>[]).map((r) => [r.period, r[id]]);
        expect(fromFile.length).toBeGreaterThan(0);
        expect(fromFile).toEqual(fromRun);
      }
    } finally {
      c.closeSync();
      inst.closeSync();
    }
  });
});

describe('kpi new', () => {
  it('scaffolds a file that passes kpi check once its formula is filled in, and never overwrites', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-new-'));
    cpSync(join(ROOT, 'schemas'), join(dir, 'schemas'), { recursive: true });
    expect(kpi(['new', 'cancelled_share', '--unit', 'percent'], dir).code).toBe(0);
    const file = join(dir, 'kpis', 'tactical', 'cancelled_share.yaml');
    const empty = kpi(['check'], dir);
    expect(empty.code).toBe(1);
    expect(empty.err).toContain('[KPI0108]: formula must not be empty');
    writeFileSync(file, readFileSync(file, 'utf8').replace("formula: ''", "formula: work_orders.count(where status = 'cancelled') / work_orders.count()"));
    const filled = kpi(['check'], dir);
    expect(filled.code, filled.err).toBe(0);
    const again = kpi(['new', 'cancelled_share'], dir);
    expect(again.code).toBe(1);
    expect(again.err).toContain("[KPI0504]: KPI 'cancelled_share' already exists in kpis/tactical/cancelled_share.yaml");
    expect(kpi(['new', 'Bad-Id'], dir).err).toContain('must be snake_case');
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('kpi diff', () => {
  it('describes a changed formula with its fields, SQL diff and values before and after, as Markdown', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-diff-'));
    for (const d of ['kpis', 'schemas']) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
    const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
    git('init', '-q');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'add', '.');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'base');
    const file = join(dir, 'kpis', 'tactical', 'first_time_fix_rate.yaml');
    const text = readFileSync(file, 'utf8');
    // A formula whose value is known: 1 in every period with a first-visit fix.
    writeFileSync(file, text.replace('formula: fixed_first_visit / completed', 'formula: fixed_first_visit / fixed_first_visit'));
    expect(readFileSync(file, 'utf8')).not.toBe(text);
    const r = kpi(['diff', 'HEAD', '--db', db, '--periods', '2'], dir);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('0 added, 0 removed, 1 changed.');
    expect(r.out).toContain('### Changed: First Time Fix Rate (`first_time_fix_rate`)');
    expect(r.out).toContain('| formula | fixed_first_visit / completed | fixed_first_visit / fixed_first_visit |');
    expect(r.out).toContain(`-      count(CASE WHEN (t0."status" = 'completed') THEN 1 END) AS "count_2"`);
    const before = JSON.parse(kpi(['run', 'first_time_fix_rate', '--db', db, '--format', 'json'], ROOT).out) as { period: string; first_time_fix_rate: number | null }[];
    const rows = r.out.split('\n').filter((l) => /^\| \d{4}-\d{2}-\d{2} \|/.test(l));
    expect(rows).toHaveLength(2);
    const lastTwo = before.filter((b) => b.first_time_fix_rate !== null).slice(-2);
    expect(rows.map((row) => row.split('|').map((c) => c.trim()).slice(1, 4))).toEqual(
      lastTwo.map((b) => [b.period, b.first_time_fix_rate!.toPrecision(6), '1']),
    );
    expect(kpi(['diff', 'no-such-ref'], dir).err).toContain("[KPI0504]: 'no-such-ref' is not a commit");
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('kpi compile', () => {
  it('writes generated/ deterministically and --check names stale files', () => {
    const first = kpi(['compile']);
    expect(first.code, first.err).toBe(0);
    const files = readdirSync(join(work, 'generated', 'sql')).sort();
    expect(files).toContain('first_time_fix_rate.sql');
    expect(files).toHaveLength(KPI_COUNT);
    const before = files.map((f) => readFileSync(join(work, 'generated', 'sql', f), 'utf8'));
    expect(kpi(['compile']).code).toBe(0);
    expect(files.map((f) => readFileSync(join(work, 'generated', 'sql', f), 'utf8'))).toEqual(before);
    expect(kpi(['compile', '--check']).code).toBe(0);
    writeFileSync(join(work, 'generated', 'sql', 'arpu.sql'), '-- edited by hand\n');
    const stale = kpi(['compile', '--check']);
    expect(stale.code).toBe(1);
    expect(stale.err).toContain('changed generated/sql/arpu.sql');
  });

  it('leaves generated/ as it was when the compile fails', () => {
    const dir = join(work, 'generated', 'sql');
    const before = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'));
    const broken = join(work, 'kpis', 'tactical', 'broken.yaml');
    writeFileSync(broken, 'id: broken\nformula: [\n');
    const r = kpi(['compile']);
    expect(r.code).toBe(1);
    expect(readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'))).toEqual(before);
    expect(existsSync(join(work, 'generated.tmp-' + process.pid))).toBe(false);
    rmSync(broken);
  });
});
