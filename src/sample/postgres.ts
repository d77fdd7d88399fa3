// Copies a built sample database from DuckDB into PostgreSQL, table by table, in one transaction:
// the tables are replaced whole or not at all. Column types follow the source schemas
// (schemas/sources/*.yaml). Values travel as text (decimals stay exact): DuckDB writes each
// column of a batch of rows as the text of a PostgreSQL array, bound as one parameter and
// unnested on the server, so that twenty thousand rows take one statement.

import { DuckDBInstance } from '@duckdb/node-api';
import type pg from 'pg';
import type { ColumnDef, SourceDef } from '../load/types.js';
import { postgres } from '../emit/sql/postgres.js';
import { TABLES } from './tables.js';

const PG_TYPE: Record<ColumnDef['type'], string> = { integer: 'bigint', decimal: 'numeric', boolean: 'boolean', string: 'text', date: 'date', timestamp: 'timestamp' };
const BATCH_ROWS = 20_000;

/** A column of a batch as the text of a PostgreSQL array: elements quoted, `\` and `"` escaped, NULL bare. */
function arrayLiteral(column: string): string {
  const c = postgres.quoteIdent(column);
  const text = `replace(replace(CAST(${c} AS VARCHAR), '\\', '\\\\'), '"', '\\"')`;
  return `'{' || coalesce(string_agg(CASE WHEN ${c} IS NULL THEN 'NULL' ELSE '"' || ${text} || '"' END, ',' ORDER BY rowid), '') || '}'`;
}

export interface CopyResult {
  tables: { table: string; rows: number }[];
  seconds: number;
}

/** The CREATE TABLE of a source, as the schema describes it: types, NOT NULL, and the primary key (added after the load). */
export function createTableSql(source: SourceDef): string {
  const q = postgres.quoteIdent;
  const cols = source.columns.map((c) => `${q(c.name)} ${PG_TYPE[c.type]}${c.nullable ? '' : ' NOT NULL'}`);
  return `CREATE TABLE ${q(source.table)} (${cols.join(', ')})`;
}

/**
 * Every sample table of `duckdbPath` into the database of `client`, replacing tables of the same
 * name in the first schema of the search_path. Throws (after a rollback) when anything fails.
 */
export async function copySampleToPostgres(duckdbPath: string, client: pg.Client, sources: SourceDef[], onProgress: (message: string) => void = () => undefined): Promise<CopyResult> {
  const started = performance.now();
  const q = postgres.quoteIdent;
  const tables = Object.keys(TABLES).sort();
  const missing = tables.filter((t) => !sources.some((s) => s.table === t));
  if (missing.length > 0) throw new Error(`the source schemas do not describe the sample table${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  const instance = await DuckDBInstance.create(duckdbPath, { access_mode: 'READ_ONLY' });
  const duck = await instance.connect();
  const counts: { table: string; rows: number }[] = [];
  try {
    await client.query('BEGIN');
    for (const table of tables) {
      const t0 = performance.now();
      const source = sources.find((s) => s.table === table)!;
      await client.query(`DROP TABLE IF EXISTS ${q(table)}`);
      await client.query(createTableSql(source));
      const names = source.columns.map((c) => c.name);
      const insert = `INSERT INTO ${q(table)} (${names.map(q).join(', ')}) SELECT * FROM unnest(${source.columns.map((c, i) => `CAST($${i + 1} AS ${PG_TYPE[c.type]}[])`).join(', ')})`;
      // DuckDB writes each column of a batch as one PostgreSQL array literal, in rowid order.
      const batchSql = `SELECT count(*), ${names.map(arrayLiteral).join(', ')} FROM ${q(table)} WHERE rowid >= $lo AND rowid < $hi`;
      const last = Number((await duck.runAndReadAll(`SELECT coalesce(max(rowid), -1) FROM ${q(table)}`)).getRows()[0][0]);
      let rows = 0;
      for (let lo = 0; lo <= last; lo += BATCH_ROWS) {
        const [count, ...arrays] = (await duck.runAndReadAll(batchSql, { lo, hi: lo + BATCH_ROWS })).getRows()[0];
        if (Number(count) === 0) continue;
        await client.query(insert, arrays.map(String));
        rows += Number(count);
      }
      await client.query(`ALTER TABLE ${q(table)} ADD PRIMARY KEY (${q(source.primaryKey)})`);
      counts.push({ table, rows });
      onProgress(`${table}: ${rows.toLocaleString('en-US')} rows (${((performance.now() - t0) / 1000).toFixed(1)}s)`);
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    duck.closeSync();
    instance.closeSync();
  }
  // Statistics for the planner; outside the transaction, which is already committed.
  await client.query(`ANALYZE ${tables.map(q).join(', ')}`);
  return { tables: counts, seconds: (performance.now() - started) / 1000 };
}
