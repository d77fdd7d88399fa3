// The bad-input corpus (test/bad-input/): each folder holds files that break a small, valid project
// (test/bad-input/_project/) when laid over it, and expected.json, the exact errors they give.
//
// For every case: the errors are exactly the expected ones (code, file, line, column), each points
// inside its file, says what is wrong in plain words, and renders in every format; and `kpi
// compile` run on the broken project exits 1 and leaves its generated/ folder byte-identical. Most
// cases run the compile command in-process; a representative dozen run the built binary (as CI
// does), which needs `npm run build` first.
//
// UPDATE_GOLDEN=1 npx vitest run test/bad-input.test.ts rewrites every expected.json; review the diff.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Command } from 'commander';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCompile } from '../src/cli/compile.js';
import { Exit } from '../src/cli/common.js';
import { sortDiagnostics, type Diagnostic } from '../src/diagnostics/diagnostic.js';
import { renderDiagnostics } from '../src/diagnostics/render.js';
import { checkProject, loadProject } from '../src/index.js';
import * as tokens from '../src/lang/tokens.js';

const ROOT = resolve(import.meta.dirname, '..');
const CORPUS = join(ROOT, 'test', 'bad-input');
const PROJECT = join(CORPUS, '_project');
/** A valid KPI whose text is hostile, laid over the project like a case. */
const HOSTILE = join(CORPUS, '_hostile');
const BIN = join(ROOT, 'dist', 'cli', 'main.js');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** The cases run through the built binary too: one of each kind (each run costs a Node start). */
const THROUGH_BINARY = [
  'yaml-tab-indentation',
  'yaml-alias-bomb',
  'encoding-latin1',
  'line-endings-crlf',
  'field-unknown',
  'id-duplicate',
  'number-formula-1e400',
  'schema-unknown-reference',
  'unit-mismatch',
  'syntax-strings',
  'deep-parentheses-5000',
  'long-formula-100kb-error-at-end',
];
/** Of those, the ones whose `kpi check --format github` annotations are checked line by line. */
const GITHUB = new Set(['line-endings-crlf', 'id-duplicate', 'syntax-strings']);

interface Expected {
  code: string;
  file: string;
  line: number;
  column: number;
}

