// Imports a test project into a fresh folder, then runs queries over the imported KPIs on DuckDB
// with the project's CSV files as data, through the same library calls `kpi run` makes.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { compileProject, duckdb, emitSql, openDatabase, planQuery, runQuery } from '../../src/index.js';
import type { CheckedProject } from '../../src/check/check.js';
import { importMetricflow } from '../../src/import/metricflow/import.js';
import type { QueryRequest } from '../../src/plan/query.js';
import type { Row } from '../../src/run/duckdb.js';

export const PROJECTS = resolve(import.meta.dirname, 'projects');

export interface Imported {
  out: string;
  project: CheckedProject;
  diagnostics: Diagnostic[];
  run(request: QueryRequest, range?: { from?: string; to?: string }): Promise<Row[]>;
  dispose(): void;
}

export function importProject(name: string, options: { skipUnsupported?: boolean } = {}): Imported {
  const out = mkdtempSync(join(tmpdir(), `kpi-import-${name}-`));
  const imported = importMetricflow(join(PROJECTS, name), { out, ...options });
  expect(imported.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const compiled = compileProject(out);
  expect(compiled.diagnostics).toEqual([]);
  const data = join(PROJECTS, name, 'data');
  return {
    out,
    project: compiled.value,
    diagnostics: imported.diagnostics,
    async run(request, range = {}) {
      const plan = planQuery(compiled.value, request);
      expect(plan.diagnostics).toEqual([]);
      const query = emitSql(plan.value!, { dialect: duckdb, mode: 'bound' }, { from: range.from ?? null, to: range.to ?? null });
      const opened = await openDatabase({ kind: 'folder', path: data }, compiled.value.sources);
      expect(opened.diagnostics).toEqual([]);
      try {
        return await runQuery(opened.db!, query);
      } finally {
        opened.db!.close();
      }
    },
    dispose: () => rmSync(out, { recursive: true, force: true }),
  };
}

/** Rows equal to the expected ones: the same keys and cells, numbers to 1e-9 relative. */
export function expectRows(actual: Row[], expected: Record<string, string | number | boolean | null>[]): void {
  const close = (a: unknown, b: unknown) => {
    if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
    return a === b;
  };
  const ok = actual.length === expected.length && actual.every((row, i) => Object.keys(expected[i]).length === Object.keys(row).length && Object.entries(expected[i]).every(([k, v]) => close(row[k], v)));
  if (!ok) expect(actual).toEqual(expected);
}
