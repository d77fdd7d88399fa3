// Runs SQL on DuckDB: opens a database file or a folder of Parquet/CSV files, checks that the
// data has the columns the schemas promise, binds parameters, and reads results as plain values.

import type { DuckDBConnection } from '@duckdb/node-api';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { duckdb } from '../emit/sql/duckdb.js';
import type { SqlQuery } from '../emit/sql/emit.js';
import type { ColumnDef, ColumnType, SourceDef } from '../load/types.js';
import { columnProblems, fixtureValue, type Cell, type Engine, type Row, type ScratchEngine } from './engine.js';

export type { Cell, Row } from './engine.js';

export interface Database {
  connection: DuckDBConnection;
  close(): void;
}

type DuckDbApi = typeof import('@duckdb/node-api');
let api: DuckDbApi | null = null;

/**
 * The DuckDB bindings, loaded on first use: loading them takes about a fifth of a second, which
 * commands that never query (check, compile, new) should not pay.
 */
export async function duckdbApi(): Promise<DuckDbApi> {
  api ??= await import('@duckdb/node-api');
  return api;
}

export type DataLocation = { kind: 'db'; path: string } | { kind: 'folder'; path: string } | { kind: 'memory' };

export async function openDatabase(location: DataLocation, sources: SourceDef[]): Promise<{ db: Database | null; diagnostics: Diagnostic[] }> {
  if (location.kind !== 'memory' && !existsSync(location.path)) {
    return { db: null, diagnostics: [{ severity: 'error', code: 'KPI0506', message: `${location.kind === 'db' ? 'the database file' : 'the data folder'} ${location.path} does not exist`, hint: location.kind === 'db' ? "build the sample data with 'kpi sample', or give --db a DuckDB file" : undefined }] };
  }
  if (location.kind === 'folder' && !statSync(location.path).isDirectory()) {
    return { db: null, diagnostics: [{ severity: 'error', code: 'KPI0506', message: `--data needs a folder, and ${location.path} is a file`, hint: 'give a DuckDB file with --db' }] };
  }
  const { DuckDBInstance } = await duckdbApi();
  const instance = await DuckDBInstance.create(location.kind === 'db' ? location.path : ':memory:', location.kind === 'db' ? { access_mode: 'READ_ONLY' } : {});
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  const db: Database = {
    connection,
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
  if (location.kind === 'folder') {
    const files = readdirSync(location.path).sort();
    for (const s of sources) {
      const file = files.find((f) => f === `${s.table}.parquet`) ?? files.find((f) => f === `${s.table}.csv`);
      if (!file) continue;
      const reader = file.endsWith('.parquet') ? 'read_parquet($path)' : 'read_csv($path, header = true)';
      await connection.run(`CREATE TABLE ${quote(s.table)} AS SELECT * FROM ${reader}`, { path: join(location.path, file) });
    }
  }
  return { db, diagnostics: [] };
}

export function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

const ACCEPTS: Record<ColumnType, RegExp> = {
  integer: /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/,
  decimal: /^(DECIMAL\(\d+,\s*\d+\)|DOUBLE|FLOAT|REAL|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/,
  boolean: /^BOOLEAN$/,
  string: /^VARCHAR$/,
  date: /^DATE$/,
  timestamp: /^(TIMESTAMP|TIMESTAMP_S|TIMESTAMP_MS|TIMESTAMP_NS|TIMESTAMP WITH TIME ZONE|DATE)$/,
};

/** The tables and columns a query reads must exist with the types the schemas promise. */
export async function checkData(db: Database, needs: { table: string; columns: string[] }[], sources: SourceDef[], where: string): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  for (const need of needs) {
    const source = sources.find((s) => s.table === need.table)!;
    const reader = await db.connection.runAndReadAll('SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $t', { t: need.table });
    const actual = new Map(reader.getRowObjects().map((r) => [String(r.column_name), String(r.data_type)]));
    if (actual.size === 0) {
      out.push({ severity: 'error', code: 'KPI0501', message: `${where} has no table '${need.table}', which the query reads`, file: source.file, span: source.span, hint: `it must hold the columns described in ${source.file}` });
      continue;
    }
    out.push(...columnProblems(need, source, actual, ACCEPTS, where));
  }
  return out;
}

function toCell(v: unknown, { DuckDBDateValue, DuckDBDecimalValue, DuckDBTimestampValue }: DuckDbApi): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof DuckDBDateValue) return v.toString();
  if (v instanceof DuckDBTimestampValue) return v.toString();
  if (v instanceof DuckDBDecimalValue) return v.toDouble();
  return String(v);
}

export async function runQuery(db: Database, query: SqlQuery): Promise<Row[]> {
  const values: Record<string, unknown> = {};
  for (const p of query.params) values[p.name] = p.value;
  const reader = await db.connection.runAndReadAll(query.sql, values as never);
  const names = reader.columnNames();
  const duckdb = await duckdbApi();
  return reader.getRows().map((r) => Object.fromEntries(names.map((n, i) => [n, toCell(r[i], duckdb)])));
}

/** The engine interface over an open DuckDB database; `label` names it in messages. */
export function duckdbEngine(db: Database, label: string): Engine {
  return {
    name: 'duckdb',
    dialect: duckdb,
    label,
    checkData: (needs, sources) => checkData(db, needs, sources, label),
    runQuery: (query) => runQuery(db, query),
    close: async () => db.close(),
  };
}

const SCRATCH_TYPE: Record<ColumnDef['type'], string> = { integer: 'BIGINT', decimal: 'DOUBLE', boolean: 'BOOLEAN', string: 'VARCHAR', date: 'DATE', timestamp: 'TIMESTAMP' };

/** An in-memory DuckDB database for fixtures. */
export async function duckdbScratch(): Promise<ScratchEngine> {
  const { DuckDBInstance } = await duckdbApi();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  const db: Database = {
    connection,
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
  const created = new Set<string>();
  return {
    ...duckdbEngine(db, 'the fixture database'),
    async loadTables(sources, given) {
      for (const source of sources) {
        if (created.has(source.table)) await connection.run(`DELETE FROM ${quote(source.table)}`);
        else await connection.run(`CREATE TABLE ${quote(source.table)} (${source.columns.map((c) => `${quote(c.name)} ${SCRATCH_TYPE[c.type]}`).join(', ')})`);
        created.add(source.table);
        const rows = (given[source.table] ?? []).filter((r) => Object.keys(r).length > 0);
        if (rows.length === 0) continue;
        const cols = source.columns.map((c) => c.name).filter((c) => rows.some((r) => c in r));
        const values: unknown[] = [];
        const tuples = rows.map((r) => `(${cols.map((c) => (values.push(c in r ? fixtureValue(r[c]) : null), `$${values.length}`)).join(', ')})`);
        await connection.run(`INSERT INTO ${quote(source.table)} (${cols.map(quote).join(', ')}) VALUES ${tuples.join(', ')}`, values as never);
      }
    },
  };
}
