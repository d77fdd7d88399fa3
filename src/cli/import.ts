import { Option, type Command } from 'commander';
import { resolve } from 'node:path';
import { renderDiagnostics, type DiagnosticFormat } from '../diagnostics/render.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { importMetricflow } from '../import/metricflow/import.js';
import { Exit } from './common.js';

interface ImportOptions {
  out: string;
  skipUnsupported?: boolean;
  diagnostics: DiagnosticFormat;
}

export function registerImport(program: Command): void {
  const group = program.command('import').description('bring KPIs in from another metrics layer');
  group
    .command('metricflow')
    .description('read the semantic models and metrics of a dbt semantic layer project; write schemas/sources/*.yaml and kpis/*.yaml')
    .argument('<project-dir>', 'the dbt project folder')
    .option('--out <dir>', 'the folder to write schemas/sources/ and kpis/ into', '.')
    .option('--skip-unsupported', 'leave out conversion metrics (and the metrics built on them) with a warning instead of failing')
    .addOption(new Option('--diagnostics <format>', 'how problems are printed').choices(['text', 'json', 'github']).default('text'))
    .exitOverride()
    .action((projectDir: string, opts: ImportOptions) => {
      const root = resolve(projectDir);
      const result = importMetricflow(root, { out: opts.out, skipUnsupported: opts.skipUnsupported });
      if (result.diagnostics.length > 0) {
        const text = renderDiagnostics(result.diagnostics, opts.diagnostics, { root, color: opts.diagnostics === 'text' && process.stderr.isTTY });
        (opts.diagnostics === 'json' ? process.stdout : process.stderr).write(text);
      }
      if (hasErrors(result.diagnostics) || !result.value) throw new Exit(1);
      const { tables, kpis } = result.value;
      process.stderr.write(`imported ${tables.length} semantic models as source schemas and ${kpis.length} metrics as KPIs into ${resolve(opts.out)}\n`);
    });
  group.exitOverride();
}
