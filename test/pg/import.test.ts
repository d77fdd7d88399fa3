// KPIs imported from the dbt semantic layer projects of test/import/projects, run on PostgreSQL:
// every imported KPI at every grain (and --grain none), over the range the import tests use, gives
// DuckDB's rows to 1e-9. test/import/*.test.ts holds DuckDB to the values computed by hand, so the
// PostgreSQL rows equal those too.

import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitSql, openDatabase, planQuery } from '../../src/index.js';
import { openPostgresScratch } from '../../src/run/postgres.js';
import type { ScratchEngine } from '../../src/run/engine.js';
import type { QueryGrain } from '../../src/plan/ir.js';
import { importProject, type Imported } from '../import/helpers.js';
import { createDatabase } from './database.js';

const PROJECTS = resolve(import.meta.dirname, '..', 'import', 'projects');
const GRAINS: QueryGrain[] = ['day', 'week', 'month', 'quarter', 'none'];
const RANGES: Record<string, { from: string; to: string }> = {
  shop: { from: '2024-01-01', to: '2024-06-30' },
  ledger: { from: '2024-01-01', to: '2024-05-31' },
};

let db: Awaited<ReturnType<typeof createDatabase>>;
let pg: ScratchEngine;

beforeAll(async () => {
  db = await createDatabase('import');
  const opened = await openPostgresScratch(db.url);
  expect(opened.diagnostics).toEqual([]);
  pg = opened.engine!;
});

afterAll(async () => {
  await pg?.close();
  await db?.drop();
});

const close = (a: unknown, b: unknown) =>
  typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)) : a === b;

for (const name of Object.keys(RANGES)) {
  describe(`the imported '${name}' project on PostgreSQL`, () => {
    let imported: Imported;
    beforeAll(async () => {
      imported = importProject(name);
      // The project's CSV rows, read by DuckDB as `kpi run --data` reads them, loaded into PostgreSQL.
      const opened = await openDatabase({ kind: 'folder', path: join(PROJECTS, name, 'data') }, imported.project.sources);
      expect(opened.diagnostics).toEqual([]);
      const given: Record<string, Record<string, unknown>[]> = {};
      for (const s of imported.project.sources) {
        const reader = await opened.db!.connection.runAndReadAll(`SELECT * FROM "${s.table}"`);
        given[s.table] = reader.getRowObjectsJson() as Record<string, unknown>[];
      }
      opened.db!.close();
      await pg.loadTables(imported.project.sources, given);
    });
    afterAll(() => imported?.dispose());

    it('gives DuckDB\'s rows for every KPI at every grain', async () => {
      const range = RANGES[name];
      const differences: string[] = [];
      let compared = 0;
      let withValues = 0;
      for (const k of imported.project.kpis) {
        for (const grain of GRAINS) {
          const plan = planQuery(imported.project, { ids: [k.def.id.value], grain });
          if (!plan.value && grain === 'none' && plan.diagnostics.every((d) => d.code === 'KPI0510')) continue;
          expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          const onDuck = await imported.run({ ids: [k.def.id.value], grain }, range);
          const onPg = await pg.runQuery(emitSql(plan.value!, { dialect: pg.dialect, mode: 'bound' }, range));
          compared++;
          if (onDuck.some((r) => r[k.def.id.value] !== null)) withValues++;
          if (onDuck.length !== onPg.length) differences.push(`${k.def.id.value} at ${grain}: DuckDB ${onDuck.length} rows, PostgreSQL ${onPg.length}`);
          onDuck.forEach((row, i) => {
            for (const [col, v] of Object.entries(row)) {
              if (!close(onPg[i]?.[col], v)) differences.push(`${k.def.id.value} at ${grain}, row ${i} ${col}: DuckDB ${JSON.stringify(v)}, PostgreSQL ${JSON.stringify(onPg[i]?.[col])}`);
            }
          });
        }
      }
      expect(differences.slice(0, 10)).toEqual([]);
      // Every KPI was compared at four grains at least, and most queries hold values.
      expect(compared).toBeGreaterThanOrEqual(4 * imported.project.kpis.length);
      expect(withValues).toBeGreaterThan(compared / 2);
    });
  });
}

