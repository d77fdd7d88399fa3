import type { Command } from 'commander';
import { runFixtures } from '../run/fixtures.js';
import { resolve } from 'node:path';
import { compileProject } from '../index.js';
import { diagnosticsOption, Exit, orExit, report, rootOption, type CommonOptions } from './common.js';

export function registerTest(program: Command): void {
  program
    .command('test')
    .description("run the fixtures of the KPI files (their 'tests:') on DuckDB")
    .argument('[ids...]', 'KPI ids (default: all)')
    .addOption(rootOption())
    .addOption(diagnosticsOption())
    .action(async (ids: string[], opts: CommonOptions) => {
      // Errors in other files are reported, but do not stop the fixtures of the KPIs that check.
      const loaded = compileProject(resolve(opts.root));
      report(loaded.diagnostics, opts);
      const results = await runFixtures(loaded.value, ids.length ? ids : undefined);
      orExit(results.flatMap((r) => r.diagnostics), opts);
      let failed = 0;
      for (const r of results) {
        process.stdout.write(`${r.passed ? 'pass' : 'FAIL'}  duckdb  ${r.kpi}: ${r.fixture}\n`);
        for (const f of r.failures) process.stdout.write(`        ${f}\n`);
        if (!r.passed) failed++;
      }
      process.stdout.write(`\nfixtures: ${results.length - failed} passed, ${failed} failed\n`);
      if (failed > 0 || !loaded.ok) throw new Exit(1);
    });
}
