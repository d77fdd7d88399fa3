// Every fixture of every KPI in kpis/ on PostgreSQL: the values equal the fixture's hand-computed
// expectations, and equal DuckDB's to 1e-9 (relative), row for row in the same order.

import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../src/index.js';
import { closeEnough, runFixtures, type FixtureResult } from '../../src/run/fixtures.js';
import { openPostgresScratch } from '../../src/run/postgres.js';
import { createDatabase } from './database.js';
import { serverBinaries } from './server.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'cli', 'main.js');
const project = compileProject(ROOT);
let db: Awaited<ReturnType<typeof createDatabase>>;
let onDuckdb: FixtureResult[];
let onPostgres: FixtureResult[];

beforeAll(async () => {
  db = await createDatabase('fixtures');
  onDuckdb = await runFixtures(project.value);
  const opened = await openPostgresScratch(db.url);
  expect(opened.diagnostics).toEqual([]);
  try {
    onPostgres = await runFixtures(project.value, undefined, opened.engine!);
  } finally {
    await opened.engine!.close();
  }
});

afterAll(async () => db?.drop());

describe('the test server', () => {
  it('is a real PostgreSQL 15 or later; without the binaries the tests fail, saying what to install', () => {
    expect(Number(serverBinaries().version)).toBeGreaterThanOrEqual(15);
    expect(() => serverBinaries('/nonexistent')).toThrow(/there are none: install PostgreSQL 15 or later \(Debian: apt-get install postgresql/);
  });
});

describe('the catalog fixtures on PostgreSQL', () => {
  it('run every fixture of every KPI on both backends', () => {
    expect(project.ok).toBe(true);
    const expected = project.value.kpis.reduce((n, k) => n + k.def.tests.length, 0);
    expect(expected).toBeGreaterThan(100);
    expect(onDuckdb).toHaveLength(expected);
    expect(onPostgres).toHaveLength(expected);
    expect(new Set(onPostgres.map((r) => r.backend))).toEqual(new Set(['postgres']));
  });

  it('give the values the fixtures expect', () => {
    const failed = onPostgres.filter((r) => !r.passed).map((r) => `${r.kpi} / ${r.fixture}: ${[...r.failures, ...r.diagnostics.map((d) => d.message)].join('; ')}`);
    expect(failed).toEqual([]);
  });

  it("give DuckDB's rows, in DuckDB's order, to 1e-9", () => {
    const differences: string[] = [];
    onPostgres.forEach((p, i) => {
      const d = onDuckdb[i];
      expect([p.kpi, p.fixture]).toEqual([d.kpi, d.fixture]);
      const [a, b] = [d.rows ?? [], p.rows ?? []];
      if (a.length !== b.length) differences.push(`${p.kpi} / ${p.fixture}: ${a.length} rows on DuckDB, ${b.length} on PostgreSQL`);
      a.forEach((row, j) => {
        for (const [col, v] of Object.entries(row)) {
          const w = b[j]?.[col];
          const same = col === p.kpi ? closeEnough(w as number | null, v as number | null) : w === v;
          if (!same) differences.push(`${p.kpi} / ${p.fixture} row ${j} ${col}: DuckDB ${v}, PostgreSQL ${w}`);
        }
      });
    });
    expect(differences).toEqual([]);
    // The comparison is not empty: most fixtures return values.
    expect(onPostgres.flatMap((r) => r.rows ?? []).filter((r) => typeof Object.values(r).at(-1) === 'number').length).toBeGreaterThan(200);
  });

  it('pass the hand-computed fixtures of the constructs project (test/projects/constructs) too', async () => {
    const constructs = compileProject(join(ROOT, 'test', 'projects', 'constructs'));
    expect(constructs.diagnostics).toEqual([]);
    const opened = await openPostgresScratch(db.url);
    try {
      const results = await runFixtures(constructs.value, undefined, opened.engine!);
      expect(results.length).toBe(constructs.value.kpis.reduce((n, k) => n + k.def.tests.length, 0));
      expect(results.length).toBeGreaterThan(0);
      expect(results.filter((r) => !r.passed).map((r) => [r.kpi, r.fixture, r.failures, r.diagnostics.map((d) => d.message)])).toEqual([]);
    } finally {
      await opened.engine!.close();
    }
  });

  it('kpi test --url reports each fixture on each backend', () => {
    const run = (args: string[], env: Record<string, string> = {}) => spawnSync(process.execPath, [BIN, 'test', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
    const ok = run(['first_time_fix_rate', 'open_tickets', '--url', db.url]);
    expect(ok.status, ok.stderr).toBe(0);
    const lines = ok.stdout.split('\n');
    const count = project.value.kpis.filter((k) => ['first_time_fix_rate', 'open_tickets'].includes(k.def.id.value)).reduce((n, k) => n + k.def.tests.length, 0);
    expect(lines.filter((l) => /^pass {2}duckdb {4}(first_time_fix_rate|open_tickets): /.test(l))).toHaveLength(count);
    expect(lines.filter((l) => /^pass {2}postgres {2}(first_time_fix_rate|open_tickets): /.test(l))).toHaveLength(count);
    expect(ok.stdout).toContain(`fixtures on duckdb: ${count} passed, 0 failed\nfixtures on postgres: ${count} passed, 0 failed\n`);
  });

  it('kpi test fails on both backends, naming the row, when an expectation is wrong (the URL from KPI_PG_URL)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-pg-fixtures-'));
    try {
      for (const d of ['kpis', 'schemas']) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
      const file = join(dir, 'kpis', 'tactical', 'first_time_fix_rate.yaml');
      const text = readFileSync(file, 'utf8');
      const fixture = project.value.kpis.find((k) => k.def.id.value === 'first_time_fix_rate')!.def.tests[0];
      const first = fixture.expect[0];
      const line = `{ period: ${first.period}, value: ${first.value} }`;
      expect(text).toContain(line);
      writeFileSync(file, text.replace(line, `{ period: ${first.period}, value: 0.123 }`));
      const r = spawnSync(process.execPath, [BIN, 'test', 'first_time_fix_rate'], { cwd: dir, encoding: 'utf8', env: { ...process.env, KPI_PG_URL: db.url } });
      expect(r.status).toBe(1);
      for (const backend of ['duckdb  ', 'postgres']) {
        expect(r.stdout).toContain(`FAIL  ${backend}  first_time_fix_rate: ${fixture.name}\n                ${first.period}: expected 0.123, got ${first.value}\n`);
      }
      expect(r.stdout).toMatch(/fixtures on duckdb: \d+ passed, 1 failed\nfixtures on postgres: \d+ passed, 1 failed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
