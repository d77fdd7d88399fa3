import { Option, type Command } from 'commander';
import { duckdb } from '../emit/sql/duckdb.js';
import { emitSql } from '../emit/sql/emit.js';
import { planQuery } from '../plan/query.js';
import { checkData, openDatabase, runQuery } from '../run/duckdb.js';
import { formatRows, type Format } from '../run/format.js';
import { planReads } from '../plan/reads.js';
import { diagnosticsOption, loadChecked, orExit, rootOption } from './common.js';
import { addDataOptions, addQueryOptions, dataLocation, queryRequest, type QueryOptions } from './query-options.js';

interface RunOptions extends QueryOptions {
  format: Format;
}

export function registerRun(program: Command): void {
  const cmd = program
    .command('run')
    .description('compute KPIs on DuckDB: one row per period (and dimension values), one column per KPI')
    .argument('<ids...>', 'KPI ids')
    .addOption(rootOption())
    .addOption(diagnosticsOption())
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'));
  addDataOptions(addQueryOptions(cmd)).action(async (ids: string[], opts: RunOptions) => {
    const { request, range, diagnostics } = queryRequest(ids, opts);
    const where = dataLocation(opts);
    orExit([...diagnostics, ...where.diagnostics], opts);
    const project = loadChecked(opts);
    const plan = planQuery(project, request);
    orExit(plan.diagnostics, opts);
    const query = emitSql(plan.value!, { dialect: duckdb, mode: 'bound' }, range);
    const opened = await openDatabase(where.location, project.sources);
    orExit(opened.diagnostics, opts);
    const db = opened.db!;
    try {
      orExit(await checkData(db, planReads(plan.value!), project.sources, where.label), opts);
      const rows = await runQuery(db, query);
      process.stdout.write(formatRows(rows, query.columns, opts.format));
    } finally {
      db.close();
    }
  });
}