/** Words that only leak into a message from the compiler's insides. */
const INTERNAL_WORDS: RegExp[] = [
  /\bundefined\b/,
  /\[object/,
  /\bNaN\b/,
  /\b(?:EOF|NoViableAlt|MismatchedToken|NotAllInputParsed|EarlyExit)\w*/,
  /\b(?:RangeError|TypeError|ReferenceError|stack)\b/,
  /parseAllDocuments|YAML\.\w+\(/,
  ...Object.values(tokens)
    .filter((t): t is { name: string } => typeof t === 'object' && t !== null && 'name' in t && typeof (t as { name: unknown }).name === 'string')
    .map((t) => t.name)
    .filter((name) => /^[A-Z][a-z]+[A-Z]/.test(name) || name === 'Identifier')
    .map((name) => new RegExp(`\\b${name}\\b`)),
];

function caseNames(): string[] {
  return readdirSync(CORPUS)
    .filter((name) => !name.startsWith('_') && statSync(join(CORPUS, name)).isDirectory())
    .sort();
}

function brief(d: Diagnostic): Expected {
  return { code: d.code, file: d.file ?? '', line: d.span?.line ?? 0, column: d.span?.column ?? 0 };
}

function readExpected(name: string): Expected[] {
  return JSON.parse(readFileSync(join(CORPUS, name, 'expected.json'), 'utf8')) as Expected[];
}

/** A hash of every file under `dir`: names and bytes. */
function hashTree(dir: string): string {
  const h = createHash('sha256');
  const files = (readdirSync(dir, { recursive: true }) as string[]).map(String).filter((f) => statSync(join(dir, f)).isFile()).sort();
  for (const f of files) h.update(`${f.split(sep).join('/')}\0`).update(readFileSync(join(dir, f))).update('\0');
  return h.digest('hex');
}

let work: string;
let base: string;
let baseHash: string;

/** `kpi compile --root <root>`, in this process, through the command's own code. */
async function compileInProcess(root: string): Promise<{ code: number; err: string }> {
  const program = new Command('kpi').exitOverride();
  registerCompile(program);
  for (const c of program.commands) c.exitOverride();
  let err = '';
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    await program.parseAsync(['compile', '--root', root], { from: 'user' });
    return { code: 0, err };
  } catch (e) {
    if (e instanceof Exit) return { code: e.code, err };
    throw e;
  } finally {
    process.stderr.write = write;
  }
}

/** The base project with its generated/ folder, and the case's files laid over it. */
function brokenProject(name: string): string {
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(base, dir, { recursive: true });
  cpSync(join(CORPUS, name), dir, { recursive: true, filter: (src) => !src.endsWith('expected.json') });
  return dir;
}

function diagnosticsOf(root: string): Diagnostic[] {
  const loaded = loadProject({ root });
  const checked = checkProject(loaded.value);
  return sortDiagnostics([...loaded.diagnostics, ...checked.diagnostics]);
}

/** The lines of a file as an editor shows them: BOM dropped, CRLF, LF and lone CR all end a line. */
function linesOf(path: string): string[] {
  return readFileSync(path).toString('utf8').replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
}

/** Every diagnostic names a file of the project and a place inside it, in plain words. */
function expectWellFormed(d: Diagnostic, root: string): void {
  const text = [d.message, d.hint ?? '', ...(d.related ?? []).map((r) => r.message)].join('\n');
  expect(d.code).toMatch(/^KPI0[1-6]\d\d$/);
  expect(d.message.trim(), `${d.code} has an empty message`).not.toBe('');
  if (d.hint !== undefined) expect(d.hint.trim(), `${d.code} has an empty hint`).not.toBe('');
  for (const word of INTERNAL_WORDS) expect(text, `${d.code}: ${text}`).not.toMatch(word);
  expect(d.file, `${d.code} names no file`).toBeTruthy();
  expect(existsSync(join(root, d.file!)), `${d.code} names ${d.file}, which does not exist`).toBe(true);
  expect(d.span, `${d.code} has no position`).toBeDefined();
  const lines = linesOf(join(root, d.file!));
  const { line, column, length } = d.span!;
  expect(line, `${d.code} at ${d.file}:${line}`).toBeGreaterThanOrEqual(1);
  expect(line, `${d.code} at ${d.file}:${line} (${lines.length} lines)`).toBeLessThanOrEqual(lines.length);
  expect(column, `${d.code} at ${d.file}:${line}:${column}`).toBeGreaterThanOrEqual(1);
  expect(column, `${d.code} at ${d.file}:${line}:${column} (line of ${lines[line - 1].length})`).toBeLessThanOrEqual(lines[line - 1].length + 1);
  expect(length).toBeGreaterThanOrEqual(1);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'kpi-bad-input-'));
  base = join(work, '_base');
  cpSync(PROJECT, base, { recursive: true });
  const r = await compileInProcess(base);
  expect(r.code, r.err).toBe(0);
  expect(readdirSync(join(base, 'generated', 'sql')).sort()).toEqual(['cost_growth.sql', 'cost_per_order.sql', 'first_time_fix_rate.sql', 'open_tickets.sql']);
  baseHash = hashTree(join(base, 'generated'));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the bad-input corpus (test/bad-input/*)', () => {
  it('has at least 60 cases, each with an expected.json, over a project that compiles cleanly', () => {
    expect(caseNames().length).toBeGreaterThanOrEqual(60);
    expect(diagnosticsOf(PROJECT)).toEqual([]);
    if (UPDATE) return;
    for (const name of caseNames()) expect(existsSync(join(CORPUS, name, 'expected.json')), `${name}/expected.json`).toBe(true);
  });

  for (const name of caseNames()) {
    it(`${name}: the expected errors, each inside its file, and generated/ left as it was`, async () => {
      const dir = brokenProject(name);
      const diagnostics = diagnosticsOf(dir);
      const errors = diagnostics.filter((d) => d.severity === 'error');
      if (UPDATE) writeFileSync(join(CORPUS, name, 'expected.json'), `${JSON.stringify(errors.map(brief), null, 2)}\n`);
      const expected = readExpected(name);
      expect(errors.map(brief)).toEqual(expected);
      expect(expected.length, 'a case of the corpus is broken: it gives at least one error').toBeGreaterThan(0);
      for (const d of diagnostics) expectWellFormed(d, dir);
      for (const format of ['text', 'json', 'github'] as const) expect(renderDiagnostics(diagnostics, format, { root: dir }).length).toBeGreaterThan(0);

      const r = await compileInProcess(dir);
      expect(r.code, r.err).toBe(1);
      const first = expected[0];
      expect(r.err).toContain(`error[${first.code}]`);
      expect(r.err).toContain(`--> ${first.file}:${first.line}:${first.column}`);
      expect(hashTree(join(dir, 'generated')), 'generated/ changed').toBe(baseHash);
      expect(readdirSync(dir).filter((f) => f.startsWith('generated.'))).toEqual([]);
      rmSync(dir, { recursive: true, force: true });
    });
  }
});

describe('the kpi binary on broken projects', () => {
  it('lists cases that exist', () => {
    for (const name of THROUGH_BINARY) expect(caseNames()).toContain(name);
  });

  for (const name of THROUGH_BINARY) {
    it(`${name}: compile exits 1 and writes nothing${GITHUB.has(name) ? '; check --format github annotates each line' : ''}`, () => {
      if (UPDATE) return;
      const dir = brokenProject(name);
      const expected = readExpected(name);
      const compile = spawnSync(process.execPath, [BIN, 'compile', '--root', dir], { encoding: 'utf8' });
      expect(compile.status, compile.stderr).toBe(1);
      for (const e of expected) expect(compile.stderr).toContain(`--> ${e.file}:${e.line}:${e.column}`);
      expect(hashTree(join(dir, 'generated')), 'generated/ changed').toBe(baseHash);
      expect(readdirSync(dir).filter((f) => f.startsWith('generated.'))).toEqual([]);
      if (!GITHUB.has(name)) return;
      const check = spawnSync(process.execPath, [BIN, 'check', '--root', dir, '--format', 'github'], { encoding: 'utf8' });
      expect(check.status).toBe(1);
      const annotations = check.stderr.split('\n').filter((l) => l.startsWith('::'));
      expect(annotations).toHaveLength(expected.length);
      expected.forEach((e, i) => expect(annotations[i]).toMatch(new RegExp(`^::error file=${e.file.replace(/[.]/g, '\\.')},line=${e.line},col=${e.column},endColumn=\\d+,title=${e.code}::.+`)));
      rmSync(dir, { recursive: true, force: true });
    });
  }
});

describe('links in kpis/', () => {
  it('a link to a missing file is a diagnostic, and a link to a parent folder does not loop', () => {
    const dir = join(work, 'links');
    cpSync(PROJECT, dir, { recursive: true });
    symlinkSync('no_such_file.yaml', join(dir, 'kpis', 'tactical', 'ghost.yaml'));
    symlinkSync('..', join(dir, 'kpis', 'tactical', 'loop'));
    const errors = diagnosticsOf(dir).filter((d) => d.severity === 'error');
    expect(errors.map(brief)).toEqual([{ code: 'KPI0119', file: 'kpis/tactical/ghost.yaml', line: 1, column: 1 }]);
    expect(errors[0].message).toBe('the file cannot be read: it is a link to a file that does not exist');
    // Each KPI file is read once, although the loop reaches it again and again.
    expect(loadProject({ root: dir }).value.kpis.map((k) => relative(dir, join(dir, k.file)))).toEqual([
      'kpis/strategic/cost_growth.yaml',
      'kpis/strategic/cost_per_order.yaml',
      'kpis/tactical/first_time_fix_rate.yaml',
      'kpis/operational/open_tickets.yaml',
    ]);
  });
});

describe('hostile text in a valid KPI (test/bad-input/_hostile/)', () => {
  it('compiles, and the generated SQL, TypeScript and Markdown keep the text inert', async () => {
    const dir = join(work, 'hostile');
    cpSync(base, dir, { recursive: true });
    cpSync(HOSTILE, dir, { recursive: true });
    const r = await compileInProcess(dir);
    expect(r.code, r.err).toBe(0);
    const project = loadProject({ root: dir }).value;
    const def = project.kpis.find((k) => k.id.value === 'hostile_text')!;
    const literals = ["'; DROP TABLE work_orders; --", '*/ ${x} `y` <script>'];

    // The SQL file runs as it stands: it counts the two rows holding the literals, and creates or drops nothing.
    const inst = await DuckDBInstance.create(':memory:');
    const c = await inst.connect();
    try {
      const types = { integer: 'BIGINT', decimal: 'DOUBLE', boolean: 'BOOLEAN', string: 'VARCHAR', date: 'DATE', timestamp: 'TIMESTAMP' } as const;
      for (const s of project.sources) await c.run(`CREATE TABLE ${s.table} (${s.columns.map((col) => `${col.name} ${types[col.type]}`).join(', ')})`);
      const rows: [number, string][] = [[1, literals[0]], [2, literals[1]], [3, 'neither']];
      for (const [id, notes] of rows) await c.run('INSERT INTO work_orders (id, notes, created_at) VALUES ($1, $2, CAST($3 AS TIMESTAMP))', [id, notes, `2025-02-0${id} 10:00:00`]);
      const tables = async () => (await c.runAndReadAll('SELECT table_name FROM duckdb_tables() ORDER BY 1')).getRowObjects().map((t) => String(t.table_name));
      const before = await tables();
      const result = (await c.runAndReadAll(readFileSync(join(dir, 'generated', 'sql', 'hostile_text.sql'), 'utf8'))).getRowObjects();
      expect(result.map((row) => [String(row.period), Number(row.hostile_text)])).toEqual([['2025-01-01', 2]]);
      expect(await tables()).toEqual(before);
    } finally {
      c.closeSync();
      inst.closeSync();
    }

    // The TypeScript parses, and its string literals hold the text exactly.
    const code = readFileSync(join(dir, 'generated', 'ts', 'hostile_text.ts'), 'utf8');
    const transpiled = ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } });
    expect(transpiled.diagnostics ?? []).toEqual([]);
    const strings: string[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) strings.push(n.text);
      n.forEachChild(visit);
    };
    visit(ts.createSourceFile('hostile_text.ts', code, ts.ScriptTarget.ES2022));
    for (const text of [def.name, def.description, ...literals]) expect(strings).toContain(text);

    // The Markdown page shows no raw HTML outside its front matter (quoted YAML) and code blocks.
    const page = readFileSync(join(dir, 'generated', 'docs', 'hostile_text.md'), 'utf8');
    const prose = page.replace(/^---\n[\s\S]*?\n---\n/, '').replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, '');
    expect(prose).not.toBe(page);
    expect(prose).not.toMatch(/<script|<img|<\/script/);
  });
});
