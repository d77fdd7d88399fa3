// The committed generated/ is the golden output: the SQL of every KPI as reviewed in pull requests.
// A change to the compiler that changes it fails here until `kpi compile` is run and the diff reviewed.

import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileProject, renderOutputs, staleFiles } from '../src/index.js';

const ROOT = resolve(import.meta.dirname, '..');

describe('generated/', () => {
  const project = compileProject(ROOT);

  it('is what kpi compile writes (run `npx kpi compile` and review the diff if this fails)', () => {
    expect(project.ok).toBe(true);
    const { outputs, diagnostics } = renderOutputs(project.value);
    expect(diagnostics).toEqual([]);
    expect(staleFiles(outputs, join(ROOT, 'generated'))).toEqual([]);
  });

  it('is the same byte for byte on a second compile', () => {
    const a = renderOutputs(compileProject(ROOT).value).outputs;
    const b = renderOutputs(project.value).outputs;
    expect([...a.entries()]).toEqual([...b.entries()]);
    expect([...a.keys()].filter((p) => p.startsWith('sql/'))).toHaveLength(project.value.kpis.length);
    expect([...a.keys()].filter((p) => p.startsWith('sql-postgres/'))).toHaveLength(project.value.kpis.length);
    expect([...a.keys()].filter((p) => p.startsWith('docs/'))).toHaveLength(project.value.kpis.length + 1);
    expect(a.size).toBeGreaterThanOrEqual(13);
  });
});
