// Options shared by `kpi run` and `kpi sql`, validated into a query request.

import { Option, type Command } from 'commander';
import { join, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { GRAINS } from '../load/types.js';
import type { QueryGrain } from '../plan/ir.js';
import type { QueryRequest } from '../plan/query.js';
import type { DataLocation } from '../run/duckdb.js';
import { usageError, type CommonOptions } from './common.js';

export interface QueryOptions extends CommonOptions {
  from?: string;
  to?: string;
  grain?: string;
  periods?: string;
  by: string[];
  where?: string;
  db?: string;
  data?: string;
}

export function addQueryOptions(cmd: Command): Command {
  return cmd
    .option('--from <date>', 'first day of the range (YYYY-MM-DD); default: the earliest data')
    .option('--to <date>', 'last day of the range (YYYY-MM-DD), inclusive; default: the latest data')
    .addOption(new Option('--grain <grain>', `period: ${QUERY_GRAINS.join(', ')} (one value over the whole range); default: the KPI's grain`))
    .option('--periods <which>', "'all': every period of the range (default); 'data': only periods with rows")
    .option('--by <dimension>', 'slice by a dimension (repeat, or separate with commas)', (v: string, prev: string[]) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)], [] as string[])
    .option('--where <condition>', "keep rows where a condition holds, in the formula language: \"region = 'north'\"");
}

const QUERY_GRAINS = [...GRAINS, 'none'] as const;

export function addDataOptions(cmd: Command): Command {
  return cmd.option('--db <file>', 'a DuckDB database file (default: data/sample.duckdb)').option('--data <folder>', 'a folder of Parquet or CSV files named after the tables');
}

function validDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function queryRequest(ids: string[], opts: QueryOptions): { request: QueryRequest; range: { from: string | null; to: string | null }; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  for (const [name, v] of [['--from', opts.from], ['--to', opts.to]] as const) {
    if (v !== undefined && !validDate(v)) diagnostics.push(usageError(`${name} must be a date written YYYY-MM-DD, such as 2025-01-31; '${v}' is not`));
  }
  if (opts.from && opts.to && validDate(opts.from) && validDate(opts.to) && opts.from > opts.to) diagnostics.push(usageError(`--from ${opts.from} is after --to ${opts.to}`));
  if (opts.grain !== undefined && !(QUERY_GRAINS as readonly string[]).includes(opts.grain)) diagnostics.push(usageError(`--grain must be one of ${QUERY_GRAINS.join(', ')}; '${opts.grain}' is not`));
  if (opts.periods !== undefined && opts.periods !== 'all' && opts.periods !== 'data') diagnostics.push(usageError(`--periods must be 'all' or 'data'; '${opts.periods}' is not`));
  if (new Set(opts.by).size !== opts.by.length) diagnostics.push(usageError(`--by names the same dimension twice`));
  return {
    request: { ids, grain: opts.grain as QueryGrain | undefined, periods: opts.periods as 'all' | 'data' | undefined, by: opts.by, where: opts.where ?? null },
    range: { from: opts.from ?? null, to: opts.to ?? null },
    diagnostics,
  };
}

export const DEFAULT_DB = join('data', 'sample.duckdb');

export function dataLocation(opts: QueryOptions): { location: DataLocation; label: string; diagnostics: Diagnostic[] } {
  if (opts.db && opts.data) return { location: { kind: 'memory' }, label: '', diagnostics: [usageError('give --db or --data, not both')] };
  if (opts.data) return { location: { kind: 'folder', path: resolve(opts.data) }, label: opts.data, diagnostics: [] };
  const path = opts.db ? resolve(opts.db) : join(resolve(opts.root), DEFAULT_DB);
  return { location: { kind: 'db', path }, label: opts.db ?? DEFAULT_DB, diagnostics: [] };
}
