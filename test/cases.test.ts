// End-to-end diagnostics, in the sqlc manner: each folder under test/cases/ is a small project
// (kpis/ and, when it tests source-file errors, its own schemas/sources/) beside expected.json,
// the exact list of errors it must give. Adding a test is adding a folder.
//
// UPDATE_GOLDEN=1 npx vitest run test/cases.test.ts rewrites every expected.json; review the diff.

import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkProject, loadProject, type Diagnostic } from '../src/index.js';
import { sortDiagnostics } from '../src/diagnostics/diagnostic.js';
import * as tokens from '../src/lang/tokens.js';

const CASES = fileURLToPath(new URL('./cases', import.meta.url));
/** The data schema every case reads unless it has a schemas/sources/ of its own. */
const BASE_SOURCES = join(CASES, '_base', 'schemas', 'sources');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

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
  // Token names such as RParen, StringLiteral, NotEquals, Identifier.
  ...Object.values(tokens)
    .filter((t): t is { name: string } => typeof t === 'object' && t !== null && 'name' in t && typeof (t as { name: unknown }).name === 'string')
    .map((t) => t.name)
    .filter((name) => /^[A-Z][a-z]+[A-Z]/.test(name) || name === 'Identifier')
    .map((name) => new RegExp(`\\b${name}\\b`)),
];

function caseNames(): string[] {
  return readdirSync(CASES)
    .filter((name) => !name.startsWith('_') && statSync(join(CASES, name)).isDirectory())
    .sort();
}

function runCase(name: string): { errors: Diagnostic[]; diagnostics: Diagnostic[]; kpiFiles: number; checkedKpis: number } {
  const root = join(CASES, name);
  const own = join(root, 'schemas', 'sources');
  const loaded = loadProject({ root, sourceDir: existsSync(own) ? own : BASE_SOURCES });
  const checked = checkProject(loaded.value);
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...checked.diagnostics]);
  return {
    diagnostics,
    errors: diagnostics.filter((d) => d.severity === 'error'),
    kpiFiles: countYaml(join(root, 'kpis')),
    checkedKpis: checked.value.kpis.length,
  };
}

function countYaml(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir).reduce((n, name) => {
    const p = join(dir, name);
    return n + (statSync(p).isDirectory() ? countYaml(p) : /\.ya?ml$/.test(name) ? 1 : 0);
  }, 0);
}

function brief(d: Diagnostic): Expected {
  return { code: d.code, file: d.file ?? '', line: d.span?.line ?? 0, column: d.span?.column ?? 0 };
}

function readExpected(name: string): Expected[] {
  return JSON.parse(readFileSync(join(CASES, name, 'expected.json'), 'utf8')) as Expected[];
}

describe('diagnostics cases (test/cases/*)', () => {
  it('has cases, and each case has an expected.json', () => {
    expect(caseNames().length).toBeGreaterThan(0);
    if (UPDATE) return;
    for (const name of caseNames()) expect(existsSync(join(CASES, name, 'expected.json')), `${name}/expected.json`).toBe(true);
  });

  for (const name of caseNames()) {
    describe(name, () => {
      const result = runCase(name);

      it('gives exactly the expected errors', () => {
        const actual = result.errors.map(brief);
        const path = join(CASES, name, 'expected.json');
        if (UPDATE) {
          writeFileSync(path, `${JSON.stringify(actual, null, 2)}\n`);
          return;
        }
        expect(actual).toEqual(readExpected(name));
      });

      it('says every error in plain words, at a place in a file', () => {
        for (const d of result.diagnostics) {
          const text = [d.message, d.hint ?? '', ...(d.related ?? []).map((r) => r.message)].join('\n');
          expect(d.message.trim(), `${d.code} has an empty message`).not.toBe('');
          if (d.hint !== undefined) expect(d.hint.trim(), `${d.code} has an empty hint`).not.toBe('');
          for (const word of INTERNAL_WORDS) expect(text, `${d.code}: ${text}`).not.toMatch(word);
          expect(d.code).toMatch(/^KPI\d{4}$/);
          expect(d.file, `${d.code} names no file`).toBeTruthy();
          expect(d.span, `${d.code} has no position`).toBeDefined();
          expect(d.span!.line).toBeGreaterThanOrEqual(1);
          expect(d.span!.column).toBeGreaterThanOrEqual(1);
          expect(d.span!.length).toBeGreaterThanOrEqual(1);
        }
      });

      if (!UPDATE && existsSync(join(CASES, name, 'expected.json')) && readExpected(name).length === 0) {
        it('checks every KPI of a valid case', () => {
          expect(result.checkedKpis).toBe(result.kpiFiles);
        });
      }
    });
  }
});
