// Every diagnostic code the compiler can give is tested somewhere: by a case under test/cases/ or
// test/bad-input/ (its expected.json lists the code), or by a test file named below. A new code in
// src/ without a test fails here.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Folders of end-to-end cases, each case a folder with an expected.json. */
const CASE_DIRS = [join(ROOT, 'test', 'cases'), join(ROOT, 'test', 'bad-input')];

/**
 * Codes tested outside test/cases/, and where. `cli`: a code the command line or the run stage
 * gives (bad options, the database, fixtures, queries), left to test/cli.test.ts.
 */
const ELSEWHERE: Record<string, { by: string; why: string }> = {
  KPI0119: { by: 'test/bad-input.test.ts', why: 'a file that cannot be read (a broken link): the link is made at test time, not committed' },
  KPI0219: { by: 'test/lang/never-throws.test.ts', why: 'internal parser failure; unreachable, so only its absence is tested' },
  KPI0230: { by: 'test/lang/diagnostics.test.ts', why: 'a bad interval literal (parser)' },
  KPI0231: { by: 'test/lang/diagnostics.test.ts', why: "'over' without a window (parser)" },
  KPI0232: { by: 'test/lang/diagnostics.test.ts', why: "'per' in the wrong place (parser)" },
  KPI0424: { by: 'test/cli.test.ts', why: 'an aggregate in --where (kpi run)' },
  KPI0501: { by: 'cli', why: 'the database lacks a table the query reads (kpi run)' },
  KPI0502: { by: 'cli', why: 'the database table lacks a column the query reads (kpi run)' },
  KPI0503: { by: 'cli', why: 'a database column has another type than the schema says (kpi run)' },
  KPI0504: { by: 'cli', why: 'bad command-line options' },
  KPI0505: { by: 'cli', why: 'a query names no KPI, or one that does not exist (kpi run/sql)' },
  KPI0506: { by: 'cli', why: 'the --db file or --data folder does not exist' },
  KPI0507: { by: 'cli', why: '--by names a dimension the KPI does not declare' },
  KPI0509: { by: 'cli', why: 'kpi sample failed' },
  KPI0510: { by: 'cli', why: 'previous/start_of asked for with --grain none (kpi run)' },
  KPI0520: { by: 'test/pg/sample.test.ts', why: 'PostgreSQL cannot be reached (--url)' },
  KPI0521: { by: 'test/pg/sample.test.ts', why: 'PostgreSQL refused a query (kpi run --url)' },
  KPI0522: { by: 'test/pg/sample.test.ts', why: 'kpi sample --url could not load the tables' },
  KPI0601: { by: 'cli', why: 'a KPI fixture fails (kpi test)' },
};

/** Codes of a whole stage tested by one file, which must name each of them (07: kpi import metricflow). */
const STAGE_TESTS: Record<string, string> = {
  KPI07: 'test/import/diagnostics.test.ts',
};

function testedByStage(code: string): boolean {
  const file = STAGE_TESTS[code.slice(0, 5)];
  return !!file && readFileSync(join(ROOT, file), 'utf8').includes(code);
}

function filesUnder(dir: string, ext: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? filesUnder(p, ext) : ext.test(name) ? [p] : [];
    });
}

/** Every code written in the source, with the files it appears in. */
function codesInSource(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const file of filesUnder(join(ROOT, 'src'), /\.ts$/)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/KPI\d{4}/g)) {
      const files = out.get(m[0]) ?? [];
      const rel = relative(ROOT, file);
      if (!files.includes(rel)) files.push(rel);
      out.set(m[0], files);
    }
  }
  return out;
}

/** Every code some case expects, with the cases that expect it. */
function codesInCases(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const dir of CASE_DIRS) {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name, 'expected.json');
      if (name.startsWith('_') || !existsSync(path)) continue;
      for (const e of JSON.parse(readFileSync(path, 'utf8')) as { code: string }[]) {
        const cases = out.get(e.code) ?? [];
        if (!cases.includes(name)) cases.push(name);
        out.set(e.code, cases);
      }
    }
  }
  return out;
}

describe('diagnostic codes', () => {
  const source = codesInSource();
  const cases = codesInCases();

  it('finds the codes in src/ and in the cases', () => {
    expect(source.size).toBeGreaterThan(40);
    expect(cases.size).toBeGreaterThan(40);
  });

  it('tests every code the source can give, by a case or by a file named in ELSEWHERE', () => {
    const untested = [...source.keys()].filter((code) => !cases.has(code) && !ELSEWHERE[code] && !testedByStage(code)).sort();
    expect(untested, `codes with no test (add a case under test/cases/ or test/bad-input/, or name the test in ELSEWHERE): ${untested.map((c) => `${c} (${source.get(c)!.join(', ')})`).join('; ')}`).toEqual([]);
  });

  it('expects in its cases only codes the source gives', () => {
    const unknown = [...cases.keys()].filter((code) => !source.has(code));
    expect(unknown).toEqual([]);
  });

  it('keeps ELSEWHERE current: each code still exists, is not already covered by a case, and a named test file mentions it', () => {
    for (const [code, { by }] of Object.entries(ELSEWHERE)) {
      expect(source.has(code), `${code} is listed in ELSEWHERE but no longer appears in src/`).toBe(true);
      expect(cases.get(code) ?? [], `${code} is covered by cases now; remove it from ELSEWHERE`).toEqual([]);
      if (by.startsWith('test/')) {
        const path = join(ROOT, by);
        expect(existsSync(path), `${by} does not exist`).toBe(true);
        expect(readFileSync(path, 'utf8'), `${by} does not mention ${code}`).toContain(code);
      }
    }
  });

  it('numbers the codes by stage: 01 load, 02 parse, 03 names, 04 types, 05 run, 06 fixtures, 07 import', () => {
    for (const code of source.keys()) expect(code).toMatch(/^KPI0[1-7]\d\d$/);
  });
});
