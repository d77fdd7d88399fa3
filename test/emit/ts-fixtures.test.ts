// The generated calculators on the KPI files' own fixtures (`tests:`): the same expectations the
// SQL is held to, compared the same way (every expected row, no other row, 1e-9 relative).

import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { planQuery } from '../../src/plan/query.js';
import { calculatorDimension, closeEnough, importGenerated, loadCatalog, writeGenerated, type CalcRow, type GeneratedKpi } from './ts-setup.js';

// The catalog, the project of language constructs the catalog does not use (windows, `at last`,
// offsets, ...) and the project of related aggregates.
const PROJECTS = [
  ['the catalog', undefined],
  ['test/projects/constructs', resolve(import.meta.dirname, '..', 'projects', 'constructs')],
  ['test/projects/related', resolve(import.meta.dirname, '..', 'projects', 'related')],
] as const;
for (const [label, root] of PROJECTS) {
  describe(`calculators on the KPI fixtures of ${label}`, () => {
    const project = loadCatalog(root);
    let kpis: Record<string, GeneratedKpi>;

    beforeAll(async () => {
      kpis = await importGenerated(writeGenerated(project));
    });

    const cases = project.kpis.flatMap((k) => k.def.tests.map((f) => ({ k, f })));
    it.each(cases.map((c) => [`${c.k.def.id.value}: ${c.f.name}`, c] as const))('%s', (_, { k, f }) => {
      const kpi = kpis[k.def.id.value];
      const by = f.by.map((d) => calculatorDimension(project, kpi, d));
      // The fixture names dimensions as the SQL's columns do.
      const plan = planQuery(project, { ids: [kpi.id], grain: f.grain, periods: f.periods, by: f.by });
      const sqlNames = plan.value!.dimensions.map((d) => d.name);
      const given = Object.fromEntries(kpi.tables.map((t) => [t, f.given[t] ?? []]));
      const rows = kpi.calculate(given, { from: f.from!, to: f.to!, grain: f.grain, periods: f.periods, by });
      const key = (period: string, values: unknown[]) => JSON.stringify([period, ...values.map((v) => v ?? null)]);
      const actual = new Map<string, CalcRow>(rows.map((r) => [key(r.period, by.map((d) => r[d])), r]));
      expect(actual.size, 'no row twice').toBe(rows.length);
      const failures: string[] = [];
      for (const e of f.expect) {
        const kk = key(e.period, sqlNames.map((d) => e.dims[d]));
        const row = actual.get(kk);
        if (!row) failures.push(`${kk}: expected ${e.value}, no such row`);
        else if (!closeEnough(row.value, e.value)) failures.push(`${kk}: expected ${e.value}, got ${row.value}`);
        actual.delete(kk);
      }
      for (const [kk, r] of actual) failures.push(`${kk}: returned ${r.value}, which the fixture does not expect`);
      expect(failures).toEqual([]);
    });
  });
}
