import { Option, type Command } from 'commander';
import { resolve } from 'node:path';
import { compileProject } from '../index.js';
import { renderDiagnostics, type DiagnosticFormat } from '../diagnostics/render.js';
import { Exit, orExit, rootOption } from './common.js';

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('load, parse, resolve and check every KPI file; exit 1 on errors')
    .addOption(rootOption())
    .addOption(new Option('--format <format>', 'how problems are printed: text, json, or github (workflow annotations)').choices(['text', 'json', 'github']).default('text'))
    .action((opts: { root: string; format: DiagnosticFormat }) => {
      const common = { root: opts.root, diagnostics: opts.format };
      const result = compileProject(resolve(opts.root));
      if (opts.format === 'json') {
        // Always one JSON array on stdout, empty when all is well.
        process.stdout.write(renderDiagnostics(result.diagnostics, 'json', { root: resolve(opts.root) }));
        if (!result.ok) throw new Exit(1);
        return;
      }
      orExit(result.diagnostics, common);
      if (opts.format === 'text') process.stderr.write(`checked ${result.value.kpis.length} KPIs over ${result.value.sources.length} tables: 0 errors\n`);
    });
}
