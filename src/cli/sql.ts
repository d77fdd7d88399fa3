import type { Command } from 'commander';
import { duckdb } from '../emit/sql/duckdb.js';
import { emitSql } from '../emit/sql/emit.js';
import { planQuery } from '../plan/query.js';
import { diagnosticsOption, loadChecked, orExit, rootOption } from './common.js';
import { addQueryOptions, queryRequest, type QueryOptions } from './query-options.js';

export function registerSql(program: Command): void {
  const cmd = program
    .command('sql')
    .description('print the SQL that `kpi run` would execute, with its bound parameters')
    .argument('<ids...>', 'KPI ids')
    .addOption(rootOption())
    .addOption(diagnosticsOption());
  addQueryOptions(cmd).action((ids: string[], opts: QueryOptions) => {
    const { request, range, diagnostics } = queryRequest(ids, opts);
    orExit(diagnostics, opts);
    const project = loadChecked(opts);
    const plan = planQuery(project, request);
    orExit(plan.diagnostics, opts);
    const q = emitSql(plan.value!, { dialect: duckdb, mode: 'bound' }, range);
    const params = q.params.map((p) => `--   $${p.name} = ${JSON.stringify(p.value)}`);
    process.stdout.write(`-- parameters:\n${params.join('\n')}\n${q.sql}`);
  });
}
