import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { renderOutputs, staleFiles, writeOutputs } from '../emit/outputs.js';
import { diagnosticsOption, Exit, loadChecked, orExit, rootOption, type CommonOptions } from './common.js';

interface CompileOptions extends CommonOptions {
  check?: boolean;
  out: string;
}

export function registerCompile(program: Command): void {
  program
    .command('compile')
    .description('write generated/ (SQL per KPI); with --check, only verify that it is up to date')
    .addOption(rootOption())
    .addOption(diagnosticsOption())
    .option('--check', 'fail (exit 1) when generated/ differs from what compile would write, naming the files')
    .option('--out <dir>', 'where to write, relative to the root', 'generated')
    .action((opts: CompileOptions) => {
      const project = loadChecked(opts);
      const { outputs, diagnostics } = renderOutputs(project);
      orExit(diagnostics, opts);
      const dir = join(resolve(opts.root), opts.out);
      if (opts.check) {
        const stale = staleFiles(outputs, dir);
        if (stale.length > 0) {
          process.stderr.write(`${opts.out}/ is stale: run 'kpi compile' and commit the result.\n${stale.map((s) => `  ${s.status.padEnd(7)} ${opts.out}/${s.path}`).join('\n')}\n`);
          throw new Exit(1);
        }
        process.stderr.write(`${opts.out}/ is up to date (${outputs.size} files)\n`);
        return;
      }
      writeOutputs(outputs, dir);
      process.stderr.write(`wrote ${outputs.size} files to ${opts.out}/\n`);
    });
}
