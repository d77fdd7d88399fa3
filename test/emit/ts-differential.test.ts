// Differential test: for every KPI of the catalog, random rows of the tables it reads (typed from
// the source schemas, with nulls, zeros, equal timestamps, rows on period edges, empty tables), a
// random grain, range and dimensions; the generated TypeScript calculator and the DuckDB SQL (bound
// mode, as `kpi test` runs fixtures) must return the same rows, values within 1e-9 relative.
// KPI_FUZZ_RUNS sets the number of cases per KPI (`npm run fuzz`: 10,000); KPI_FUZZ_SEED replays.

import { afterAll, beforeAll, describe, it } from 'vitest';
import { Differential, importGenerated, loadCatalog, writeGenerated } from './ts-setup.js';

const RUNS = Number(process.env.KPI_FUZZ_RUNS ?? 25);
const project = loadCatalog();
const differential = new Differential(project);

beforeAll(async () => {
  await differential.open(await importGenerated(writeGenerated(project)));
});

afterAll(() => {
  differential.close();
  console.log(`differential: ${differential.report(RUNS)}`);
});

describe('calculators agree with the SQL', () => {
  for (const id of project.kpis.map((k) => k.def.id.value).sort()) {
    it(id, () => differential.check(id, RUNS));
  }
});
