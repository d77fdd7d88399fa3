// Every formula and measure of the real catalog, mutated inside its YAML file (a character
// inserted, deleted or replaced), goes through the loader and the checker as a file would: they
// never throw, and every diagnostic points at a line and column inside the mutated file.

import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isScalar } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkProject } from '../../src/check/check.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { loadKpi } from '../../src/load/kpis.js';
import { loadProject } from '../../src/load/project.js';
import type { KpiDef, Project } from '../../src/load/types.js';
import { nodeAtPath, parseYaml } from '../../src/load/yaml.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const catalog = loadProject({ root: ROOT }).value;
const checked = checkProject(catalog).value;
const byId = new Map(catalog.kpis.map((k) => [k.id.value, k]));

/** A KPI and the KPIs it builds on, directly or not: enough for the checker to check it alone. */
function withDependencies(id: string): KpiDef[] {
  const out = new Map<string, KpiDef>();
  const visit = (k: string) => {
    if (out.has(k) || !byId.has(k)) return;
    out.set(k, byId.get(k)!);
    for (const d of checked.kpis.find((c) => c.def.id.value === k)?.dependsOn ?? []) visit(d);
  };
  visit(id);
  return [...out.values()];
}

interface Formula {
  kpi: KpiDef;
  text: string;
  /** Where the formula's YAML scalar lies in the file. */
  start: number;
  end: number;
}

const formulas: Formula[] = catalog.kpis.flatMap((kpi) => {
  const text = readFileSync(join(ROOT, kpi.file), 'utf8');
  const { doc } = parseYaml(kpi.file, text).yaml;
  const paths = [['formula'], ...kpi.measures.map((m) => ['measures', m.name.value])];
  return paths.map((path) => {
    const node = nodeAtPath(doc, path).node;
    if (!isScalar(node) || !node.range) throw new Error(`${kpi.file}: no scalar at ${path.join('.')}`);
    return { kpi, text, start: node.range[0], end: node.range[1] };
  });
});

type Edit = { op: 'insert'; at: number; piece: string } | { op: 'delete'; at: number } | { op: 'replace'; at: number; piece: string };

/** Applies an edit at a place inside the formula's scalar (`at` is taken modulo its length). */
function mutate(f: Formula, e: Edit): string {
  const i = f.start + (e.at % Math.max(1, f.end - f.start));
  if (e.op === 'insert') return f.text.slice(0, i) + e.piece + f.text.slice(i);
  if (e.op === 'delete') return f.text.slice(0, i) + f.text.slice(i + 1);
  return f.text.slice(0, i) + e.piece + f.text.slice(i + 1);
}

/** Load and check one mutated file with the KPIs it builds on; the diagnostics of its file. */
function run(f: Formula, text: string): Diagnostic[] {
  const parsed = parseYaml(f.kpi.file, text);
  if (parsed.diagnostics.some((d) => d.severity === 'error')) return parsed.diagnostics;
  const loaded = loadKpi(parsed.yaml);
  if (!loaded.value) return loaded.diagnostics;
  const others = withDependencies(f.kpi.id.value).filter((k) => k.id.value !== f.kpi.id.value);
  const project: Project = { ...catalog, kpis: [loaded.value, ...others] };
  const result = checkProject(project);
  return [...loaded.diagnostics, ...result.diagnostics.filter((d) => d.code !== 'KPI0309')];
}

/** Every diagnostic is about the mutated file and points at a line and column inside it. */
function expectInside(f: Formula, text: string, diagnostics: Diagnostic[]): void {
  const lines = text.split(/\r\n|\r|\n/);
  for (const d of diagnostics) {
    const where = `${d.code} ${d.file}:${d.span?.line}:${d.span?.column} (${d.message})`;
    expect(d.file, where).toBe(f.kpi.file);
    expect(d.span, where).toBeDefined();
    expect(d.span!.line, where).toBeGreaterThanOrEqual(1);
    expect(d.span!.line, where).toBeLessThanOrEqual(lines.length);
    expect(d.span!.column, where).toBeGreaterThanOrEqual(1);
    expect(d.span!.column, where).toBeLessThanOrEqual(lines[d.span!.line - 1].length + 1);
    expect(d.span!.length, where).toBeGreaterThanOrEqual(1);
  }
}

const pieces = [
  '(', ')', '[', ']', ',', '.', "'", '"', ' ', '+', '-', '*', '/', '=', '<', '>', '!', '%', ';', '`', '$', '{', '}', '#', ':', '\n', '\t',
  'x', '9', '1e400', 'é', '\u0000', 'where', 'end', 'at', 'on', 'or', 'not', 'case', 'is null', 'in [', '--', ': ', '- ',
];

describe('catalog formulas mutated inside their files', () => {
  it('covers every formula and measure of the catalog', () => {
    expect(new Set(formulas.map((f) => f.kpi.id.value)).size).toBe(catalog.kpis.length);
    expect(formulas.length).toBe(catalog.kpis.reduce((n, k) => n + 1 + k.measures.length, 0));
  });

  it('give diagnostics inside the file, never an exception, for a fixed edit of each formula', () => {
    // Deterministic, in turn: a formula loses the character in its middle, gains a quote there, or has its last character replaced.
    formulas.forEach((f, i) => {
      const middle = Math.floor((f.end - f.start) / 2);
      const edits: Edit[] = [{ op: 'delete', at: middle }, { op: 'insert', at: middle, piece: "'" }, { op: 'replace', at: f.end - f.start - 1, piece: '(' }];
      const text = mutate(f, edits[i % 3]);
      const diagnostics = run(f, text);
      expectInside(f, text, diagnostics);
    });
  });

  it('give diagnostics inside the file, never an exception, for random edits', () => {
    const edit: fc.Arbitrary<Edit> = fc.oneof(
      fc.record({ op: fc.constant('insert' as const), at: fc.nat(), piece: fc.oneof(fc.constantFrom(...pieces), fc.string({ unit: 'binary', maxLength: 3 })) }),
      fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('replace' as const), at: fc.nat(), piece: fc.oneof(fc.constantFrom(...pieces), fc.string({ unit: 'binary', minLength: 1, maxLength: 2 })) }),
    );
    fc.assert(
      fc.property(fc.nat({ max: formulas.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 3 }), (index, edits) => {
        const f = formulas[index];
        // Later edits apply to the text the earlier ones left, inside the same scalar.
        let text = f.text;
        for (const e of edits) text = mutate({ ...f, text, end: Math.max(f.start + 1, f.end + (text.length - f.text.length)) }, e);
        expectInside(f, text, run(f, text));
      }),
      { numRuns: 200, seed: process.env.KPI_FUZZ_SEED ? Number(process.env.KPI_FUZZ_SEED) : undefined },
    );
  });
});
