// What the commands ask of a database engine, whichever it is: check that the data holds what a
// query reads, run a query with its bound parameters, and load a fixture's rows into scratch
// tables. src/run/duckdb.ts and src/run/postgres.ts implement it.

import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Dialect } from '../emit/sql/dialect.js';
import type { SqlQuery } from '../emit/sql/emit.js';
import type { ColumnType, SourceDef } from '../load/types.js';
import { duckdbEngine, openDatabase, type DataLocation } from './duckdb.js';
import { openPostgres } from './postgres.js';

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

export type EngineName = 'duckdb' | 'postgres';

export interface Engine {
  readonly name: EngineName;
  readonly dialect: Dialect;
  /** The data, as messages name it: "the database data/sample.duckdb", "postgres://kpi@host/db". */
  readonly label: string;
  /** The tables and columns a query reads must exist with the types the schemas promise (KPI0501-0503). */
  checkData(needs: { table: string; columns: string[] }[], sources: SourceDef[]): Promise<Diagnostic[]>;
  /** Runs a query made by emitSql in `bound` mode; cells are numbers, strings (dates as YYYY-MM-DD), booleans or null. */
  runQuery(query: SqlQuery): Promise<Row[]>;
  close(): Promise<void>;
}

/** An engine with scratch tables, for fixtures: never the user's own tables. */
export interface ScratchEngine extends Engine {
  /** Empty tables for every source (decimals as doubles, so hand-written inputs are not rounded), then the given rows. */
  loadTables(sources: SourceDef[], given: Record<string, Record<string, unknown>[]>): Promise<void>;
}

/** Where a query runs: a DuckDB file or folder (`label` names it), or a PostgreSQL database. */
export type EngineTarget = { engine: 'duckdb'; location: DataLocation; label: string } | { engine: 'postgres'; url: string };

export async function openEngine(target: EngineTarget, sources: SourceDef[]): Promise<{ engine: Engine | null; diagnostics: Diagnostic[] }> {
  if (target.engine === 'postgres') return openPostgres(target.url);
  const opened = await openDatabase(target.location, sources);
  return { engine: opened.db ? duckdbEngine(opened.db, target.label) : null, diagnostics: opened.diagnostics };
}

/** YAML timestamps are strings here (the core schema); a TIMESTAMP column takes no zone suffix. */
export function fixtureValue(v: unknown): unknown {
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(v)) return v.slice(0, -1).replace('T', ' ');
  return v;
}

/**
 * KPI0502 and KPI0503: the columns of one table a query reads, against the columns the database
 * has (`actual`: name → the engine's type name) and the engine's type names each schema type accepts.
 */
export function columnProblems(
  need: { table: string; columns: string[] },
  source: SourceDef,
  actual: Map<string, string>,
  accepts: Record<ColumnType, RegExp>,
  where: string,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const name of need.columns) {
    const col = source.columns.find((c) => c.name === name)!;
    const type = actual.get(name);
    if (type === undefined) {
      out.push({ severity: 'error', code: 'KPI0502', message: `table '${need.table}' in ${where} has no column '${name}' (${col.type}), which the query reads`, file: source.file, span: col.span, hint: `its columns are: ${[...actual.keys()].join(', ')}` });
    } else if (!accepts[col.type].test(type)) {
      out.push({ severity: 'error', code: 'KPI0503', message: `column ${need.table}.${name} in ${where} is ${type}, but the schema says ${col.type}`, file: source.file, span: col.span });
    }
  }
  return out;
}
