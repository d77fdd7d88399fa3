// Runs SQL on PostgreSQL with the `pg` package: connects with a postgres:// URL, checks that the
// data has the columns the schemas promise, binds parameters, and reads results as the DuckDB
// runner does (numbers, dates as YYYY-MM-DD strings, booleans, null).

import pg from 'pg';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SqlQuery } from '../emit/sql/emit.js';
import { postgres } from '../emit/sql/postgres.js';
import type { ColumnDef, ColumnType, SourceDef } from '../load/types.js';
import { columnProblems, fixtureValue, type Cell, type Engine, type Row, type ScratchEngine } from './engine.js';

/** Text as the server sends it, except numbers: bigint and numeric become JS numbers (as DuckDB's runner gives them). */
const PARSERS: Record<number, (text: string) => unknown> = {
  20: Number, // bigint
  1700: Number, // numeric
  1082: (t) => t, // date: YYYY-MM-DD (DateStyle ISO)
  1114: (t) => t, // timestamp
  1184: (t) => t, // timestamptz
};
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => PARSERS[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/** The URL without its password, as messages show it. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/?#]*):[^@/?#]*@/i, '$1@');
}

/** A bad --url is a usage error (KPI0504), found before anything connects. */
export function checkUrl(url: string, option = '--url'): Diagnostic | null {
  if (/^postgres(ql)?:\/\//.test(url)) return null;
  return { severity: 'error', code: 'KPI0504', message: `${option} must be a PostgreSQL URL starting with postgres:// or postgresql://; '${redactUrl(url)}' is not`, hint: 'e.g. postgres://user@localhost:5432/warehouse (a password may come from PGPASSWORD or ~/.pgpass)' };
}

/**
 * Opens a session in UTC (as the DuckDB runner does; timestamps with time zone are then read as UTC
 * wall-clock times), with ISO dates, doubles printed exactly, and no JIT compilation.
 */
export async function connect(url: string): Promise<{ client: pg.Client | null; diagnostics: Diagnostic[] }> {
  const client = new pg.Client({ connectionString: url, types, connectionTimeoutMillis: 15_000, application_name: 'kpi' });
  // A server that goes away between queries must not crash the process: the next query fails instead.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query("SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 3");
    // The planner overestimates the period grid by orders of magnitude, and JIT then compiles for
    // a second a query that runs in milliseconds (docs/decisions.md). Engines without it ignore this.
    await client.query('SET jit = off').catch(() => undefined);
    return { client, diagnostics: [] };
  } catch (e) {
    await client.end().catch(() => undefined);
    return {
      client: null,
      diagnostics: [{ severity: 'error', code: 'KPI0520', message: `cannot connect to PostgreSQL at ${redactUrl(url)}: ${messageOf(e)}`, hint: 'check the URL (postgres://user@host:port/database), that the server runs and accepts this user from this machine, and the password (in the URL, PGPASSWORD or ~/.pgpass)' }],
    };
  }
}

function messageOf(e: unknown): string {
  const err = e as Error & { code?: string };
  return err.message || err.code || String(e);
}

/** A query that the server rejected (KPI0521): permissions, timeouts, a column of an unexpected kind. */
export function queryFailed(e: unknown, label: string): Diagnostic {
  return { severity: 'error', code: 'KPI0521', message: `the query failed on ${label}: ${messageOf(e)}`, hint: "'kpi sql --dialect postgres' prints the query and its parameters, to run it in psql" };
}

const ACCEPTS: Record<ColumnType, RegExp> = {
  integer: /^(smallint|integer|bigint)$/,
  decimal: /^(numeric(\(\d+,\d+\))?|double precision|real|smallint|integer|bigint)$/,
  boolean: /^boolean$/,
  string: /^(text|character varying(\(\d+\))?|character(\(\d+\))?|citext)$/,
  date: /^date$/,
  timestamp: /^(timestamp(\(\d\))? with(out)? time zone|date)$/,
};

/**
 * The tables and columns a query reads must exist with the types the schemas promise. A table is
 * found as the query finds it (the search_path), through to_regclass.
 */
export async function checkData(client: pg.Client, needs: { table: string; columns: string[] }[], sources: SourceDef[], where: string): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  for (const need of needs) {
    const source = sources.find((s) => s.table === need.table)!;
    const result = await client.query<{ name: string; type: string }>(
      'SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum',
      [postgres.quoteIdent(need.table)],
    );
    const actual = new Map(result.rows.map((r) => [r.name, r.type]));
    if (actual.size === 0) {
      out.push({ severity: 'error', code: 'KPI0501', message: `${where} has no table '${need.table}', which the query reads`, file: source.file, span: source.span, hint: `it must hold the columns described in ${source.file} (tables are found through the search_path)` });
      continue;
    }
    out.push(...columnProblems(need, source, actual, ACCEPTS, where));
  }
  return out;
}

function toCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return String(v);
}

/** Runs a bound query; the columns are read by position, so that names longer than PostgreSQL's 63 bytes cannot mismatch. */
export async function runQuery(client: pg.Client, query: SqlQuery): Promise<Row[]> {
  const result = await client.query({ text: query.sql, values: query.params.map((p) => p.value), rowMode: 'array' });
  return result.rows.map((r: unknown[]) => Object.fromEntries(query.columns.map((c, i) => [c, toCell(r[i])])));
}

function engineOn(client: pg.Client, label: string): Engine {
  return {
    name: 'postgres',
    dialect: postgres,
    label,
    checkData: (needs, sources) => checkData(client, needs, sources, label),
    runQuery: (query) => runQuery(client, query),
    close: () => client.end(),
  };
}

/** The engine over a PostgreSQL database; messages name it by its URL without the password. */
export async function openPostgres(url: string): Promise<{ engine: Engine | null; diagnostics: Diagnostic[] }> {
  const { client, diagnostics } = await connect(url);
  return { engine: client ? engineOn(client, `the PostgreSQL database ${redactUrl(url)}`) : null, diagnostics };
}

const SCRATCH_TYPE: Record<ColumnDef['type'], string> = { integer: 'bigint', decimal: 'double precision', boolean: 'boolean', string: 'text', date: 'date', timestamp: 'timestamp' };

/**
 * Fixtures on PostgreSQL: temporary tables, which the query finds before any table of the same
 * name (pg_temp comes first in the search_path) and which vanish with the session, so that a
 * user's own tables are never touched.
 */
export async function openPostgresScratch(url: string): Promise<{ engine: ScratchEngine | null; diagnostics: Diagnostic[] }> {
  const { client, diagnostics } = await connect(url);
  if (!client) return { engine: null, diagnostics };
  const q = postgres.quoteIdent;
  const created = new Set<string>();
  return {
    engine: {
      ...engineOn(client, `the PostgreSQL database ${redactUrl(url)} (temporary tables)`),
      async loadTables(sources, given) {
        const fresh = sources.filter((s) => !created.has(s.table));
        const old = sources.filter((s) => created.has(s.table));
        if (old.length > 0) await client.query(`TRUNCATE ${old.map((s) => `pg_temp.${q(s.table)}`).join(', ')}`);
        for (const s of fresh) {
          await client.query(`CREATE TEMPORARY TABLE ${q(s.table)} (${s.columns.map((c) => `${q(c.name)} ${SCRATCH_TYPE[c.type]}`).join(', ')})`);
          created.add(s.table);
        }
        for (const s of sources) {
          const rows = (given[s.table] ?? []).filter((r) => Object.keys(r).length > 0);
          if (rows.length === 0) continue;
          const cols = s.columns.map((c) => c.name).filter((c) => rows.some((r) => c in r));
          const values: unknown[] = [];
          const tuples = rows.map((r) => `(${cols.map((c) => (values.push(c in r ? fixtureValue(r[c]) : null), `$${values.length}`)).join(', ')})`);
          await client.query(`INSERT INTO pg_temp.${q(s.table)} (${cols.map(q).join(', ')}) VALUES ${tuples.join(', ')}`, values);
        }
      },
    },
    diagnostics,
  };
}
