import type { Command } from 'commander';
import { emitSql } from '../emit/sql/emit.js';
import { planQuery } from '../plan/query.js';
import { diagnosticsOption, loadChecked, orExit, rootOption } from './common.js';
import { addQueryOptions, dialectOf, dialectOption, DIALECTS, queryRequest, type QueryOptions } from './query-options.js';

export function registerSql(program: Command): void {
  const cmd = program
    .command('sql')
    .description('print the SQL that `kpi run` would execute, with its bound parameters')
    .argument('<ids...>', 'KPI ids')
    .addOption(rootOption())
    .addOption(diagnosticsOption())
    .addOption(dialectOption());
  addQueryOptions(cmd).action((ids: string[], opts: QueryOptions) => {
    const { request, range, diagnostics } = queryRequest(ids, opts);
    orExit(diagnostics, opts);
    const project = loadChecked(opts);
    const plan = planQuery(project, request);
    orExit(plan.diagnostics, opts);
    const dialect = dialectOf(opts);
    const q = emitSql(plan.value!, { dialect: DIALECTS[dialect], mode: 'bound' }, range);
    // DuckDB binds by name, PostgreSQL by position.
    const params = q.params.map((p, i) => `--   ${dialect === 'postgres' ? `$${i + 1} (${p.name})` : `$${p.name}`} = ${JSON.stringify(p.value)}`);
    process.stdout.write(`-- parameters:\n${params.join('\n')}\n${q.sql}`);
  });
}
