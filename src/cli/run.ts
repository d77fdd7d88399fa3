import { Option, type Command } from 'commander';
import { emitSql } from '../emit/sql/emit.js';
import { planQuery } from '../plan/query.js';
import { planReads } from '../plan/reads.js';
import { openEngine } from '../run/engine.js';
import { formatRows, type Format } from '../run/format.js';
import { queryFailed } from '../run/postgres.js';
import { diagnosticsOption, loadChecked, orExit, rootOption } from './common.js';
import { addDataOptions, addQueryOptions, dialectOption, engineTarget, queryRequest, type QueryOptions } from './query-options.js';

interface RunOptions extends QueryOptions {
  format: Format;
}

export function registerRun(program: Command): void {
  const cmd = program
    .command('run')
    .description('compute KPIs on DuckDB or PostgreSQL: one row per period (and dimension values), one column per KPI')
    .argument('<ids...>', 'KPI ids')
    .addOption(rootOption())
    .addOption(diagnosticsOption())
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
    .addOption(dialectOption());
  addDataOptions(addQueryOptions(cmd)).action(async (ids: string[], opts: RunOptions) => {
    const { request, range, diagnostics } = queryRequest(ids, opts);
    const where = engineTarget(opts);
    orExit([...diagnostics, ...where.diagnostics], opts);
    const project = loadChecked(opts);
    const plan = planQuery(project, request);
    orExit(plan.diagnostics, opts);
    const opened = await openEngine(where.target!, project.sources);
    orExit(opened.diagnostics, opts);
    const engine = opened.engine!;
    try {
      const query = emitSql(plan.value!, { dialect: engine.dialect, mode: 'bound' }, range);
      orExit(await engine.checkData(planReads(plan.value!), project.sources), opts);
      let rows;
      try {
        rows = await engine.runQuery(query);
      } catch (e) {
        // A server can refuse a query for reasons of its own (rights, timeouts); DuckDB failing is a bug.
        if (engine.name !== 'postgres') throw e;
        return orExit([queryFailed(e, engine.label)], opts);
      }
      process.stdout.write(formatRows(rows, query.columns, opts.format));
    } finally {
      await engine.close();
    }
  });
}
