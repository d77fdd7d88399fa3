import type { Command } from 'commander';
import { resolve } from 'node:path';
import { compileProject } from '../index.js';
import { runFixtures, type FixtureResult } from '../run/fixtures.js';
import { checkUrl, openPostgresScratch } from '../run/postgres.js';
import { diagnosticsOption, Exit, orExit, report, rootOption, type CommonOptions } from './common.js';
import { urlOption } from './query-options.js';

interface TestOptions extends CommonOptions {
  url?: string;
}

export function registerTest(program: Command): void {
  program
    .command('test')
    .description("run the fixtures of the KPI files (their 'tests:') on DuckDB, and on PostgreSQL when --url (or KPI_PG_URL) names a database")
    .argument('[ids...]', 'KPI ids (default: all)')
    .addOption(rootOption())
    .addOption(diagnosticsOption())
    .addOption(urlOption().default(undefined, '$KPI_PG_URL'))
    .action(async (ids: string[], opts: TestOptions) => {
      const url = opts.url ?? process.env.KPI_PG_URL;
      const bad = url ? checkUrl(url, opts.url ? '--url' : 'KPI_PG_URL') : null;
      if (bad) orExit([bad], opts);
      // Errors in other files are reported, but do not stop the fixtures of the KPIs that check.
      const loaded = compileProject(resolve(opts.root));
      report(loaded.diagnostics, opts);
      const only = ids.length ? ids : undefined;
      const results = await runFixtures(loaded.value, only);
      if (url) {
        // Temporary tables in a session of its own: the database's tables are not touched.
        const opened = await openPostgresScratch(url);
        orExit(opened.diagnostics, opts);
        try {
          results.push(...(await runFixtures(loaded.value, only, opened.engine!)));
        } finally {
          await opened.engine!.close();
        }
      }
      orExit(results.flatMap((r) => r.diagnostics), opts);
      process.stdout.write(reportText(results));
      if (results.some((r) => !r.passed) || !loaded.ok) throw new Exit(1);
    });
}

function reportText(results: FixtureResult[]): string {
  const out: string[] = [];
  const backends = [...new Set(results.map((r) => r.backend))];
  const width = Math.max(...backends.map((b) => b.length));
  for (const r of results) {
    out.push(`${r.passed ? 'pass' : 'FAIL'}  ${r.backend.padEnd(width)}  ${r.kpi}: ${r.fixture}`);
    for (const f of r.failures) out.push(`${' '.repeat(width + 8)}${f}`);
  }
  out.push('');
  for (const b of backends) {
    const mine = results.filter((r) => r.backend === b);
    const failed = mine.filter((r) => !r.passed).length;
    out.push(`fixtures on ${b}: ${mine.length - failed} passed, ${failed} failed`);
  }
  return `${out.join('\n')}\n`;
}
