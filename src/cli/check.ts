import type { Command } from 'commander';
import { compileProject } from '../index.js';
import { resolve } from 'node:path';
import { diagnosticsOption, orExit, rootOption, type CommonOptions } from './common.js';

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('load, parse, resolve and check every KPI file; exit 1 on errors')
    .addOption(rootOption())
    .addOption(diagnosticsOption())
    .action((opts: CommonOptions) => {
      const result = compileProject(resolve(opts.root));
      orExit(result.diagnostics, opts);
      const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
      if (opts.diagnostics === 'text') process.stderr.write(`checked ${result.value.kpis.length} KPIs over ${result.value.sources.length} tables: ${errors} errors\n`);
    });
}
